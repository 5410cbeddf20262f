"""Personas shared by every test package (factories: `tests/factories.py`;
server and browser fixtures: `tests/support/fixtures.py`)."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import make_answer, make_moderator, make_question, make_user

pytest_plugins = ["tests.support.fixtures", "tests.support.figures"]


def pytest_configure(config):
    # The SQLite test database lives in VAR_DIR, which the settings no longer
    # create on import (manage.py and ./dev do, for the other commands).
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages are keyed by event cursors, and a test database rolled
    back (SQLite) hands the same cursors out again: a page cached by one test
    must not be served to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def student(db):
    return make_user(username="alice", display_name="Alice")


@pytest.fixture
def other_student(db):
    return make_user(username="bob", display_name="Bob")


@pytest.fixture
def third_student(db):
    return make_user(username="charlie", display_name="Charlie")


@pytest.fixture
def moderator(db):
    return make_moderator(username="modo", display_name="Modo")


@pytest.fixture
def question(student):
    return make_question(author=student, tags=("bts", "contrat-apprentissage"))


@pytest.fixture
def answer(question, other_student):
    return make_answer(author=other_student, question=question)


@pytest.fixture
def tag_synonyms_seeded(db):
    """The synonyms migration 0007 seeds. A transactional test elsewhere in the
    run empties every table (Django's flush) and migrations do not run again,
    so tests that rely on them seed them the migration's own way."""
    from django.apps import apps

    seed_migration = importlib.import_module("forum.migrations.0007_seed_tag_synonyms")
    seed_migration.seed(apps, None)
