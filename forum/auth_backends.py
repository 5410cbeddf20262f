"""Django's and allauth's authentication backends, reading the signed-in
member with SQL compiled once.

Every signed-in request (page, REST call with a session, websocket) loads its
member by primary key through the backend that logged them in; the ORM
builds and compiles that query each time, three times the CPU of running it
(0.42 against 0.15 ms in-process, docs/benchmarks.md). Same row, same checks
(`user_can_authenticate`), same logins: only the read is compiled.

Sessions store the dotted path of the backend that logged the member in, and
Django only honours paths listed in AUTHENTICATION_BACKENDS: the session
store (config/session_store.py) reads the former paths as these, so that
switching logs nobody out.
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends, get_user_model

from forum import compiled_sql


def _member(pk: int):
    return get_user_model()._default_manager.filter(pk=pk)


_MEMBER = compiled_sql.CompiledQuery(_member, (compiled_sql.marker_int(0),))


class _CompiledRead:
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _MEMBER.instance(pk)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledRead, backends.ModelBackend):
    pass


class AuthenticationBackend(_CompiledRead, allauth_backends.AuthenticationBackend):
    pass


# The paths sessions written before these backends hold, and what they mean now.
FORMER_PATHS = {
    "django.contrib.auth.backends.ModelBackend": "forum.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "forum.auth_backends.AuthenticationBackend",
}
