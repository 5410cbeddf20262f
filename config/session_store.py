"""Django's database sessions, read with SQL compiled once.

Every signed-in request reads its session row first; Django's store builds
that query through the ORM each time, which costs more CPU than PostgreSQL
spends answering it (forum/compiled_sql.py, docs/benchmarks.md). Same table,
same rows, same writes: only the read is compiled. Switching to this engine
or back logs nobody out, nor did the move of the authentication backends
(forum/auth_backends.py): a session naming a former backend path is read as
naming the new one.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from forum import auth_backends, compiled_sql


def _session_row(session_key: str, now):
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=session_key, expire_date__gt=now).values("session_data")


_SESSION_ROW = compiled_sql.CompiledQuery(_session_row, (compiled_sql.marker_text(0), compiled_sql.marker_datetime(0)))


class SessionStore(db.SessionStore):
    def load(self):
        row = _SESSION_ROW.first(self.session_key, timezone.now())
        if row is None:
            # As Django's: an unknown or expired key is dropped, a new one made on save.
            self._session_key = None
            return {}
        data = self.decode(row["session_data"])
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in auth_backends.FORMER_PATHS:
            # Logged in before the backends moved: the same backend, renamed.
            data[BACKEND_SESSION_KEY] = auth_backends.FORMER_PATHS[backend]
        return data
