"""Personas and factories shared by every test package.

Factories are keyword functions that go through the real services, so derived
state (counters, events, revisions) is what production would have.
"""

import itertools

import pytest
from django.contrib.auth.models import Group

from forum.models import User
from forum.permissions import MODERATORS_GROUP

_seq = itertools.count(1)


def make_user(*, username: str | None = None, password: str = "correct-horse-battery", **fields) -> User:
    username = username or f"user{next(_seq)}"
    fields.setdefault("email", f"{username}@example.org")
    fields.setdefault("display_name", username.replace("-", " ").title())
    user = User.objects.create_user(username=username, password=password, **fields)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_moderator(**fields) -> User:
    user = make_user(**fields)
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    user.groups.add(group)
    return user


def make_question(*, author: User, title: str | None = None, body: str | None = None, tags=("bts",)):
    from forum.services.questions import ask_question

    n = next(_seq)
    return ask_question(
        author=author,
        title=title or f"Comment trouver une alternance en BTS numéro {n} ?",
        body=body or "Je cherche une entreprise pour mon BTS MCO à la rentrée, des conseils ?",
        tags=list(tags),
    )


def make_answer(*, author: User, question, body: str | None = None):
    from forum.services.answers import post_answer

    return post_answer(
        author=author,
        question=question,
        body=body or "Commence par le site de ton CFA et les forums alternance de ta région.",
    )


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
