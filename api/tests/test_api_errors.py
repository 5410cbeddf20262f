"""Every error, whoever raises it, comes back as {"error": {"code", "message", "fields"}}."""

import pytest
from rest_framework.test import APIClient, APIRequestFactory

from api.exceptions import exception_handler
from api.tests.conftest import error_of, token_client
from forum import queries
from forum.exceptions import Conflict, DuplicatePost, RateLimited

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def test_an_unknown_api_address_is_a_json_404(anonymous):
    error = error_of(anonymous.get("/api/v1/nothing-here/"), 404)
    assert error["code"] == "not_found"


def test_a_missing_final_slash_gets_a_hint_not_a_redirect(anonymous):
    response = anonymous.post("/api/v1/threads", {}, format="json")
    assert "/api/v1/threads/" in error_of(response, 404)["message"]


def test_an_unknown_api_version_is_a_json_404(anonymous):
    assert error_of(anonymous.get("/api/v2/threads/"), 404)["code"] == "not_found"


def test_a_method_the_resource_does_not_have_is_a_405_with_allow(anonymous, question):
    response = anonymous.put(f"/api/v1/threads/{question.pk}/", {}, format="json")
    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert "PATCH" in response["Allow"]


def test_a_body_that_is_not_json_is_a_415(student):
    response = token_client(student).post(
        "/api/v1/threads/", "title=x", content_type="application/x-www-form-urlencoded"
    )
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_malformed_json_is_a_400(student):
    response = token_client(student).post("/api/v1/threads/", "{not json", content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"


def test_a_write_without_credentials_is_a_401_that_says_how_to_authenticate(anonymous):
    response = anonymous.post("/api/v1/threads/", {}, format="json")
    assert error_of(response, 401)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_domain_refusal_is_a_403_with_the_policy_message(other_student, answer):
    error = error_of(token_client(other_student).post(f"/api/v1/answers/{answer.pk}/vote/"), 403)
    assert error["code"] == "forbidden"
    assert "own answer" in error["message"] or "propre réponse" in error["message"]


def test_messages_are_french_by_default_and_english_on_request(anonymous):
    french = error_of(anonymous.get("/api/v1/me/"), 401)["message"]
    english = error_of(anonymous.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en"), 401)["message"]
    assert english == "Authentication credentials were not provided."
    assert french != english
    assert "authentification" in french.lower()


def test_an_unexpected_exception_is_a_logged_json_500(anonymous, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(queries, "list_ordering", broken)  # the first thing the list view asks
    client = APIClient(raise_request_exception=False)

    error = error_of(client.get("/api/v1/threads/"), 500)

    assert error["code"] == "server_error"
    assert "fire" not in error["message"]  # no internals leak to clients
    assert any(record.exc_info and "database on fire" in str(record.exc_info[1]) for record in caplog.records)


def test_the_test_client_still_raises_the_real_exception(anonymous, monkeypatch):
    """The JSON 500 must not hide bugs from the test suite (got_request_exception)."""

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(queries, "list_ordering", broken)  # the first thing the list view asks
    with pytest.raises(RuntimeError, match="bug"):
        anonymous.get("/api/v1/threads/")


def handled(exc):
    request = APIRequestFactory().get("/api/v1/threads/")
    return exception_handler(exc, {"request": request})


def test_a_domain_rate_limit_is_a_429_with_retry_after():
    response = handled(RateLimited("Trop de questions aujourd'hui.", retry_after=90.2))
    assert response.status_code == 429
    assert response["Retry-After"] == "91"
    assert response.data == {
        "error": {"code": "rate_limited", "message": "Trop de questions aujourd'hui.", "fields": {}}
    }


def test_domain_conflicts_are_409s_keeping_their_own_code():
    assert handled(Conflict()).status_code == 409
    response = handled(DuplicatePost())
    assert (response.status_code, response.data["error"]["code"]) == (409, "duplicate")


def test_nested_field_errors_are_flattened_to_dotted_names(student):
    response = token_client(student).post(
        "/api/v1/threads/", {"title": "T" * 20, "body": "B" * 30, "tags": ["bts", {"x": 1}]}, format="json"
    )
    assert set(error_of(response, 400)["fields"]) == {"tags.1"}


def test_nul_characters_in_queries_are_refused_before_the_database(anonymous):
    error = error_of(anonymous.get("/api/v1/threads/?q=a%00b"), 400)
    assert set(error["fields"]) == {"q"}


def test_a_path_with_a_newline_is_still_a_json_404(anonymous):
    assert error_of(anonymous.get("/api/v1/threads/1%0A/"), 404)["code"] == "not_found"


def test_options_tells_the_allowed_methods_and_nothing_more(anonymous, question):
    response = anonymous.options(f"/api/v1/threads/{question.pk}/")
    assert response.status_code == 200
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "PATCH", "OPTIONS"}
    assert set(response.json()) == {"name"}


def test_a_body_over_the_upload_limit_is_a_413(student, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 2000 + '"}'
    response = token_client(student).post("/api/v1/threads/", body, content_type="application/json")
    assert error_of(response, 413)["code"] == "too_large"


@pytest.mark.parametrize(
    "body",
    ['{"title": "\\ud800 lone surrogate", "body": "x", "tags": []}', "[" * 100_000 + "]" * 100_000],
    ids=["lone surrogate", "deep nesting"],
)
def test_json_that_could_not_be_stored_or_walked_is_a_400(student, body):
    response = token_client(student).post("/api/v1/threads/", body, content_type="application/json")
    assert error_of(response, 400)["code"] == "parse_error"
