"""Top tags of the period and rising ones (growth against the period before)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from taggit.models import TaggedItem

from forum.insights.period import Period
from forum.models import Question, Visibility

LIMIT = 10


@dataclass(frozen=True)
class TagTrend:
    name: str
    slug: str
    questions: int  # asked in the period with this tag
    previous: int  # asked in the period before

    @property
    def growth(self) -> float | None:
        """+0.5 for half as many again; None when the tag was absent before (new)."""
        if not self.previous:
            return None
        return (self.questions - self.previous) / self.previous


@dataclass(frozen=True)
class TagTrends:
    top: list[TagTrend]
    rising: list[TagTrend]


def tag_trends(period: Period, *, limit: int = LIMIT) -> TagTrends:
    """One grouped query over both periods' tagged questions. Rising: tags
    with more questions than before, by questions gained (a tag going from 1
    to 3 is not more telling than one from 40 to 60), then by name."""
    before = period.previous()
    current = Q(object_id__in=_published_between(period.start, period.end))
    earlier = Q(object_id__in=_published_between(before.start, before.end))
    rows = (
        TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Question))
        .filter(object_id__in=_published_between(before.start, period.end))
        .values("tag__name", "tag__slug")
        .annotate(questions=Count("id", filter=current), previous=Count("id", filter=earlier))
        .order_by()
    )
    trends = [TagTrend(r["tag__name"], r["tag__slug"], r["questions"], r["previous"]) for r in rows]
    top = sorted((t for t in trends if t.questions), key=lambda t: (-t.questions, t.name))[:limit]
    rising = sorted(
        (t for t in trends if t.questions > t.previous), key=lambda t: (-(t.questions - t.previous), t.name)
    )[:limit]
    return TagTrends(top=top, rising=rising)


def _published_between(start, end):
    return Question.objects.filter(visibility=Visibility.PUBLISHED, created_at__gte=start, created_at__lt=end).values(
        "pk"
    )
