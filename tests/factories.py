"""Factories shared by every test package.

Keyword functions that go through the real services, so derived
state (counters, events, revisions) is what production would have.
"""

import functools
import itertools
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from forum.models import User
from forum.permissions import MODERATORS_GROUP

_seq = itertools.count(1)


@functools.cache
def _password_hash(password: str) -> str:
    return make_password(password)


def make_user(*, username: str | None = None, password: str = "correct-horse-battery", **fields) -> User:
    username = username or f"user{next(_seq)}"
    # Personas are established members: a brand-new account has its first
    # posts pre-moderated and daily limits. Pass
    # date_joined=timezone.now() to get a newcomer.
    fields.setdefault("date_joined", timezone.now() - timedelta(days=60))
    fields.setdefault("email", f"{username}@example.org")
    fields.setdefault("display_name", username.replace("-", " ").title())
    user = User.objects.create_user(username=username, password=None, **fields)
    # The real hasher, but hashed once per password: PBKDF2 at Django 6's
    # iteration count costs most of a second per user on these machines.
    user.password = _password_hash(password)
    user.save(update_fields=["password"])
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
        # Numbered: the same text twice from one member is refused as a duplicate.
        body=body or f"Je cherche une entreprise pour mon BTS MCO à la rentrée (piste {n}), des conseils ?",
        tags=list(tags),
    )


def make_answer(*, author: User, question, body: str | None = None):
    from forum.services.answers import post_answer

    return post_answer(
        author=author,
        question=question,
        body=body or f"Commence par le site de ton CFA et les forums alternance de ta région (conseil {next(_seq)}).",
    )


def make_badge(*, user: User, organisation_name: str | None = None, role: str = "hr"):
    """An active verified badge (verified yesterday, valid for 300 days) at a
    new organisation, as a moderator's approval leaves it."""
    from forum.models import Badge, Organisation

    name = organisation_name or f"Entreprise {user.username}"
    organisation = Organisation.objects.create(name=name, slug=f"e-{user.username}")
    now = timezone.now()
    return Badge.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        verified_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=300),
    )
