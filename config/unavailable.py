"""A database that cannot be reached is an outage, not a bug: 503 with
Retry-After for pages and the API alike (docs/operations.md, "Failure modes").

While PostgreSQL restarts, connections in the pool break and new ones are
refused: Django raises OperationalError or InterfaceError (psycopg's pool
raises PoolTimeout, an OperationalError, after its timeout). The error
handlers (frontend.views.errors.server_error, api.exceptions) ask
`is_database_unavailable` and answer "come back in a few seconds" instead of a
500; the pool discards the broken connections and opens new ones when the
server is back (its `check` in settings), with no process restart.
"""

import django.db

RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exc: BaseException | None) -> bool:
    # Django re-raises psycopg's errors as its own, chained: look down the chain too.
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, django.db.OperationalError | django.db.InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
