"""Every figure of the dashboard for one viewer and period, in one object: the
page, its CSV exports and the API read this, so they cannot disagree."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from forum import permissions
from forum.exceptions import NotAllowed
from forum.insights.activity import Volume, question_volume
from forum.insights.facets import BREAKDOWNS, FacetBreakdown, facet_breakdown
from forum.insights.organisation import OrganisationFigures, organisation_figures
from forum.insights.period import Period
from forum.insights.popular import PopularQuestion, most_followed, most_viewed
from forum.insights.response_times import ResponseTimes, response_times
from forum.insights.tags import TagTrends, tag_trends
from forum.insights.unanswered import Unanswered, oldest_unanswered
from forum.models import Organisation


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


def _figures(viewer, period: Period, choices: list[Organisation], organisation: Organisation | None) -> Dashboard:
    return Dashboard(
        period=period,
        volume=question_volume(period),
        tags=tag_trends(period),
        facets=[facet_breakdown(period, facet) for facet in BREAKDOWNS],
        response_times=response_times(period),
        most_viewed=most_viewed(period),
        most_followed=most_followed(period),
        unanswered=oldest_unanswered(viewer),
        organisations=choices,
        organisation=organisation_figures(organisation, period) if organisation else None,
    )
