"""A member's own notification settings and centre: follow, read, prefer,
unsubscribe, register a device. What others' actions make members hear is in
`forum.notifications` (fan-out after commit)."""

from datetime import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from forum import permissions, queries
from forum.exceptions import InvalidInput, NotFound
from forum.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    PushDevice,
    Question,
    TagSubscription,
    ThreadSubscription,
    User,
)
from forum.notifications import fanout, texts

MAX_DEVICES = 20


def set_thread_following(*, user: User, question: Question, following: bool) -> ThreadSubscription:
    permissions.check_can_view_question(user, question)
    subscription, _created = ThreadSubscription.objects.update_or_create(
        user=user, question=question, defaults={"following": following}
    )
    return subscription


def follow_tag(*, user: User, slug: str) -> TagSubscription:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise NotFound()
    subscription, _created = TagSubscription.objects.get_or_create(user=user, tag=tag)
    return subscription


def unfollow_tag(*, user: User, slug: str) -> None:
    TagSubscription.objects.filter(user=user, tag__slug=slug).delete()


def _changed(user: User, updated: int) -> int:
    if updated:
        # The count read with the member as the request began is stale now.
        queries.remember_unread_count(user, None)
        with transaction.atomic():
            fanout.publish_counts([user.pk])
    return updated


def mark_read(*, user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        _changed(user, updated)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return _changed(
        user, Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def mark_thread_read(*, user: User, question_id: int) -> int:
    """Reading the thread reads what it was about. Cheap when there is nothing
    unread (one UPDATE matching no row through the partial index)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _changed(
        user,
        Notification.objects.filter(recipient=user, question_id=question_id, read_at__isnull=True).update(
            read_at=timezone.now()
        ),
    )


def preferences_of(user: User) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def update_preferences(
    *,
    user: User,
    channels: dict | None = None,
    muted: bool | None = None,
    quiet_start: time | None | str = "keep",
    quiet_end: time | None | str = "keep",
    digest: str | None = None,
    language: str | None = None,
) -> NotificationPreference:
    errors: dict[str, list[str]] = {}
    if channels is not None:
        if not isinstance(channels, dict):
            errors["channels"] = [_("Expected an object of notification kinds.")]
        else:
            for kind, channel in channels.items():
                if kind not in NotificationKind.values or channel not in Channel.values:
                    errors.setdefault("channels", []).append(
                        _("Unknown kind or channel: %(kind)s") % {"kind": str(kind)[:40]}
                    )
    if digest is not None and digest not in NotificationPreference.Digest.values:
        errors["digest"] = [_("Choose none, daily or weekly.")]
    if language is not None and language not in ("fr", "en"):
        errors["language"] = [_("Choose fr or en.")]
    if (quiet_start == "keep") != (quiet_end == "keep") or ((quiet_start is None) != (quiet_end is None)):
        errors["quiet_hours"] = [_("Give both the start and the end of quiet hours, or neither.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        if channels is not None:
            pref.channels = {**pref.channels, **channels}
        if muted is not None:
            pref.muted = muted
        if quiet_start != "keep":
            pref.quiet_start, pref.quiet_end = quiet_start, quiet_end
        if digest is not None:
            pref.digest = digest
        if language is not None:
            pref.language = language
        pref.save()
    return pref


def unsubscribe(*, token: str) -> tuple[User, str]:
    """One-click unsubscribe from an email: works without logging in."""
    decoded = texts.read_unsubscribe_token(token)
    user = User.objects.filter(pk=decoded[0]).first() if decoded else None
    if user is None:
        raise InvalidInput(fields={"token": [_("This unsubscribe link is not valid.")]})
    kind = decoded[1]
    pref = preferences_of(user)
    channel = Channel.IN_APP if pref.channel(kind) == Channel.EMAIL else pref.channel(kind)
    update_preferences(user=user, channels={kind: channel})
    return user, kind


def register_device(*, user: User, platform: str, token: str) -> PushDevice:
    errors: dict[str, list[str]] = {}
    if platform not in PushDevice.Platform.values:
        errors["platform"] = [_("Choose ios, android or web.")]
    token = (token or "").strip()
    if not token or len(token) > 512:
        errors["push_token"] = [_("Give the push token (512 characters at most).")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        existing = PushDevice.objects.filter(user=user, token=token, revoked_at__isnull=True).first()
        if existing:
            return existing
        if PushDevice.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_DEVICES:
            raise InvalidInput(fields={"push_token": [_("Too many devices: revoke one first.")]})
        return PushDevice.objects.create(user=user, platform=platform, token=token)


def revoke_device(*, user: User, device_id: int) -> None:
    updated = PushDevice.objects.filter(pk=device_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotFound()
