"""The health check of pooled PostgreSQL connections (config/settings.py).

psycopg's `ConnectionPool.check_connection` costs a round trip to PostgreSQL
each time a connection is handed out: on a cached page that was one of its
three round trips, about a fifth of its CPU (docs/benchmarks.md, "Page-cache
hit, cheaper"). The check exists for one case, the connections left dead by a
PostgreSQL restart, and a connection that answered less than a second ago is
not worth asking again: it is checked at most once per CHECK_INTERVAL. One that
died within that second fails its request with a 503 (config/unavailable.py)
and the pool discards it on return, as it does for any broken connection.
"""

import time
from weakref import WeakKeyDictionary

from psycopg_pool import ConnectionPool

CHECK_INTERVAL = 1.0

_checked_at: WeakKeyDictionary = WeakKeyDictionary()


def check_connection(connection) -> None:
    """A pool `check` callback: raises if the connection is dead, like psycopg's."""
    now = time.monotonic()
    if now - _checked_at.get(connection, -CHECK_INTERVAL) < CHECK_INTERVAL:
        return
    ConnectionPool.check_connection(connection)
    _checked_at[connection] = now
