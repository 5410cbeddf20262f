"""/healthz says the process is alive and asks nothing else; /readyz says it
can serve: database, Redis and migrations, with a 503 that names what fails."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.test import Client, override_settings

from config import readiness
from tests.support.requirements import require_postgres, require_redis

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    # The readiness module remembers a complete schema for the life of the
    # process, and its last answer for a second; each test starts as a fresh
    # process would.
    monkeypatch.setattr(readiness, "_migrations_seen_applied", False)
    readiness.forget_last_answer()
    yield
    readiness.forget_last_answer()


def test_healthz_answers_without_asking_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.postgres
@pytest.mark.redis
def test_readyz_is_ready_when_database_redis_and_migrations_are(client, db):
    require_postgres()
    redis_url = require_redis()

    with override_settings(REDIS_URL=redis_url):
        response = client.get("/readyz")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok", "migrations": "ok"},
    }


def test_readyz_names_redis_when_it_is_unreachable(client, db):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["checks"]["redis"] == "unreachable (ConnectionError)"
    assert body["checks"]["database"] == "ok"


def test_readyz_names_migrations_not_applied(client, db):
    # Inside the test's transaction, rolled back after it: the schema looks
    # one migration short, as it does between a new image's start and `migrate`.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", ["forum", "0001_initial"])

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "1 not applied"


def test_readyz_remembers_a_complete_schema(client, db, django_assert_num_queries):
    assert client.get("/readyz").status_code == 200
    readiness.forget_last_answer()

    # Later probes ask the database SELECT 1 on a connection of their own: no
    # migration graph, no django_migrations read, on every probe of every process.
    with django_assert_num_queries(0):
        assert client.get("/readyz").status_code == 200


def test_a_burst_of_readyz_requests_shares_one_answer_a_second(client, db):
    assert client.get("/readyz").status_code == 200

    # Within the second, even a Redis gone since is not asked again: a client
    # looping on the public /readyz opens no connection per request.
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        within = client.get("/readyz")
        time.sleep(readiness.ANSWER_REUSE_SECONDS + 0.1)
        after = client.get("/readyz")

    assert within.status_code == 200
    assert after.status_code == 503
    assert after.json()["failing"] == ["redis"]


@pytest.mark.server
def test_a_process_without_its_database_is_alive_but_not_ready(start_server_process, tmp_path):
    server = start_server_process(
        extra_env={"DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/nowhere", "REDIS_URL": ""}
    )

    alive = httpx.get(server.url + "/healthz", timeout=10)
    ready = httpx.get(server.url + "/readyz", timeout=20)

    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database", "migrations"]
    assert ready.json()["checks"]["database"].startswith("unreachable (")
    # The image's probe script agrees, and says why in `docker inspect`.
    probe = [sys.executable, str(ROOT / "docker" / "healthcheck.py")]
    env = {**os.environ, "PORT": str(server.port), "ALLOWED_HOSTS": "localhost"}
    assert subprocess.run([*probe, "/healthz"], env=env, capture_output=True, timeout=30).returncode == 0
    failed = subprocess.run([*probe, "/readyz"], env=env, capture_output=True, text=True, timeout=30)
    assert failed.returncode == 1
    assert "503" in failed.stderr
    assert '"database"' in failed.stderr


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_over_plain_http_where_pages_redirect_to_https(db, path):
    # Orchestrators and the proxy probe the web process directly, over HTTP.
    with override_settings(SECURE_SSL_REDIRECT=True, REDIS_URL=""):
        client = Client()
        page = client.get("/")
        probe = client.get(path)

    assert page.status_code == 301
    assert page["Location"].startswith("https://")
    assert probe.status_code == 200
