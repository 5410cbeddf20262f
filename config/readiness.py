"""What `/readyz` asks before a load balancer sends this process traffic: the
database answers, Redis answers (when the deployment uses it), and the code's
migrations are all applied. Each check returns None when fine, or a short
reason that names the part and never the connection string (the answer is
public through the proxy)."""

import time
from collections.abc import Callable

import psycopg
import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

# Every probe must answer well inside the orchestrator's timeout (5 s in
# compose.yaml and the Dockerfile), even when a host drops packets.
REDIS_TIMEOUT_SECONDS = 1.0
DATABASE_TIMEOUT_SECONDS = 2

ANSWER_REUSE_SECONDS = 1.0

_migrations_seen_applied = False
# (when, problems) of the last answer, reused for ANSWER_REUSE_SECONDS.
_last_answer: tuple[float, dict[str, str]] | None = None


def database_problem() -> str | None:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        if connection.vendor == "postgresql":
            _ask_postgresql_directly(connection)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means "not ready"; the class is enough to start looking
        return f"unreachable ({type(exc).__name__})"
    return None


def _ask_postgresql_directly(connection) -> None:
    """A connection of its own, not one from the pool: the pool waits its whole
    timeout (10 s) when the server is gone, longer than any probe may take,
    and also when every pooled connection is busy serving requests, which is
    load, not unreadiness (docs/known-traps.md, "every concurrent request
    holds a pool connection")."""
    params = connection.get_connection_params()
    params["connect_timeout"] = DATABASE_TIMEOUT_SECONDS
    with psycopg.connect(**params) as direct, direct.cursor() as cursor:
        cursor.execute("SELECT 1")


def redis_problem() -> str | None:
    if not settings.REDIS_URL:
        return None  # single-process deployment: in-memory layer and cache
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as exc:  # redis-py raises ConnectionError, TimeoutError, or an auth error
        return f"unreachable ({type(exc).__name__})"
    finally:
        client.close()
    return None


def migrations_problem() -> str | None:
    """Loading the migration graph reads every migration file (tens of ms), so
    once this process has seen the schema complete it stops asking: migrations
    are only ever applied forward while it runs, and a rollback comes with a
    restart of the old image."""
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return None
    try:
        loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
        # Every migration of the code, not only the leaves: a schema missing
        # one in the middle (a hand-made fix, a partial restore) is not ready.
        pending = set(loader.graph.nodes) - set(loader.applied_migrations)
    except Exception as exc:  # the database check reports the cause
        return f"unknown ({type(exc).__name__})"
    if pending:
        return f"{len(pending)} not applied"
    _migrations_seen_applied = True
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": database_problem,
    "redis": redis_problem,
    "migrations": migrations_problem,
}


def problems() -> dict[str, str]:
    """The failing parts, by name; empty when ready.

    Each answer is reused for ANSWER_REUSE_SECONDS: /readyz is public through
    the proxy, and every fresh answer opens a PostgreSQL and a Redis
    connection, so a client looping on it must not be able to exhaust
    max_connections. The probes (every 5 or 10 s) always get a fresh one."""
    global _last_answer
    now = time.monotonic()
    if _last_answer is not None and now - _last_answer[0] < ANSWER_REUSE_SECONDS:
        return dict(_last_answer[1])
    found = _ask_every_part()
    _last_answer = (now, found)
    return dict(found)


def forget_last_answer() -> None:
    global _last_answer
    _last_answer = None


def _ask_every_part() -> dict[str, str]:
    found = {}
    for name, check in CHECKS.items():
        # Without a database the migration check would only wait for it again.
        problem = "unknown (database unreachable)" if name == "migrations" and "database" in found else check()
        if problem:
            found[name] = problem
    return found
