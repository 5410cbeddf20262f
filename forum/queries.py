"""Reads shared by the web pages, the API and the websocket catch-up.

Every list here runs a fixed number of queries whatever its length (tested).
"""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from forum import permissions
from forum.exceptions import NotFound
from forum.models import Answer, Event, Question, Vote

LIST_FILTERS = ("all", "unanswered", "answered", "solved")
LIST_ORDERINGS = {
    "activity": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-answer_count", "-last_activity_at", "-id"),
}


def question_list(
    user,
    *,
    status: str = "all",
    tag: str | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: str = "activity",
) -> QuerySet[Question]:
    qs = permissions.visible_questions(user, Question.objects.all())
    if status == "unanswered":
        qs = qs.filter(answer_count=0)
    elif status == "answered":
        qs = qs.filter(answer_count__gt=0)
    elif status == "solved":
        qs = qs.filter(accepted_answer__isnull=False)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if author:
        qs = qs.filter(author__username=author)
    if search:
        for word in search.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return (
        qs.select_related("author")
        .prefetch_related("tags")
        .order_by(*LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["activity"]))
    )


def thread_answers(user, question: Question) -> QuerySet[Answer]:
    """Accepted first, then most helpful, then oldest."""
    accepted_id = question.accepted_answer_id or 0
    return (
        permissions.visible_answers(user, question.answers.all())
        .select_related("author")
        .annotate(
            accepted_rank=Case(When(pk=accepted_id, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("accepted_rank", "-vote_count", "created_at", "id")
    )


def voted_answer_ids(user, answer_ids) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Vote.objects.filter(user=user, answer_id__in=list(answer_ids)).values_list("answer_id", flat=True))


def get_visible_question(user, pk) -> Question:
    """The question if this user may see it, else NotFound (never a hint it exists)."""
    try:
        question = Question.objects.select_related("author").get(pk=int(pk))
    except (Question.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    permissions.check_can_view_question(user, question)
    return question


def get_visible_answer(user, pk) -> Answer:
    try:
        answer = Answer.objects.select_related("author", "question", "question__author").get(pk=int(pk))
    except (Answer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if not permissions.can_view_answer(user, answer):
        raise NotFound()
    return answer


def user_activity(user, profile_user):
    questions = question_list(user, author=profile_user.username, ordering="newest")
    answers = (
        permissions.visible_answers(user, Answer.objects.filter(author=profile_user))
        .filter(question__in=permissions.visible_questions(user, Question.objects.all()))
        .select_related("question")
        .order_by("-created_at", "-id")
    )
    return questions, answers


def latest_cursor() -> str:
    """The cursor a freshly rendered page subscribes from: events after it were
    not in the HTML and will be caught up over the websocket."""
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    return str(last or 0)
