"""The pooled connections' health check (config/db_pool.py) against a real
PostgreSQL: it still finds a dead connection, but asks a live one at most once
per CHECK_INTERVAL."""

import psycopg
import pytest
from django.db import connection

from config import db_pool
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(db_pool.time, "monotonic", clock)
    return clock


@pytest.fixture
def own_connection():
    require_postgres()
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    conn = psycopg.connect(**params, autocommit=True)
    yield conn
    conn.close()


def terminate(conn):
    with psycopg.connect(
        **{
            k: v
            for k, v in connection.get_connection_params().items()
            if k in {"dbname", "host", "port", "user", "password"}
        },
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [conn.info.backend_pid])


def test_a_connection_killed_by_the_server_fails_its_check_once_the_interval_passed(clock, own_connection):
    db_pool.check_connection(own_connection)  # checked, and alive
    terminate(own_connection)

    clock.now += db_pool.CHECK_INTERVAL / 2
    db_pool.check_connection(own_connection)  # not asked again within the interval

    clock.now += db_pool.CHECK_INTERVAL
    with pytest.raises(psycopg.OperationalError):
        db_pool.check_connection(own_connection)


def test_a_connection_never_checked_is_checked_at_once(clock, own_connection):
    terminate(own_connection)

    with pytest.raises(psycopg.OperationalError):
        db_pool.check_connection(own_connection)
