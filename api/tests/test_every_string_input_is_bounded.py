"""Every string the API reads has a documented maximum length, and one
character more is a 400 in the one error shape, never a 500 (security review,
finding 9: a 50,000-character `?q=` crashed SQLite's LIKE).

The test walks the live OpenAPI schema, so an endpoint added tomorrow is
covered without anyone remembering to add it here."""

import re

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from forum.models import ReviewItem, VerificationRequest
from forum.services.live_sessions import submit_question as submit_live_question
from forum.services.tokens import issue_token
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_user
from tests.live_factories import make_live_session, set_clock

# Operations that would end the walker's own credentials (docs/known-traps.md, fuzzing).
SKIPPED = {("delete", "/api/v1/auth/tokens/"), ("delete", "/api/v1/auth/tokens/{id}/")}


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _is_bounded_string(node: dict) -> bool:
    return node.get("type") == "string" and "enum" not in node and not node.get("readOnly")


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"} and (method, path) not in SKIPPED:
                yield path, method, operation


def _string_parameters(schema, operation):
    for parameter in operation.get("parameters", []):
        node = _resolve(schema, parameter.get("schema", {}))
        if parameter["in"] in ("query", "path") and _is_bounded_string(node):
            yield parameter, node


def _string_body_fields(schema, operation):
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not body:
        return
    for name, prop in _resolve(schema, body["schema"]).get("properties", {}).items():
        node = _resolve(schema, prop)
        if node.get("type") == "array":
            item = _resolve(schema, node.get("items", {}))
            if _is_bounded_string(item):
                yield name, item, True
        elif _is_bounded_string(node):
            yield name, node, False


@pytest.fixture
def schema(db):
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def world(question, answer, moderator, other_student):
    """Real objects for every path parameter, so that a request reaches input
    parsing instead of stopping at a 404."""
    organisation = make_organisation(moderator=moderator, name="Groupe Exemple", domains=["groupe-exemple.fr"])
    badge = grant_badge(user=other_student, organisation=organisation, moderator=moderator)
    token, _secret = issue_token(user=moderator, device_name="walker")
    request = VerificationRequest.objects.first()
    item = ReviewItem.objects.first()
    # Live, with the walking moderator as a host: answering reaches its input rules.
    live_session = set_clock(make_live_session(organiser=other_student, hosts=[other_student, moderator]), "live")
    live_question = submit_live_question(
        author=question.author, session=live_session, body="Comment relancer une entreprise silencieuse ?"
    )
    return {
        "live-sessions": live_session.pk,
        "live-questions": live_question.pk,
        "threads": question.pk,
        "answers": answer.pk,
        "tokens": token.pk,
        "badges": badge.pk,
        "requests": request.pk,
        "queue": item.pk if item else 1,
        "username": other_student.username,
        "slug": organisation.slug,
        "domain": "groupe-exemple.fr",
    }


def _fill_path(path: str, world: dict, *, long_name: str | None = None, long_value: str = "") -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == long_name:
            return long_value
        if name == "id":
            collection = path[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            return str(world.get(collection, 1))
        return str(world[name])

    return re.sub(r"\{(\w+)\}", value, path)


def _assert_error_shape(response, name: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"]
    assert isinstance(error["fields"], dict)


def test_the_schema_declares_a_maximum_length_for_every_string_input(schema):
    missing = [
        f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
        for path, method, operation in _operations(schema)
        for parameter, node in _string_parameters(schema, operation)
        if "maxLength" not in node
    ] + [
        f"{method.upper()} {path} body {name}"
        for path, method, operation in _operations(schema)
        for name, node, _is_list in _string_body_fields(schema, operation)
        if "maxLength" not in node
    ]
    assert missing == []


def test_it_refuses_every_over_long_query_and_path_parameter_with_a_400(schema, world, moderator):
    client = APIClient()
    client.force_authenticate(moderator)
    checked = 0
    for path, method, operation in _operations(schema):
        for parameter, node in _string_parameters(schema, operation):
            long_value = "a" * (node["maxLength"] + 1)
            cache.clear()  # throttle counters: the walker sends far more than a member
            if parameter["in"] == "path":
                url = _fill_path(path, world, long_name=parameter["name"], long_value=long_value)
                response = getattr(client, method)(url, {}, format="json")
            else:
                url = _fill_path(path, world)
                response = getattr(client, method)(f"{url}?{parameter['name']}={long_value}")
            _assert_error_shape(response, parameter["name"])
            assert parameter["name"] in response.json()["error"]["fields"], (method, path, response.json())
            checked += 1
    # Threads, tags, audit filters, cursors of every list, usernames, slugs, domains.
    assert checked > 25


def test_it_refuses_every_over_long_string_in_a_request_body_with_a_400(schema, world, moderator):
    client = APIClient()
    client.force_authenticate(moderator)
    checked = 0
    for path, method, operation in _operations(schema):
        for name, node, is_list in _string_body_fields(schema, operation):
            long_value = "a" * (node["maxLength"] + 1)
            body = {name: [long_value] if is_list else long_value}
            cache.clear()
            response = getattr(client, method)(_fill_path(path, world), body, format="json")
            _assert_error_shape(response, name)
            checked += 1
    assert checked > 40


@pytest.mark.parametrize("url", ["/api/v1/threads/?q=", "/api/v1/tags/?q=", "/api/v1/threads/?tag="])
def test_a_50000_character_search_is_a_400_not_a_crash(db, url):
    response = APIClient().get(url + "x" * 50_000)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [url.rsplit("?", 1)[1].rstrip("=")]


def test_the_limit_message_is_in_the_request_language(db):
    response = APIClient().get("/api/v1/threads/?q=" + "x" * 201, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["error"]["fields"]["q"] == ["200 caractères au maximum."]


def test_a_long_username_in_the_path_is_a_400_not_a_404(db):
    make_user(username="alice")
    response = APIClient().get("/api/v1/users/" + "a" * 151 + "/")
    assert response.status_code == 400
    assert "username" in response.json()["error"]["fields"]
