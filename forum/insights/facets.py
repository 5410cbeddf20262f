"""Which situations candidates ask about: questions of the period per diploma
level and per region (forum/models/facets.py)."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from forum.insights.activity import published_in
from forum.insights.period import Period
from forum.models.facets import FACETS

BREAKDOWNS = ("diploma", "region")


@dataclass(frozen=True)
class FacetShare:
    value: str  # "" for questions that did not say
    label: str
    questions: int


@dataclass(frozen=True)
class FacetBreakdown:
    facet: str
    total: int
    shares: list[FacetShare]  # most asked first; "not given" last


def facet_breakdown(period: Period, facet: str) -> FacetBreakdown:
    choices = FACETS[facet]
    counts = dict(published_in(period).values_list(facet).annotate(n=Count("id")).order_by())
    labels = dict(choices.choices)
    shares = sorted(
        (FacetShare(value, str(labels[value]), n) for value, n in counts.items() if value in labels),
        key=lambda s: (-s.questions, s.label),
    )
    unknown = sum(n for value, n in counts.items() if value not in labels)
    if unknown:
        shares.append(FacetShare("", _("Not given"), unknown))
    return FacetBreakdown(facet=facet, total=sum(counts.values()), shares=shares)
