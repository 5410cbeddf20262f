"""What the thread page and the post forms show of moderation: why a post
waits after it is sent, and which report, appeal and moderator controls each
post gets."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest

from forum import permissions, queries
from forum.models import Answer, CharterClause, Question, ReviewItem, Visibility


def announce_post(request: HttpRequest, post: Question | Answer, published_message: str) -> None:
    """After posting or editing: the usual thanks. A post waiting for a
    moderator gets no message: the page it leads to already explains why and
    what happens next (moderation/_post_status.html), once is enough."""
    if post.visibility != Visibility.PENDING:
        messages.success(request, published_message)


def thread_moderation_context(
    request: HttpRequest, question: Question, answers: list[Answer], *, flagged: dict[str, set[int]] | None = None
) -> dict:
    """What the thread page needs for reports, appeals and moderator tools:
    two small queries for the whole thread, none per answer. `flagged`: the
    viewer's reports, when the caller read them already (queries.viewer_marks)."""
    user = request.user
    posts = [question, *answers]
    own_hidden = [p for p in posts if p.visibility == Visibility.HIDDEN and p.author_id == getattr(user, "pk", None)]
    appealed = {"question": set(), "answer": set()}
    if own_hidden:
        rows = ReviewItem.objects.filter(is_appeal=True).filter(
            Q(question__in=[p.pk for p in own_hidden if isinstance(p, Question)])
            | Q(answer__in=[p.pk for p in own_hidden if isinstance(p, Answer)])
        )
        for question_id, answer_id in rows.values_list("question_id", "answer_id"):
            appealed["question" if question_id else "answer"].add(question_id or answer_id)
    if flagged is None:
        flagged = queries.flagged_post_ids(user, question=question) if permissions.can_participate(user) else None
    return {
        "is_moderator": permissions.is_moderator(user),
        "flagged_question_ids": flagged["question"] if flagged else set(),
        "flagged_answer_ids": flagged["answer"] if flagged else set(),
        "appealed_question_ids": appealed["question"],
        "appealed_answer_ids": appealed["answer"],
        "charter_clauses": CharterClause.choices,
    }
