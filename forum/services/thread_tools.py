"""Moderators' thread tools: lock, pin, close as duplicate, retag, move
answers, merge threads. Each one writes an audit entry (before/after) and
publishes what live pages need; nothing is deleted.

- A locked thread accepts no new answer, vote or acceptance (permissions).
- A thread closed as a duplicate is locked and points to the original with a
  banner; unlocking it reopens it (the duplicate link goes too).
- Moving answers keeps their votes and revisions; an accepted answer that
  leaves its thread is no longer accepted there.
- Merging moves every answer of the source thread into the target and closes
  the source as a duplicate of the target.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, permissions
from forum.exceptions import Conflict, InvalidInput, NotFound
from forum.models import Answer, Question, TagQuestionCount, User, Visibility
from forum.search import index_thread
from forum.services import audit
from forum.validation import clean_tags, raise_if

REASON_MAX = 500


def _clean_reason(reason) -> str:
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(reason) > REASON_MAX:
        raise InvalidInput(fields={"reason": [_("At most %(max)d characters.") % {"max": REASON_MAX}]})
    return reason


def _lock_questions(*pks: int) -> dict[int, Question]:
    """Row locks in id order, so two tools on the same pair cannot deadlock."""
    locked = Question.objects.select_for_update(of=("self",)).select_related("duplicate_of").filter(pk__in=pks)
    found = {q.pk: q for q in locked.order_by("pk")}
    if len(found) != len(set(pks)):
        raise NotFound()
    return found


def _state(question: Question) -> dict:
    return {
        "is_locked": question.is_locked,
        "pinned": question.pinned_at is not None,
        "duplicate_of": question.duplicate_of_id,
        "answer_count": question.answer_count,
    }


def set_locked(*, moderator: User, question: Question, locked: bool, reason: str = "") -> Question:
    """Lock or unlock. Unlocking a thread closed as a duplicate reopens it."""
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    with transaction.atomic():
        question = _lock_questions(question.pk)[question.pk]
        if question.is_locked == locked and (locked or question.duplicate_of_id is None):
            return question
        before = _state(question)
        question.is_locked = locked
        if not locked:
            question.duplicate_of = None
        question.save(update_fields=["is_locked", "duplicate_of"])
        audit.record(
            actor=moderator,
            action="thread.lock" if locked else "thread.unlock",
            target=question,
            reason=reason,
            before=before,
            after=_state(question),
        )
        events.thread_moderated(question)
        events.thread_activity(question)
    return question


def set_pinned(*, moderator: User, question: Question, pinned: bool, reason: str = "") -> Question:
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    with transaction.atomic():
        question = _lock_questions(question.pk)[question.pk]
        if (question.pinned_at is not None) == pinned:
            return question
        if pinned and question.visibility != Visibility.PUBLISHED:
            raise Conflict(_("Only a published thread can be pinned."))
        before = _state(question)
        question.pinned_at = timezone.now() if pinned else None
        question.save(update_fields=["pinned_at"])
        audit.record(
            actor=moderator,
            action="thread.pin" if pinned else "thread.unpin",
            target=question,
            reason=reason,
            before=before,
            after=_state(question),
        )
        events.thread_moderated(question)
    return question


def _original(question: Question) -> Question:
    """Follow duplicate links (as stored, not as the caller's copy says) to the
    thread readers should end up on."""
    seen: set[int] = set()
    current = Question.objects.get(pk=question.pk)
    while current.duplicate_of_id and current.duplicate_of_id not in seen:
        seen.add(current.pk)
        current = Question.objects.get(pk=current.duplicate_of_id)
    return current


def close_as_duplicate(*, moderator: User, question: Question, original: Question, reason: str = "") -> Question:
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    target = _original(original)
    if target.pk == question.pk:
        raise InvalidInput(fields={"original": [_("A thread cannot be a duplicate of itself.")]})
    if target.visibility != Visibility.PUBLISHED:
        raise InvalidInput(fields={"original": [_("The original thread must be published.")]})
    with transaction.atomic():
        question = _lock_questions(question.pk, target.pk)[question.pk]
        before = _state(question)
        question.duplicate_of = target
        question.is_locked = True
        question.save(update_fields=["duplicate_of", "is_locked"])
        audit.record(
            actor=moderator,
            action="thread.close_duplicate",
            target=question,
            reason=reason,
            before=before,
            after=_state(question) | {"original_title": target.title},
        )
        events.thread_moderated(question)
        events.thread_activity(question)
    return question


def retag(*, moderator: User, question: Question, tags, reason: str = "") -> Question:
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    errors: dict[str, list[str]] = {}
    tag_names = clean_tags(tags, errors)
    raise_if(errors)
    with transaction.atomic():
        question = _lock_questions(question.pk)[question.pk]
        old = sorted(question.tags.names())
        if sorted(tag_names) == old:
            return question
        old_ids = list(question.tags.values_list("id", flat=True))
        question.tags.set(tag_names)
        if question.visibility == Visibility.PUBLISHED:
            TagQuestionCount.objects.retagged(before=old_ids, after=question.tags.values_list("id", flat=True))
        index_thread(question.pk)
        audit.record(
            actor=moderator,
            action="thread.retag",
            target=question,
            reason=reason,
            before={"tags": old},
            after={"tags": sorted(tag_names)},
        )
        events.question_updated(question, tag_names)
    return question


def move_answers(*, moderator: User, answers: list[Answer], target: Question, reason: str = "") -> list[Answer]:
    """Move answers (of one thread) to another thread."""
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    if not answers:
        raise InvalidInput(fields={"answers": [_("Choose at least one answer to move.")]})
    source_ids = {answer.question_id for answer in answers}
    if len(source_ids) != 1:
        raise InvalidInput(fields={"answers": [_("Move answers of one thread at a time.")]})
    source_id = source_ids.pop()
    if target.pk == source_id:
        raise InvalidInput(fields={"target": [_("Choose another thread than the one the answers are in.")]})
    with transaction.atomic():
        # Answers before their threads, the order every other service locks in.
        moved = list(
            Answer.objects.select_for_update(of=("self",))
            .select_related("author")
            .filter(pk__in=[a.pk for a in answers], question_id=source_id)
            .order_by("pk")
        )
        threads = _lock_questions(source_id, target.pk)
        source, target = threads[source_id], threads[target.pk]
        if target.visibility != Visibility.PUBLISHED:
            raise InvalidInput(fields={"target": [_("The target thread must be published.")]})
        _move(moderator=moderator, moved=moved, source=source, target=target, reason=reason, action="answers.move")
    return moved


def merge_threads(*, moderator: User, source: Question, target: Question, reason: str = "") -> Question:
    """Every answer of `source` moves to `target`; `source` is closed as its duplicate."""
    permissions.check_can_moderate(moderator)
    reason = _clean_reason(reason)
    target = _original(target)
    if target.pk == source.pk:
        raise InvalidInput(fields={"target": [_("A thread cannot be merged into itself.")]})
    with transaction.atomic():
        # Answers before their threads, the order every other service locks in.
        moved = list(
            Answer.objects.select_for_update(of=("self",))
            .select_related("author")
            .filter(question_id=source.pk)
            .order_by("pk")
        )
        threads = _lock_questions(source.pk, target.pk)
        source, target = threads[source.pk], threads[target.pk]
        if target.visibility != Visibility.PUBLISHED:
            raise InvalidInput(fields={"target": [_("The target thread must be published.")]})
        before = _state(source)
        source.duplicate_of = target
        source.is_locked = True
        source.save(update_fields=["duplicate_of", "is_locked"])
        _move(moderator=moderator, moved=moved, source=source, target=target, reason=reason, action=None)
        source.refresh_from_db()
        audit.record(
            actor=moderator,
            action="thread.merge",
            target=source,
            reason=reason,
            before=before,
            after=_state(source) | {"into": target.pk, "answers": [a.pk for a in moved]},
        )
        events.thread_moderated(source)
    return target


def _move(
    *, moderator: User, moved: list[Answer], source: Question, target: Question, reason: str, action: str | None
) -> None:
    now = timezone.now()
    published = [a for a in moved if a.visibility == Visibility.PUBLISHED]
    Answer.objects.filter(pk__in=[a.pk for a in moved]).update(question=target)
    source_update: dict = {"answer_count": F("answer_count") - len(published)}
    if source.accepted_answer_id in {a.pk for a in moved}:
        source_update["accepted_answer"] = None
    Question.objects.filter(pk=source.pk).update(**source_update)
    Question.objects.filter(pk=target.pk).update(answer_count=F("answer_count") + len(published), last_activity_at=now)
    source.refresh_from_db(fields=["answer_count", "accepted_answer"])
    target.refresh_from_db(fields=["answer_count", "last_activity_at"])
    index_thread(source.pk)
    index_thread(target.pk)
    if action:
        audit.record(
            actor=moderator,
            action=action,
            target=source,
            reason=reason,
            before={"question": source.pk, "answers": [a.pk for a in moved]},
            after={"question": target.pk, "answers": [a.pk for a in moved]},
        )
    for answer in published:
        events.answer_removed(answer, reason="moved")
        answer.question = target
        events.answer_created(answer)
    for answer in moved:
        answer.question = target
    events.thread_activity(source)
    events.thread_activity(target)
