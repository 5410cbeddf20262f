"""The project's settings for the test run (pyproject.toml points pytest-django
here): the real ones, plus a development key, since config.settings refuses to
start without SECRET_KEY when DEBUG is off, which is how tests run.

Server processes started by the tests inherit DJANGO_SETTINGS_MODULE and are
given this same key (tests/support/server.py), so sessions and signatures made
in the test process are valid there.
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "django-insecure-test-only-key-never-used-in-production")
# Tasks run in-process at enqueue (on commit) in tests; the worker test opts
# into the database backend (forum/tests/test_notification_worker.py).
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")


def _redis_database_per_worker() -> None:
    """Under pytest-xdist each worker gets the next Redis database (gw0 -> base+1,
    gw1 -> base+2...), so workers never clear each other's cache or hear each
    other's events (the channel prefix follows the database number). Written back
    to the environment so the server processes a test starts inherit it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    # Server processes inherit both variables: they must not move on again.
    if not (worker.startswith("gw") and url) or os.environ.get("REDIS_URL_PER_WORKER"):
        return
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = (base + 1 + int(worker[2:])) % 16
    os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{number}"))
    os.environ["REDIS_URL_PER_WORKER"] = "1"


_redis_database_per_worker()

from config.settings import *  # noqa: E402, F403
