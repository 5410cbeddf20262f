"""Personas shared by every test package (factories: `tests/factories.py`)."""

import pytest

from tests.factories import make_answer, make_moderator, make_question, make_user


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
