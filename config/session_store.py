"""Django's database sessions, read with SQL compiled once.

Every signed-in request reads its session row first; Django's store builds
that query through the ORM each time, which costs more CPU than PostgreSQL
spends answering it (forum/compiled_sql.py, docs/benchmarks.md). Same table,
same rows, same writes: only the read is compiled. Switching to this engine
or back logs nobody out.
"""

from django.contrib.sessions.backends import db
from django.utils import timezone

from forum import compiled_sql


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
        return self.decode(row["session_data"])
