"""The oldest questions still waiting for an answer in the tags the viewer
follows: the dashboard's to-do list, each one click from answering."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from taggit.models import TaggedItem

from forum.models import Question, TagSubscription, Visibility

LIMIT = 10


@dataclass(frozen=True)
class Unanswered:
    questions: list[Question]
    # False when the viewer follows no tag: the list then spans every tag.
    followed_tags_only: bool


def oldest_unanswered(viewer, *, limit: int = LIMIT) -> Unanswered:
    """Published, unlocked, with no published answer; oldest first. Not
    bound to the period: an old unanswered question is the most urgent one."""
    followed = TagSubscription.objects.filter(user=viewer).values("tag_id")
    followed_only = followed.exists()
    questions = Question.objects.filter(visibility=Visibility.PUBLISHED, answer_count=0, is_locked=False)
    if followed_only:
        questions = questions.filter(
            Exists(
                TaggedItem.objects.filter(
                    content_type_id=ContentType.objects.get_for_model(Question).pk,
                    object_id=OuterRef("pk"),
                    tag_id__in=followed,
                )
            )
        )
    rows = list(questions.select_related("author").prefetch_related("tags").order_by("created_at", "id")[:limit])
    return Unanswered(questions=rows, followed_tags_only=followed_only)
