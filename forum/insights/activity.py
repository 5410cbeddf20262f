"""Questions asked per day (or week), and how many of them are answered and
solved today."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from forum.insights.period import Period
from forum.models import Question, Visibility


@dataclass(frozen=True)
class VolumeBucket:
    day: dt.date  # the day, or the Monday of the week
    asked: int
    answered: int
    solved: int


@dataclass(frozen=True)
class Volume:
    bucket: str  # "day" or "week"
    buckets: list[VolumeBucket]
    asked: int
    answered: int
    solved: int

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.asked if self.asked else None


def published_in(period: Period) -> QuerySet[Question]:
    """The public questions asked during the period (created_at's own index)."""
    return Question.objects.filter(
        visibility=Visibility.PUBLISHED, created_at__gte=period.start, created_at__lt=period.end
    )


def question_volume(period: Period) -> Volume:
    """Every bucket of the period is listed, empty ones with zeros, so that a
    chart's gaps are real quiet days rather than missing data. "Answered":
    at least one published answer now; "solved": an accepted answer now."""
    zone = timezone.get_default_timezone()
    trunc = TruncDate if period.bucket == "day" else TruncWeek
    rows = (
        published_in(period)
        .annotate(bucket_start=trunc("created_at", tzinfo=zone))
        .values("bucket_start")
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(answer_count__gt=0)),
            solved=Count("id", filter=Q(accepted_answer__isnull=False)),
        )
        .order_by()
    )
    found = {_as_date(row["bucket_start"]): row for row in rows}
    buckets = []
    for day in _bucket_days(period):
        row = found.get(day, {})
        buckets.append(VolumeBucket(day, row.get("asked", 0), row.get("answered", 0), row.get("solved", 0)))
    return Volume(
        bucket=period.bucket,
        buckets=buckets,
        asked=sum(b.asked for b in buckets),
        answered=sum(b.answered for b in buckets),
        solved=sum(b.solved for b in buckets),
    )


def _as_date(value) -> dt.date:
    # TruncWeek returns an aware datetime (midnight local on Monday), TruncDate a date.
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, timezone.get_default_timezone()).date()
    return value


def _bucket_days(period: Period) -> list[dt.date]:
    if period.bucket == "day":
        return [period.first_day + dt.timedelta(days=n) for n in range(period.days)]
    monday = period.first_day - dt.timedelta(days=period.first_day.weekday())
    weeks = []
    while monday <= period.last_day:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks
