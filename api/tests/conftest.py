"""Clients and personas for the REST API tests."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from forum.models import UserRole
from forum.services.tokens import issue_token
from tests import factories
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache: without this, tests would share
    them and fail in an order-dependent way."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_password_hashing(settings):
    """Hashing a password costs ~0.5 s on purpose; tests that create members
    with many passwords, or log in many times, ask for a cheap hasher. Not for
    tests against a server process, which could not read those hashes.

    The root conftest caches one hash per password for the session: clear it
    on both sides, or an MD5 hash made here would outlive this test."""
    factories._password_hash.cache_clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    factories._password_hash.cache_clear()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def token_client(user, device_name: str = "Pixel de test") -> APIClient:
    """A client for `user` with a real device token, as the app holds one."""
    token, secret = issue_token(user=user, device_name=device_name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.token = token
    client.secret = secret
    return client


@pytest.fixture
def as_user():
    return token_client


@pytest.fixture
def hr_member(db):
    return make_user(username="claire-rh", display_name="Claire", role=UserRole.HR)


@pytest.fixture
def suspended_student(db):
    return make_user(username="sam", display_name="Sam", suspended_until=timezone.now() + timedelta(days=7))


def error_of(response, status: int) -> dict:
    """The one error shape, asserted; returns its inner object."""
    assert response.status_code == status, (response.status_code, getattr(response, "data", response.content))
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error), error
    assert isinstance(error["code"], str)
    assert error["code"]
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["fields"], dict)
    return error


# --- Permission matrices -------------------------------------------------------

PERSONAS = ("anonymous", "student", "other_student", "hr", "moderator", "suspended")


def matrix_rows(matrix: str):
    """Rows of a readable table: METHOD PATH, then one status per persona."""
    for line in matrix.strip().splitlines():
        if line.startswith("#"):
            continue
        method, path, *statuses = line.split()
        yield method, path, dict(zip(PERSONAS, map(int, statuses), strict=True))


def matrix_cases(matrix: str) -> list:
    return [
        pytest.param(method, path, persona, expected[persona], id=f"{persona}: {method} {path}")
        for method, path, expected in matrix_rows(matrix)
        for persona in PERSONAS
    ]


def persona_client(people: dict, persona: str) -> APIClient:
    """A client acting as the persona; "suspended" is suspended just now."""
    if persona == "anonymous":
        return APIClient()
    user = people[persona]
    if persona == "suspended":
        user.suspended_until = timezone.now() + timedelta(days=7)
        user.save(update_fields=["suspended_until"])
    return token_client(user)
