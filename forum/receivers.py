"""Signal receivers: each only calls a service (no business logic here).

Connected in `ForumConfig.ready()`. Django and allauth announce the end of a
credential through signals (logout, password change, reset or set); these pass
it on to `forum.services.tokens`, which revokes what must be and closes the
member's websockets opened with it."""

from allauth.account import signals as account_signals
from django.contrib.auth import signals as auth_signals

from forum.services import tokens


def on_logged_out(sender, request, user, **kwargs) -> None:
    # Sent before the session is flushed: its key is still the one sockets opened with.
    if user is not None and request is not None and hasattr(request, "session"):
        tokens.end_session(
            user=user,
            session_key=request.session.session_key,
            device_token_id=request.session.get(tokens.DEVICE_TOKEN_SESSION_KEY),
        )


def on_password_changed(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        tokens.end_credentials_after_password_change(user=user)


def connect() -> None:
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="forum.end_web_session")
    for signal, uid in (
        (account_signals.password_changed, "changed"),
        (account_signals.password_reset, "reset"),
        (account_signals.password_set, "set"),
    ):
        signal.connect(on_password_changed, dispatch_uid=f"forum.password_{uid}")
