"""The review queue: holding posts, moderators' decisions, appeals.

A post waits in the queue with visibility PENDING (held before publication, or
taken out of view by flags) or stays PUBLISHED with an open item (flagged, below
the hiding threshold). A decision closes the item:

- approve: the post is (or stays) published; its open flags are rejected;
- hide: the post is hidden with a charter clause and a note the author reads;
  its open flags are upheld;
- edit and approve: the moderator's edit is saved (the previous text is kept as
  a revision), then the post is published; its open flags are upheld;
- restore: a hidden post is published again; its flags, open or upheld, are
  rejected (the final word is that the post was fine).

Every decision writes one audit entry, tells the author privately and updates
the queue of every moderator live (topic `moderation`). Nothing is deleted.

Lock order, to avoid deadlocks and to keep the event-log lock short
(forum.events): review item, then post, then (for an answer) its question,
then events.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, permissions
from forum.exceptions import Conflict, InvalidInput, NotAllowed
from forum.models import (
    Answer,
    CharterClause,
    Flag,
    HoldReason,
    Question,
    ReviewItem,
    User,
    Visibility,
)
from forum.notifications import dispatch as notify
from forum.services import audit
from forum.services.answers import edit_answer
from forum.services.questions import edit_question
from forum.services.review_queue import lock_post, lock_question_of, open_item, post_filter, set_visibility

NOTE_MAX = 1000
APPEAL_MIN, APPEAL_MAX = 10, 1000
BULK_MAX = 100
Decision = ReviewItem.Decision


# --- Deciding ----------------------------------------------------------------------


def _snapshot(post: Question | Answer) -> dict:
    data = {"visibility": post.visibility, "moderation_reason": post.moderation_reason}
    if isinstance(post, Question):
        data["title"] = post.title
    data["body"] = post.body
    return data


def _clean_decision(decision: str, clause: str, note: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Choose approve, hide, edit and approve, or restore.")]
    clause = clause or ""
    if decision == Decision.HIDE and clause not in CharterClause.values:
        errors["clause"] = [_("Choose the charter clause this post breaks: the author will read it.")]
    elif clause and clause not in CharterClause.values:
        errors["clause"] = [_("Unknown charter clause.")]
    note = (note or "").strip() if isinstance(note, str) else ""
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(max)d characters.") % {"max": NOTE_MAX}]
    if errors:
        raise InvalidInput(fields=errors)
    return decision, clause, note


def _resolve_flags(post: Question | Answer, *, upheld: bool, include_upheld: bool = False) -> None:
    statuses = [Flag.Status.OPEN, Flag.Status.UPHELD] if include_upheld else [Flag.Status.OPEN]
    Flag.objects.filter(status__in=statuses, **post_filter(post)).update(
        status=Flag.Status.UPHELD if upheld else Flag.Status.REJECTED, resolved_at=timezone.now()
    )


def _previous_hider_id(post: Question | Answer) -> int | None:
    last_hide = (
        ReviewItem.objects.filter(status=ReviewItem.Status.DECIDED, decision=Decision.HIDE, **post_filter(post))
        .order_by("-decided_at", "-id")
        .values_list("decided_by_id", flat=True)
        .first()
    )
    return last_hide


def decide(
    *,
    moderator: User,
    item: ReviewItem,
    decision: str,
    clause: str = "",
    note: str = "",
    title: str | None = None,
    body: str | None = None,
) -> ReviewItem:
    """Close one open review item with a decision (see the module docstring).
    `title`/`body` are the moderator's edit, for "edit_approve" only."""
    permissions.check_can_review(moderator)
    decision, clause, note = _clean_decision(decision, clause, note)
    if decision == Decision.EDIT_APPROVE and body is None and title is None:
        raise InvalidInput(fields={"body": [_("Write the corrected text.")]})
    with transaction.atomic():
        post = lock_post(item.question if item.question_id else item.answer)
        item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ReviewItem.Status.OPEN:
            raise Conflict(_("Another moderator already decided on this item."))
        if item.is_appeal and not moderator.is_staff and _previous_hider_id(post) == moderator.pk:
            raise NotAllowed(_("An appeal is a second review: another moderator must decide on it."))
        before = _snapshot(post)
        if decision == Decision.EDIT_APPROVE:
            lock_question_of(post)
            post = _edit_post(moderator=moderator, post=post, title=title, body=body)
        return _apply(
            moderator=moderator, item=item, post=post, decision=decision, clause=clause, note=note, before=before
        )


def _apply(
    *, moderator: User, item: ReviewItem, post, decision: str, clause: str, note: str, before: dict | None = None
) -> ReviewItem:
    if post.visibility == Visibility.WITHDRAWN:
        raise Conflict(_("The author withdrew this post: there is nothing left to decide."))
    question = lock_question_of(post)
    before = before or _snapshot(post)
    if decision == Decision.HIDE:
        set_visibility(post, question, Visibility.HIDDEN, reason=clause, note=note)
        _resolve_flags(post, upheld=True)
    elif decision == Decision.RESTORE:
        set_visibility(post, question, Visibility.PUBLISHED)
        _resolve_flags(post, upheld=False, include_upheld=True)
    else:
        set_visibility(post, question, Visibility.PUBLISHED)
        _resolve_flags(post, upheld=decision == Decision.EDIT_APPROVE)
    now = timezone.now()
    item.status = ReviewItem.Status.DECIDED
    item.decision = decision
    item.decided_by = moderator
    item.decided_at = now
    item.clause = clause
    item.note = note
    item.updated_at = now
    item.save(update_fields=["status", "decision", "decided_by", "decided_at", "clause", "note", "updated_at"])
    audit.record(
        actor=moderator,
        action=f"review.{decision}",
        target=post,
        reason=_audit_reason(clause, note),
        before=before,
        after=_snapshot(post) | {"review_item": item.pk, "reasons": item.reasons, "appeal": item.is_appeal},
    )
    events.review_changed(item, events.REVIEW_RESOLVED)
    events.moderation_decision(post, decision=decision, clause=clause, note=note, review_item_id=item.pk)
    notify.moderation_decided(
        post, decision=decision, clause=clause, note=note, moderator_id=moderator.pk, review_item_id=item.pk
    )
    return item


