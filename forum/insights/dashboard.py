"""Every figure of the dashboard for one viewer and period, in one object: the
page, its CSV exports and the API read this, so they cannot disagree."""

import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum import page_versions, permissions
from forum.exceptions import NotAllowed
from forum.insights.activity import Volume, question_volume
from forum.insights.facets import BREAKDOWNS, FacetBreakdown, facet_breakdown
from forum.insights.organisation import OrganisationFigures, organisation_figures
from forum.insights.period import PRESETS, Period, last_days
from forum.insights.popular import PopularQuestion, most_followed, most_viewed
from forum.insights.response_times import ResponseTimes, response_times
from forum.insights.tags import TagTrends, tag_trends
from forum.insights.unanswered import Unanswered, oldest_unanswered
from forum.models import Organisation

logger = logging.getLogger(__name__)

# How long the community figures of a period are shared between viewers.
COMMUNITY_SECONDS = 300


@dataclass(frozen=True)
class Dashboard:
    period: Period
    volume: Volume
    tags: TagTrends
    facets: list[FacetBreakdown]
    response_times: ResponseTimes
    most_viewed: list[PopularQuestion]
    most_followed: list[PopularQuestion]
    unanswered: Unanswered
    organisations: list[Organisation]  # whose figures this viewer may choose
    organisation: OrganisationFigures | None


def viewer_organisations(viewer) -> list[Organisation]:
    return list(permissions.insight_organisations(viewer, Organisation.objects.order_by("name")))


def chosen_organisation(viewer, slug: str | None, choices: list[Organisation]) -> Organisation | None:
    """The organisation named by `slug` if the viewer may read its figures
    (NotAllowed otherwise, also for an unknown slug: a 403 says nothing about
    which organisations exist). Without a slug, staff get their first
    organisation and moderators the community figures alone."""
    if slug:
        for organisation in choices:
            if organisation.slug == slug:
                return organisation
        raise NotAllowed(_("Only this organisation's verified staff and moderators see its figures."))
    if choices and not permissions.is_moderator(viewer):
        return choices[0]
    return None


@contextmanager
def without_jit():
    """PostgreSQL compiles a query with JIT when its estimated cost is high,
    and the dashboard's aggregates over a period (one subquery per question)
    are estimated far above the threshold: on 100,000 questions, 90 days of
    response times took 380 ms with JIT and 75 ms without
    (docs/known-traps.md). SET LOCAL ends with the transaction, so the pooled
    connection goes back unchanged."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def organisation_dashboard(viewer, organisation: Organisation, period: Period) -> OrganisationFigures:
    permissions.check_can_view_organisation_insights(viewer, organisation)
    with without_jit():
        return organisation_figures(organisation, period)


def dashboard(viewer, period: Period, *, organisation_slug: str | None = None) -> Dashboard:
    permissions.check_can_view_insights(viewer)
    choices = viewer_organisations(viewer)
    organisation = chosen_organisation(viewer, organisation_slug, choices)
    with without_jit():
        return _figures(viewer, period, choices, organisation)


@dataclass(frozen=True)
class Community:
    """The figures every viewer of a period sees alike."""

    volume: Volume
    tags: TagTrends
    facets: list[FacetBreakdown]
    response_times: ResponseTimes
    most_viewed: list[PopularQuestion]
    most_followed: list[PopularQuestion]


def community_figures(period: Period) -> Community:
    return Community(
        volume=question_volume(period),
        tags=tag_trends(period),
        facets=[facet_breakdown(period, facet) for facet in BREAKDOWNS],
        response_times=response_times(period),
        most_viewed=most_viewed(period),
        most_followed=most_followed(period),
    )


def _community_key(period: Period) -> str:
    parts = ["insights", "community", get_language() or "", period.first_day.isoformat(), period.last_day.isoformat()]
    return ":".join([*parts, page_versions.release()])


def refresh_community_figures() -> int:
    """Compute the preset periods' community figures in every language and
    share them, so that no reader pays for them (`manage.py refresh_insights`,
    scheduled more often than COMMUNITY_SECONDS). Returns the entries written."""
    written = 0
    for days in PRESETS:
        period = last_days(days)
        for language, _name in settings.LANGUAGES:
            with translation.override(language), without_jit():
                cache.set(_community_key(period), community_figures(period), COMMUNITY_SECONDS)
            written += 1
    return written


def shared_community_figures(period: Period) -> Community:
    """`community_figures`, computed once per period, language (facet labels)
    and release for every viewer within COMMUNITY_SECONDS: "veille" reads
    trends, and a few minutes' delay costs it nothing, where recomputing
    for each HR reader cost hundreds of milliseconds on 100,000 questions
    (docs/benchmarks.md). If the cache is unreachable, computed each time."""
    key = _community_key(period)
    try:
        cached = cache.get(key)
    except Exception:  # the cache is an optimisation (docs/known-traps.md)
        logger.warning("insights: cache unavailable", exc_info=True)
        return community_figures(period)
    if cached is not None:
        return cached
    figures = community_figures(period)
    try:
        cache.set(key, figures, COMMUNITY_SECONDS)
    except Exception:
        logger.warning("insights: cache unavailable", exc_info=True)
    return figures


def _figures(viewer, period: Period, choices: list[Organisation], organisation: Organisation | None) -> Dashboard:
    community = shared_community_figures(period)
    return Dashboard(
        period=period,
        volume=community.volume,
        tags=community.tags,
        facets=community.facets,
        response_times=community.response_times,
        most_viewed=community.most_viewed,
        most_followed=community.most_followed,
        unanswered=oldest_unanswered(viewer),
        organisations=choices,
        organisation=organisation_figures(organisation, period) if organisation else None,
    )
