"""The review queue's primitives: one open item per post, holding a post out
of view, changing a post's visibility with its counters and live events.

Every module that puts a post in the queue or takes it out of view builds on
these: the screening of new posts (screening.py), flags (flags.py) and the
moderators' decisions (moderation.py). This module imports none of them, so
they can all import it without a cycle.

Lock order (see moderation.py): review item, then post, then (for an answer)
its question, then events.
"""

from django.db.models import F
from django.utils import timezone

from forum import events
from forum.models import Answer, Question, ReviewItem, TagQuestionCount, Visibility
from forum.notifications import dispatch as notify
from forum.search import index_thread


def post_filter(post: Question | Answer) -> dict:
    return {"question": post} if isinstance(post, Question) else {"answer": post}


def lock_post(post: Question | Answer) -> Question | Answer:
    model = type(post)
    related = ("author",) if model is Question else ("author", "question")
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=post.pk)


def lock_question_of(post: Question | Answer) -> Question:
    question_id = post.pk if isinstance(post, Question) else post.question_id
    return Question.objects.select_for_update().get(pk=question_id)


def open_item(
    *,
    post: Question | Answer,
    reasons: list[str],
    details: dict | None = None,
    appeal_text: str = "",
) -> ReviewItem:
    """The post's open review item, created or with `reasons` added. Call with
    the post's row locked (that lock is what keeps one open item per post)."""
    now = timezone.now()
    item = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN, **post_filter(post)).first()
    if item is None:
        item = ReviewItem.objects.create(
            author_id=post.author_id,
            reasons=list(dict.fromkeys(reasons)),
            details=details or {},
            is_appeal=bool(appeal_text),
            appeal_text=appeal_text,
            created_at=now,
            updated_at=now,
            **post_filter(post),
        )
        events.review_changed(item, events.REVIEW_ADDED)
        return item
    item.reasons = list(dict.fromkeys([*item.reasons, *reasons]))
    item.details = {**item.details, **(details or {})}
    if appeal_text:
        item.is_appeal, item.appeal_text = True, appeal_text
    item.updated_at = now
    item.save(update_fields=["reasons", "details", "is_appeal", "appeal_text", "updated_at"])
    events.review_changed(item, events.REVIEW_UPDATED)
    return item


def hold_post(*, post: Question | Answer, reasons: list[str], details: dict | None = None) -> ReviewItem:
    """Put a post in the queue, out of view of everyone but its author and the
    moderators. Call with the post's row locked."""
    if post.visibility == Visibility.PUBLISHED:
        question = lock_question_of(post)
        set_visibility(post, question, Visibility.PENDING, reason=reasons[0])
    return open_item(post=post, reasons=reasons, details=details)


def set_visibility(post: Question | Answer, question: Question, visibility: str, *, reason="", note="") -> None:
    """Change a post's visibility and keep counters, accepted answer and live
    pages consistent. `question` is the thread, locked by the caller."""
    was_public = post.visibility == Visibility.PUBLISHED
    post.visibility = visibility
    post.moderation_reason = reason
    post.moderation_note = note
    post.moderated_at = timezone.now()
    post.save(update_fields=["visibility", "moderation_reason", "moderation_note", "moderated_at"])
    # Before the counters: search must drop a hidden post even when nothing else changes.
    index_thread(question.pk)
    is_public = visibility == Visibility.PUBLISHED
    if was_public == is_public:
        return
    if is_public:
        notify.post_published(post)
    else:
        notify.post_unpublished(post)
    if isinstance(post, Question):
        TagQuestionCount.objects.shift(post.tags.values_list("id", flat=True), +1 if is_public else -1)
        if is_public:
            events.question_created(post, sorted(post.tags.names()))
            events.thread_activity(post)
        else:
            events.question_removed(post, reason="moderation")
        return
    update = {"answer_count": F("answer_count") + (1 if is_public else -1)}
    if is_public:
        update["last_activity_at"] = timezone.now()
    elif question.accepted_answer_id == post.pk:
        # A hidden answer cannot stay "the one that helped"; the asker may accept it again once restored.
        update["accepted_answer"] = None
    Question.objects.filter(pk=question.pk).update(**update)
    question.refresh_from_db(fields=["answer_count", "last_activity_at", "accepted_answer"])
    post.question = question
    if is_public:
        events.answer_created(post)
    else:
        events.answer_removed(post, reason="moderation")
    events.thread_activity(question)