def _audit_reason(clause: str, note: str) -> str:
    label = CharterClause(clause).label if clause else ""
    return " — ".join(str(part) for part in (label, note) if part)


def _edit_post(*, moderator: User, post: Question | Answer, title: str | None, body: str | None):
    """The edit half of "edit and approve", through the ordinary edit services
    (revision kept, text validated and sanitised). The caller holds the locks."""
    if isinstance(post, Question):
        edit_question(editor=moderator, question=post, title=title, body=body)
    else:
        edit_answer(editor=moderator, answer=post, body=body if body is not None else post.body)
    return lock_post(post)


def decide_many(
    *, moderator: User, item_ids: list[int], decision: str, clause: str = "", note: str = ""
) -> dict[int, str]:
    """Bulk approve / hide / restore: each item is decided in its own
    transaction (one audit entry each). Returns {item id: "ok" or the reason it
    was skipped}."""
    permissions.check_can_review(moderator)
    decision, clause, note = _clean_decision(decision, clause, note)
    if decision == Decision.EDIT_APPROVE:
        raise InvalidInput(fields={"decision": [_("Edit and approve works on one post at a time.")]})
    if not isinstance(item_ids, list | tuple) or not item_ids or len(item_ids) > BULK_MAX:
        raise InvalidInput(fields={"ids": [_("Select between 1 and %(max)d items.") % {"max": BULK_MAX}]})
    try:
        ids = list(dict.fromkeys(int(pk) for pk in item_ids))
    except (TypeError, ValueError):
        raise InvalidInput(fields={"ids": [_("Invalid selection.")]}) from None
    items = {item.pk: item for item in ReviewItem.objects.filter(pk__in=ids)}
    results: dict[int, str] = {}
    for pk in ids:
        if pk not in items:
            results[pk] = str(_("This item does not exist."))
            continue
        try:
            decide(moderator=moderator, item=items[pk], decision=decision, clause=clause, note=note)
        except (Conflict, NotAllowed) as error:
            results[pk] = error.message
        else:
            results[pk] = "ok"
    return results


def hide_post(*, moderator: User, post: Question | Answer, clause: str, note: str = "") -> ReviewItem:
    """Hide straight from the thread page: opens (or reuses) the post's review
    item and decides it, so the history and the audit look the same as from the queue."""
    permissions.check_can_review(moderator)
    clause, note = _clean_decision(Decision.HIDE, clause, note)[1:]
    with transaction.atomic():
        post = lock_post(post)
        if post.visibility == Visibility.HIDDEN:
            raise Conflict(_("This post is already hidden."))
        item = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN, **post_filter(post)).first()
        if item is None:
            item = ReviewItem.objects.create(
                author_id=post.author_id, reasons=[HoldReason.MODERATOR_FLAG], **post_filter(post)
            )
        else:
            item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        return _apply(moderator=moderator, item=item, post=post, decision=Decision.HIDE, clause=clause, note=note)


def restore_post(*, moderator: User, post: Question | Answer, note: str = "") -> ReviewItem:
    permissions.check_can_review(moderator)
    note = _clean_decision(Decision.RESTORE, "", note)[2]
    with transaction.atomic():
        post = lock_post(post)
        if post.visibility not in (Visibility.HIDDEN, Visibility.PENDING):
            raise Conflict(_("Only a hidden or pending post can be restored."))
        item = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN, **post_filter(post)).first()
        if item is None:
            item = ReviewItem.objects.create(author_id=post.author_id, reasons=[], **post_filter(post))
        else:
            item = ReviewItem.objects.select_for_update().get(pk=item.pk)
        return _apply(moderator=moderator, item=item, post=post, decision=Decision.RESTORE, clause="", note=note)


# --- Appeals ------------------------------------------------------------------------


def appeal(*, user: User, post: Question | Answer, text: str) -> ReviewItem:
    """The author of a hidden post asks for a second review, once per post. The
    post comes back to the queue, marked as an appeal; the moderator who hid it
    may not decide on it (see `decide`)."""
    permissions.check_can_appeal(user, post)
    text = " ".join((text or "").split()) if isinstance(text, str) else ""
    if not APPEAL_MIN <= len(text) <= APPEAL_MAX:
        raise InvalidInput(
            fields={
                "text": [
                    _("Explain in %(min)d to %(max)d characters why the post should be published again.")
                    % {"min": APPEAL_MIN, "max": APPEAL_MAX}
                ]
            }
        )
    try:
        with transaction.atomic():
            post = lock_post(post)
            permissions.check_can_appeal(user, post)
            if ReviewItem.objects.filter(is_appeal=True, **post_filter(post)).exists():
                raise Conflict(_("You already appealed this decision: a post can be appealed once."))
            item = open_item(post=post, reasons=[HoldReason.APPEAL], appeal_text=text)
            audit.record(actor=user, action="appeal.filed", target=post, reason=text)
    except IntegrityError:
        raise Conflict(_("You already appealed this decision: a post can be appealed once.")) from None
    return item
