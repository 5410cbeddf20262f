"""The project's settings for the test run (pyproject.toml points pytest-django
here): the real ones, plus a development key, since config.settings refuses to
start without SECRET_KEY when DEBUG is off, which is how tests run.

Server processes started by the tests inherit DJANGO_SETTINGS_MODULE and are
given this same key (tests/support/server.py), so sessions and signatures made
in the test process are valid there.
"""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-test-only-key-never-used-in-production")
# Tasks run in-process at enqueue (on commit) in tests; the worker test opts
# into the database backend (forum/tests/test_notification_worker.py).
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from config.settings import *  # noqa: E402, F403
