"""Django's and allauth's authentication backends, reading the signed-in
member with SQL compiled once, or taking the member their session was read
with.

Every signed-in request (page, REST call with a session, websocket) loads its
member by primary key through the backend that logged them in; the ORM
builds and compiles that query each time, three times the CPU of running it
(0.42 against 0.15 ms in-process, docs/benchmarks.md). Same row, same checks
(`user_can_authenticate`), same logins: only the read is compiled, and it
brings the member's moderator membership, list traits and unread
notification count along. A page or API request with a session cookie does
not even ask: its session was read with its member, in one query
(config/session_store.py), and the backend takes that member (`reading_with`).

Sessions store the dotted path of the backend that logged the member in, and
Django only honours paths listed in AUTHENTICATION_BACKENDS: the session
store (config/session_store.py) reads the former paths as these, so that
switching logs nobody out.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user, get_user_model
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from forum import compiled_sql, queries

# The member's list traits come as annotations named with this prefix.
_TRAIT = "list_trait_"
_UNREAD = "unread_at_arrival"


def with_member_read(queryset: QuerySet, member_ref: str) -> QuerySet:
    """`queryset` annotated with what the member's read brings, for the member
    whose id is its rows' `member_ref`: the member's own read, and the session
    read with its member (config/session_store.py)."""
    # Most pages ask "moderator?" (the account menu's review queue link, the
    # permission policy), the list pages the rest of the member's list traits
    # (forum.queries.sees_lists_as_any_member): answered with the member, not
    # by a query of their own.
    # Every page counts their unread notifications too (the account menu).
    traits = queries.member_trait_annotations(OuterRef(member_ref))
    unread = Coalesce(Subquery(queries.unread_count_query(OuterRef(member_ref))), Value(0))
    return queryset.annotate(**{f"{_TRAIT}{name}": traits[name] for name in queries.LIST_TRAITS}, **{_UNREAD: unread})


def member_from_read(user, row):
    """`user` knowing what `row` (annotated by `with_member_read`) tells of them."""
    queries.remember_list_traits(user, {name: getattr(row, f"{_TRAIT}{name}") for name in queries.LIST_TRAITS})
    queries.remember_unread_count(user, getattr(row, _UNREAD))
    return user


def _member(pk: int):
    return with_member_read(get_user_model()._default_manager.filter(pk=pk), "pk")


_MEMBER = compiled_sql.CompiledQuery(_member, (compiled_sql.marker_int(0),))

# The session Django is reading the member of (`reading_with`): its store read
# the member with it.
_session: ContextVar = ContextVar("session_read_for_its_member", default=None)


def user_of(request):
    """`django.contrib.auth.get_user(request)` (which checks the backend and
    the session's hash), taking the member `request.session`'s store read
    with it: the pages' and API's middleware (config/session_store.py) and
    the websocket's session handshake (api/ws_auth.py)."""
    with reading_with(request.session):
        return get_user(request)


@contextmanager
def reading_with(session):
    """While Django reads the member of `session` (config/session_store.py's
    AuthenticationMiddleware), the backends take the member its store read
    with it rather than reading them again. Scoped to that read: no other
    caller of `get_user` ever gets a member read for another request."""
    token = _session.set(session)
    try:
        yield
    finally:
        _session.reset(token)


class _CompiledRead:
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        read_with_session = getattr(_session.get(), "member", None)
        if read_with_session is not None and read_with_session.pk == pk:
            user = read_with_session
        else:
            user = _MEMBER.instance(pk)
            if user is not None:
                member_from_read(user, user)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user


class ModelBackend(_CompiledRead, backends.ModelBackend):
    pass


class AuthenticationBackend(_CompiledRead, allauth_backends.AuthenticationBackend):
    pass


# The paths sessions written before these backends hold, and what they mean now.
FORMER_PATHS = {
    "django.contrib.auth.backends.ModelBackend": "forum.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "forum.auth_backends.AuthenticationBackend",
}
