"""Database sessions that carry their member: read with them in one query,
with SQL compiled once.

Django's database store keeps the member's id inside the signed session data
only, so every signed-in request read its session row, then its member (and
Django's store builds its query through the ORM each time, which costs more
CPU than PostgreSQL spends answering it: forum/compiled_sql.py). Here the
rows are `forum.MemberSession`: Django's key, data and expiry, plus the
member's id, written from the data on every save. `load` reads the session
and its member, with what the member's read brings (list traits, unread
count: forum/auth_backends.py), in one query; the authentication backend
takes the member from the session it was read with rather than asking again
(`forum.auth_backends.reading_with`). Django still checks the session
against the member (the password's hash) as before.

Migration 0027 copied the sessions of Django's table here, so the switch
logged nobody out, nor did the move of the authentication backends
(forum/auth_backends.py): a session naming a former backend path is read as
naming the new one.
"""

from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import db
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from forum import auth_backends, compiled_sql


def _session_with_member(session_key: str, now):
    from forum.models import MemberSession

    return auth_backends.with_member_read(
        MemberSession.objects.filter(session_key=session_key, expire_date__gt=now).select_related("user"), "user_id"
    )


_SESSION = compiled_sql.CompiledQuery(
    _session_with_member, (compiled_sql.marker_text(0), compiled_sql.marker_datetime(0))
)


class SessionStore(db.SessionStore):
    member = None  # the member read with the session, once loaded

    @classmethod
    def get_model_class(cls):
        from forum.models import MemberSession

        return MemberSession

    def load(self):
        self.member = None
        session = _SESSION.instance(self.session_key, timezone.now())
        if session is None:
            # As Django's: an unknown or expired key is dropped, a new one made on save.
            self._session_key = None
            return {}
        data = self.decode(session.session_data)
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in auth_backends.FORMER_PATHS:
            # Logged in before the backends moved: the same backend, renamed.
            data[BACKEND_SESSION_KEY] = auth_backends.FORMER_PATHS[backend]
        if session.user is not None and str(session.user_id) == str(data.get(SESSION_KEY)):
            self.member = auth_backends.member_from_read(session.user, session)
        return data

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        member_id = str(data.get(SESSION_KEY) or "")
        instance.user_id = int(member_id) if member_id.isdigit() else None
        return instance


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, but the member comes from the read of their session when the
    session store read them with it (one query for both)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    # As django.contrib.auth.middleware.get_user, with the session's member.
    if not hasattr(request, "_cached_user"):
        request._cached_user = auth_backends.user_of(request)
    return request._cached_user
