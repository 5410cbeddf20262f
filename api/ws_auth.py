"""Who is at the other end of a websocket handshake.

Two ways in, decided once per connection:

- ``Authorization: Bearer <device token>`` (the mobile app, the same tokens as
  the REST API). A page on another site cannot set headers on a browser
  websocket, so a token is not an ambient credential and needs no ``Origin``.
  A bad, expired or revoked token does not fall back to anonymous: the socket
  is accepted and closed at once with 4401, so the app knows to log in again
  (a refused handshake looks like a network failure to most clients).
- The session cookie (browsers), honoured only when the handshake's ``Origin``
  is one of our hosts. Browsers attach cookies to websocket handshakes from any
  site (cross-site websocket hijacking); ``Origin`` is the only thing that says
  which page opened the socket.

A handshake from a foreign ``Origin`` without a token is refused (HTTP 403),
not downgraded to anonymous: no page of ours lives there, and an anonymous
stream for someone else's site is only a cost. A handshake with no ``Origin``
and no token comes from a native client or a script: it is anonymous, and its
cookies are ignored.

``?token=`` in the URL is deliberately not accepted: URLs end up in access
logs, proxy logs and browser history, and every client that needs a token
(OkHttp, URLSession, React Native's ``WebSocket(url, null, {headers})``) can
set a header.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.module_loading import import_string

from forum import auth_backends, permissions
from forum.services.tokens import authenticate_token, session_fingerprint

INVALID_TOKEN = "invalid_token"


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def origin_is_allowed(origin: str, host: str | None = None) -> bool:
    """Compared by host name, like ALLOWED_HOSTS (ports are not compared).

    ``"*"`` in ALLOWED_HOSTS would allow every site, so it is ignored here; in
    that case the Origin must name the host the handshake was sent to."""
    try:
        domain, _port = split_domain_port(urlsplit(origin).netloc.lower())
    except ValueError:
        return False
    if not domain:
        return False
    allowed = [pattern for pattern in settings.ALLOWED_HOSTS if pattern != "*"]
    allowed += [urlsplit(trusted).hostname or "" for trusted in settings.CSRF_TRUSTED_ORIGINS]
    if validate_host(domain, [pattern for pattern in allowed if pattern]):
        return True
    if "*" in settings.ALLOWED_HOSTS and host:
        host_domain, _port = split_domain_port(host.lower())
        return bool(host_domain) and host_domain == domain
    return False


def _bearer_secret(authorization: str) -> str | None:
    scheme, _, secret = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


@database_sync_to_async
def _authenticate_bearer(authorization: str):
    secret = _bearer_secret(authorization)
    token = authenticate_token(secret) if secret else None
    if token is None:
        return None, False, None
    return token.user, permissions.is_moderator(token.user), token.pk


@database_sync_to_async
def _authenticate_session(cookie_header: str | None):
    session_key = parse_cookie(cookie_header or "").get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return AnonymousUser(), False, None
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")(session_key)
    # django.contrib.auth.get_user only needs request.session: it checks the
    # backend and the session hash (a password change logs sockets out too).
    # The store reads the member with the session (config/session_store.py).
    user = auth_backends.user_of(SimpleNamespace(session=store))
    if not user.is_authenticated:
        return user, False, None
    return user, permissions.is_moderator(user), session_fingerprint(session_key)


class WebsocketAuthMiddleware:
    """Sets ``scope["user"]``, ``scope["is_moderator"]`` (computed once: the
    consumer filters every event with it and must not ask the database),
    ``scope["auth"]`` ("token", "session" or "anonymous"), and the credential the
    socket lives on, so that it closes when that credential ends:
    ``scope["token_id"]`` (a device token's id) or ``scope["session"]`` (a web
    session's fingerprint, never its key)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        authorization = _header(scope, b"authorization")
        origin = _header(scope, b"origin")
        token_id = session = None
        if authorization is not None:
            user, is_moderator, token_id = await _authenticate_bearer(authorization)
            if user is None:
                user, scope["auth_error"] = AnonymousUser(), INVALID_TOKEN
            scope["auth"] = "token"
        elif origin is not None:
            if not origin_is_allowed(origin, _header(scope, b"host")):
                return await WebsocketDenier()(scope, receive, send)
            user, is_moderator, session = await _authenticate_session(_header(scope, b"cookie"))
            scope["auth"] = "session" if user.is_authenticated else "anonymous"
        else:
            user, is_moderator = AnonymousUser(), False
            scope["auth"] = "anonymous"
        scope["user"] = user
        scope["is_moderator"] = is_moderator
        scope["token_id"] = token_id
        scope["session"] = session
        return await self.inner(scope, receive, send)
