"""Each chart of the dashboard as a table: the page shows it beside the chart
(the accessible view) and the CSV export writes the same rows, so the two
cannot disagree. Values stay raw (seconds, ratios, ISO dates); formatting is
the page's business."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.insights.dashboard import Dashboard
from forum.models.facets import FACET_LABELS


@dataclass(frozen=True)
class Table:
    name: str  # also the CSV file's name
    headers: list[str]
    rows: list[list]


def _volume(board: Dashboard) -> Table:
    first = _("Week of") if board.volume.bucket == "week" else _("Day")
    return Table(
        "questions",
        [first, _("Asked"), _("Answered"), _("Solved")],
        [[b.day.isoformat(), b.asked, b.answered, b.solved] for b in board.volume.buckets],
    )


def _tags(trends, name: str) -> Table:
    return Table(
        name,
        [_("Tag"), _("Questions"), _("Previous period"), _("Growth"), _("Slug")],
        [[t.name, t.questions, t.previous, t.growth, t.slug] for t in trends],
    )


def _facet(board: Dashboard, facet: str) -> Table:
    breakdown = next(b for b in board.facets if b.facet == facet)
    return Table(facet, [str(FACET_LABELS[facet]), _("Questions")], [[s.label, s.questions] for s in breakdown.shares])


def _response_times(board: Dashboard) -> Table:
    times = board.response_times
    return Table(
        "response-times",
        [_("Measure"), _("Questions answered"), _("Median (seconds)"), _("90th percentile (seconds)")],
        [
            [
                _("First answer"),
                times.first_answer.count,
                times.first_answer.median_seconds,
                times.first_answer.p90_seconds,
            ],
            [
                _("First verified answer"),
                times.first_verified_answer.count,
                times.first_verified_answer.median_seconds,
                times.first_verified_answer.p90_seconds,
            ],
        ],
    )


def _popular(items, name: str, counted: str) -> Table:
    return Table(
        name,
        [_("Question"), _("Asked on"), counted],
        # The Paris day, like the period's: a question asked at 23:30 UTC belongs to the next day.
        [[p.question.title, _local_day(p.question.created_at), p.count] for p in items],
    )


def _local_day(moment) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).date().isoformat()


def _organisation(board: Dashboard) -> Table:
    figures = board.organisation
    rows = []
    if figures is not None:
        rows.append(
            [
                figures.organisation.name,
                figures.addressed,
                figures.responded,
                figures.response_rate,
                figures.response.median_seconds,
                figures.accepted_answers,
            ]
        )
    return Table(
        "organisation",
        [
            _("Organisation"),
            _("Questions addressed"),
            _("Answered by its members"),
            _("Response rate"),
            _("Median response time (seconds)"),
            _("Accepted answers"),
        ],
        rows,
    )


TABLES: dict[str, Callable[[Dashboard], Table]] = {
    "questions": _volume,
    "top-tags": lambda board: _tags(board.tags.top, "top-tags"),
    "rising-tags": lambda board: _tags(board.tags.rising, "rising-tags"),
    "diploma": lambda board: _facet(board, "diploma"),
    "region": lambda board: _facet(board, "region"),
    "response-times": _response_times,
    "most-viewed": lambda board: _popular(board.most_viewed, "most-viewed", _("Views")),
    "most-followed": lambda board: _popular(board.most_followed, "most-followed", _("Followers")),
    "organisation": _organisation,
}

TITLES = {
    "questions": gettext_lazy("Questions asked"),
    "top-tags": gettext_lazy("Top tags"),
    "rising-tags": gettext_lazy("Rising tags"),
    "diploma": gettext_lazy("Questions by diploma"),
    "region": gettext_lazy("Questions by region"),
    "response-times": gettext_lazy("Time to answer"),
    "most-viewed": gettext_lazy("Most viewed questions"),
    "most-followed": gettext_lazy("Most followed questions"),
    "organisation": gettext_lazy("Your organisation"),
}


def table(board: Dashboard, name: str) -> Table:
    return TABLES[name](board)
