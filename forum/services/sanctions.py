"""Sanctions on members: warn, suspend for a duration, ban, and lift them.

Each names the charter clause it applies and carries a message the member
reads ("Mes avertissements"). A suspension or a ban takes effect at once:
- suspended: `User.suspended_until` is set, the permission policy refuses
  posting, voting and flagging until then (the member can still read and sees
  the end date);
- banned: the account is deactivated (the login and the session stop working);
- both: every device token is revoked and a `session.revoked` event on the
  member's private topic tells the websocket consumer to close their sockets.
Every sanction and lift writes one audit entry.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import events, permissions
from forum.exceptions import Conflict, InvalidInput
from forum.models import CharterClause, Sanction, User
from forum.services import audit
from forum.services.tokens import revoke_all_tokens

MESSAGE_MAX = 2000
SUSPENSION_DAYS_MAX = 365


def _clean(clause, message) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if clause not in CharterClause.values:
        errors["clause"] = [_("Choose the charter clause the member broke.")]
    message = message.strip() if isinstance(message, str) else ""
    if len(message) > MESSAGE_MAX:
        errors["message"] = [_("At most %(max)d characters.") % {"max": MESSAGE_MAX}]
    if errors:
        raise InvalidInput(fields=errors)
    return clause, message


def _member_state(member: User) -> dict:
    return {"is_active": member.is_active, "suspended_until": member.suspended_until}


def _lock(member: User) -> User:
    return User.objects.select_for_update().get(pk=member.pk)


def warn_member(*, moderator: User, member: User, clause: str, message: str = "") -> Sanction:
    permissions.check_can_sanction(moderator, member)
    clause, message = _clean(clause, message)
    with transaction.atomic():
        member = _lock(member)
        sanction = Sanction.objects.create(
            user=member, kind=Sanction.Kind.WARNING, clause=clause, message=message, issued_by=moderator
        )
        _notify(member)
        audit.record(
            actor=moderator,
            action="member.warn",
            target=member,
            reason=_reason(clause, message),
            after={"sanction": sanction.pk, "clause": clause},
        )
        events.moderation_warning(sanction)
    return sanction


def suspend_member(*, moderator: User, member: User, days, clause: str, message: str = "") -> Sanction:
    """Suspend for `days` whole days from now (1 to 365). A new suspension
    replaces the end date of a running one."""
    permissions.check_can_sanction(moderator, member)
    clause, message = _clean(clause, message)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= SUSPENSION_DAYS_MAX:
        raise InvalidInput(fields={"days": [_("Suspend for 1 to %(max)d days.") % {"max": SUSPENSION_DAYS_MAX}]})
    with transaction.atomic():
        member = _lock(member)
        before = _member_state(member)
        member.suspended_until = timezone.now() + timedelta(days=days)
        member.unseen_sanctions += 1
        member.save(update_fields=["suspended_until", "unseen_sanctions"])
        sanction = Sanction.objects.create(
            user=member,
            kind=Sanction.Kind.SUSPENSION,
            clause=clause,
            message=message,
            issued_by=moderator,
            ends_at=member.suspended_until,
        )
        tokens = revoke_all_tokens(user=member, announce=False)  # session.revoked closes sockets (4403)
        audit.record(
            actor=moderator,
            action="member.suspend",
            target=member,
            reason=_reason(clause, message),
            before=before,
            after=_member_state(member) | {"sanction": sanction.pk, "days": days, "tokens_revoked": tokens},
        )
        events.moderation_warning(sanction)
        events.session_revoked(member.pk, reason="suspended")
    return sanction


def lift_suspension(*, moderator: User, member: User, note: str = "") -> User:
    permissions.check_can_sanction(moderator, member)
    note = note.strip() if isinstance(note, str) else ""
    with transaction.atomic():
        member = _lock(member)
        if not permissions.is_suspended(member):
            raise Conflict(_("This member is not suspended."))
        before = _member_state(member)
        now = timezone.now()
        member.suspended_until = None
        member.save(update_fields=["suspended_until"])
        Sanction.objects.filter(
            user=member, kind=Sanction.Kind.SUSPENSION, lifted_at__isnull=True, ends_at__gt=now
        ).update(lifted_at=now, lifted_by=moderator)
        audit.record(
            actor=moderator,
            action="member.unsuspend",
            target=member,
            reason=note,
            before=before,
            after=_member_state(member),
        )
    return member


def ban_member(*, moderator: User, member: User, clause: str, message: str = "") -> Sanction:
    permissions.check_can_sanction(moderator, member)
    clause, message = _clean(clause, message)
    with transaction.atomic():
        member = _lock(member)
        if not member.is_active:
            raise Conflict(_("This account is already deactivated."))
        before = _member_state(member)
        member.is_active = False
        member.unseen_sanctions += 1
        member.save(update_fields=["is_active", "unseen_sanctions"])
        sanction = Sanction.objects.create(
            user=member, kind=Sanction.Kind.BAN, clause=clause, message=message, issued_by=moderator
        )
        tokens = revoke_all_tokens(user=member, announce=False)  # session.revoked closes sockets (4403)
        audit.record(
            actor=moderator,
            action="member.ban",
            target=member,
            reason=_reason(clause, message),
            before=before,
            after=_member_state(member) | {"sanction": sanction.pk, "tokens_revoked": tokens},
        )
        events.session_revoked(member.pk, reason="banned")
    return sanction


def unban_member(*, moderator: User, member: User, note: str = "") -> User:
    permissions.check_can_sanction(moderator, member)
    note = note.strip() if isinstance(note, str) else ""
    with transaction.atomic():
        member = _lock(member)
        if member.is_active:
            raise Conflict(_("This account is active."))
        before = _member_state(member)
        member.is_active = True
        member.save(update_fields=["is_active"])
        Sanction.objects.filter(user=member, kind=Sanction.Kind.BAN, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=moderator
        )
        audit.record(
            actor=moderator,
            action="member.unban",
            target=member,
            reason=note,
            before=before,
            after=_member_state(member),
        )
    return member


def mark_warnings_seen(*, user: User) -> int:
    """The member opened "Mes avertissements": the notice stops showing."""
    if not getattr(user, "is_authenticated", False):
        return 0
    with transaction.atomic():
        seen = Sanction.objects.filter(user=user, seen_at__isnull=True).update(seen_at=timezone.now())
        User.objects.filter(pk=user.pk).update(unseen_sanctions=0)
    user.unseen_sanctions = 0
    return seen


def _notify(member: User) -> None:
    """Count one more unread sanction (the member's row is locked)."""
    member.unseen_sanctions += 1
    member.save(update_fields=["unseen_sanctions"])


def _reason(clause: str, message: str) -> str:
    return " — ".join(str(part) for part in (CharterClause(clause).label, message) if part)
