"""Device tokens for the mobile app: issued on password login, stored hashed,
sliding expiry, revocable one by one or all at once.

Also where credentials end: revoking tokens, logging out of a web session and
changing or resetting the password each publish `credentials.revoked`, so that
websockets opened with an ended credential close at once (4401) instead of
living on with it."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import auth_backends, compiled_sql, events
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import User
from forum.models.tokens import DeviceToken

TOKEN_PREFIX = "aqa_"
# Where a request authenticated by a device token through allauth headless
# keeps the token's id (api.headless.DeviceSession): logging out there
# revokes that token.
DEVICE_TOKEN_SESSION_KEY = "forum_device_token_id"
# Sliding expiry is refreshed at most this often, to avoid a write per request.
TOUCH_INTERVAL = timedelta(minutes=5)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class InvalidCredentials(InvalidInput):
    code = "invalid_credentials"
    default_message = gettext_lazy("Wrong username, email or password.")


def obtain_token(*, request, login: str, password: str, device_name: str) -> tuple[DeviceToken, str]:
    """Password login for a device (the mobile app). `login` is a username or
    an email address, as on the web. A suspended member gets a token: they may
    still read, and the permission policy refuses their writes. A deactivated
    account (authenticate refuses it) or an unconfirmed email address does not."""
    user = authenticate(request, username=login, password=password)
    if user is None:
        raise InvalidCredentials()
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise NotAllowed(_("Confirm your email address first, with the link we sent you when you signed up."))
    token, secret = issue_token(user=user, device_name=device_name)
    User.objects.filter(pk=user.pk).update(last_login=token.created_at)
    return token, secret


def issue_token(*, user: User, device_name: str) -> tuple[DeviceToken, str]:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = DeviceToken.objects.create(
        user=user,
        name=(device_name or "").strip()[:100] or "device",
        key_hash=_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        expires_at=timezone.now() + settings.API_TOKEN_TTL,
    )
    return token, secret


def reissue_token(*, user: User, token_id: int) -> tuple[DeviceToken, str]:
    """A new token for the device of `token_id` (its name kept), for the
    device that just changed the password: every token, that one included,
    was revoked by the change, and the member proved who they are."""
    name = DeviceToken.objects.filter(user=user, pk=token_id).values_list("name", flat=True).first()
    return issue_token(user=user, device_name=name or "")


def _active_token(key_hash: str, now):
    # Every authenticated request asks "moderator?", the shared reads whether
    # the member's lists are anyone's: answered with the token, as the web's
    # session is read with its member (forum/auth_backends.py).
    return auth_backends.with_member_read(
        DeviceToken.objects.select_related("user").filter(
            key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=now
        ),
        "user_id",
    )


# Every request of the app reads its token: built and compiled once (forum/compiled_sql.py).
_ACTIVE_TOKEN = compiled_sql.CompiledQuery(
    _active_token, (compiled_sql.marker_text(0), compiled_sql.marker_datetime(0))
)


def authenticate_token(secret: str) -> DeviceToken | None:
    """The active token for this secret, its expiry slid forward; None otherwise.
    Suspension does not void the token (the member may still read); the
    permission policy refuses their writes."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = timezone.now()
    token = _ACTIVE_TOKEN.instance(_hash(secret), now)
    if token is None or not token.user.is_active:
        return None
    auth_backends.member_from_read(token.user, token)
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        token.last_used_at = now
        token.expires_at = now + settings.API_TOKEN_TTL
        DeviceToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=token.expires_at)
    return token


def active_tokens(*, user: User) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-id"
    )


def revoke_token(*, user: User, token_id: int) -> bool:
    with transaction.atomic():
        revoked = bool(
            DeviceToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        )
        if revoked:
            events.credentials_revoked(user.pk, token_ids=[token_id], reason="token_revoked")
    return revoked


def revoke_all_tokens(*, user: User, announce: bool = True) -> int:
    """`announce=False` when the caller closes the member's sockets its own way
    (a suspension or a ban publishes `session.revoked`, closed with 4403)."""
    with transaction.atomic():
        count = DeviceToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if announce:
            events.credentials_revoked(user.pk, all_tokens=True, reason="tokens_revoked")
    return count


def session_fingerprint(session_key: str) -> str:
    """What the event log and the consumer know of a web session: a hash, so
    that neither the log nor the channel layer holds a usable session key."""
    return hashlib.sha256(b"ws-session:" + session_key.encode()).hexdigest()[:32]


def end_session(*, user: User, session_key: str | None, device_token_id: int | None = None) -> None:
    """A logout. From a device (the app logging out through allauth headless
    with its device token): that token is revoked, its sockets close. From
    the web: the sockets opened with this session close. The member's other
    sessions and devices keep theirs."""
    if device_token_id is not None:
        revoke_token(user=user, token_id=device_token_id)
        return
    if not session_key:
        return
    with transaction.atomic():
        events.credentials_revoked(user.pk, session=session_fingerprint(session_key), reason="logged_out")


def end_credentials_after_password_change(*, user: User) -> int:
    """A password changed, reset or set: every device token is revoked (whoever
    knew the old password may have logged in a device with it), and every open
    websocket of the member closes, web sessions included (Django ends the other
    sessions itself through the session hash; the page that changed the password
    reconnects with its refreshed session)."""
    with transaction.atomic():
        count = DeviceToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        events.credentials_revoked(user.pk, all_tokens=True, all_sessions=True, reason="password_changed")
    return count
