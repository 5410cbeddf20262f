"""Recurring worries: the most viewed questions of the period, and those the
most members follow besides their asker.

The forum has no "me too" vote: following a thread ("I want to know too") is
the closest public signal, so `most_followed` counts those followers.
Both lists show public questions and counts only, never who."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from forum.insights.activity import published_in
from forum.insights.period import Period
from forum.models import Answer, Badge, Question, ThreadSubscription

LIMIT = 5


@dataclass(frozen=True)
class PopularQuestion:
    question: Question
    count: int


def most_viewed(period: Period, *, limit: int = LIMIT) -> list[PopularQuestion]:
    """Questions asked in the period, by views so far (views are counted per
    question, not per day)."""
    rows = published_in(period).filter(view_count__gt=0).order_by("-view_count", "id")[:limit]
    return [PopularQuestion(q, q.view_count) for q in rows]


def most_followed(period: Period, *, limit: int = LIMIT) -> list[PopularQuestion]:
    """Followers who chose to: asking and answering follow a thread by
    themselves (forum.notifications.dispatch), and so do the verified members
    of an organisation it is addressed to (forum.notifications.fanout); the
    others chose to wait for the answer."""
    others = (
        ThreadSubscription.objects.filter(question=OuterRef("pk"), following=True)
        .exclude(user=OuterRef("author"))
        .exclude(Exists(Answer.objects.filter(question=OuterRef("question"), author=OuterRef("user"))))
        .exclude(
            Exists(
                Badge.objects.active().filter(
                    user=OuterRef("user"), organisation__addressees__question=OuterRef("question")
                )
            )
        )
        .order_by()
        .values("question")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    rows = (
        published_in(period)
        .annotate(followers=Coalesce(Subquery(others), 0))
        .filter(followers__gt=0)
        .order_by("-followers", "id")[:limit]
    )
    return [PopularQuestion(q, q.followers) for q in rows]
