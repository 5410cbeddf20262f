"""Framework errors (a body that is not JSON, a wrong content type...) come
back in the request's language like the domain's own (security review,
finding 12), and a tag over the maximum length is refused, not cut."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_json_syntax_error_is_explained_in_french_with_its_position(as_user, student):
    client = as_user(student)

    response = client.post("/api/v1/threads/", data='{"title": ', content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"] == "Le corps de la requête n’est pas un JSON valide (ligne 1, colonne 11)."


def test_a_json_syntax_error_is_in_english_when_the_client_asks_for_english(as_user, student):
    client = as_user(student)

    response = client.post("/api/v1/threads/", data="{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["error"]["message"] == "The request body is not valid JSON (line 1, column 2)."


def test_a_body_that_is_not_utf8_is_refused_in_french(as_user, student):
    client = as_user(student)

    response = client.post("/api/v1/threads/", data=b'{"title": "\xff"}', content_type="application/json")

    assert response.status_code == 400
    assert "JSON" not in response.json()["error"]["message"]
    assert response.json()["error"]["message"] == "Le corps de la requête n’est pas en UTF-8 valide."


def test_an_unsupported_content_type_is_refused_in_french(as_user, student):
    client = as_user(student)

    response = client.post("/api/v1/threads/", data="title=x", content_type="text/plain")

    assert response.status_code == 415
    assert response.json()["error"]["message"].startswith("Type de média")


def test_a_tag_over_the_maximum_length_is_refused_with_a_field_error(as_user, student):
    client = as_user(student)
    long_tag = "a" * (settings.FORUM["TAG_MAX_LENGTH"] + 1)

    response = client.post(
        "/api/v1/threads/",
        {
            "title": "Combien de jours de congés en alternance ?",
            "body": "Je suis en BTS et je me demande.",
            "tags": [long_tag],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["tags"]
    assert f"“{'a' * 20}…” is too long: a tag has at most 40 characters." in messages
