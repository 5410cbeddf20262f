"""Django's and allauth's authentication backends, reading the signed-in
member with SQL compiled once.

Every signed-in request (page, REST call with a session, websocket) loads its
member by primary key through the backend that logged them in; the ORM
builds and compiles that query each time, three times the CPU of running it
(0.42 against 0.15 ms in-process, docs/benchmarks.md). Same row, same checks
(`user_can_authenticate`), same logins: only the read is compiled, and it
brings the member's moderator membership, list traits and unread
notification count along.

Sessions store the dotted path of the backend that logged the member in, and
Django only honours paths listed in AUTHENTICATION_BACKENDS: the session
store (config/session_store.py) reads the former paths as these, so that
switching logs nobody out.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from forum import compiled_sql, queries

# The member's list traits come as annotations named with this prefix.
_TRAIT = "list_trait_"
_UNREAD = "unread_at_arrival"


def _member(pk: int):
    # Most pages ask "moderator?" (the account menu's review queue link, the
    # permission policy), the list pages the rest of the member's list traits
    # (forum.queries.sees_lists_as_any_member): answered with the member, not
    # by a query of their own.
    # Every page counts their unread notifications too (the account menu).
    traits = queries.member_trait_annotations(OuterRef("pk"))
    unread = Coalesce(Subquery(queries.unread_count_query(OuterRef("pk"))), Value(0))
    return (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .annotate(**{f"{_TRAIT}{name}": traits[name] for name in queries.LIST_TRAITS}, **{_UNREAD: unread})
    )


_MEMBER = compiled_sql.CompiledQuery(_member, (compiled_sql.marker_int(0),))


class _CompiledRead:
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _MEMBER.instance(pk)
        if user is None or not self.user_can_authenticate(user):
            return None
        queries.remember_list_traits(user, {name: getattr(user, f"{_TRAIT}{name}") for name in queries.LIST_TRAITS})
        queries.remember_unread_count(user, getattr(user, _UNREAD))
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
