"""The RGPD operations of the API: my export, deleting my account (password
required, 400 with field errors otherwise), a moderator's answer to an access
request (audited)."""

import pytest
from django.test import TestCase
from rest_framework.test import APIClient

from forum.models import AuditLog, User
from tests.personal_data import PASSWORD, make_member_with_everything


@pytest.fixture
def zelie(db):
    return make_member_with_everything()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_my_export_is_a_json_download(zelie):
    response = client_for(zelie.user).get("/api/v1/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["member"]["email"] == zelie.values["email"]
    assert [q["id"] for q in body["questions"]] == [zelie.question.pk]


def test_the_export_needs_a_login(db):
    assert APIClient().get("/api/v1/me/export/").status_code == 401


def test_deleting_without_the_right_password_is_a_400_on_password(zelie):
    client = client_for(zelie.user)
    response = client.post("/api/v1/me/delete/", {"password": "nope"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    response = client.post("/api/v1/me/delete/", {}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]
    response = client.post("/api/v1/me/delete/", {"password": PASSWORD, "answer_ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert User.objects.get(pk=zelie.user.pk).erased_at is None


def test_deleting_my_account_through_the_api(zelie):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(zelie.user).post(
            "/api/v1/me/delete/", {"password": PASSWORD, "answer_ids": [zelie.answer.pk]}, format="json"
        )
    assert response.status_code == 204
    member = User.objects.get(pk=zelie.user.pk)
    assert member.erased_at is not None
    assert member.email == ""
    thread = APIClient().get(f"/api/v1/threads/{zelie.question.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert thread["author"]["display_name"] == "Membre supprimé"
    assert thread["author"]["badges"] == []


def test_a_moderator_answers_an_access_request(zelie):
    url = f"/api/v1/moderation/members/{zelie.values['username']}/export/"
    assert client_for(zelie.others[0]).post(url, {}, format="json").status_code == 403
    response = client_for(zelie.moderator).post(url, {"reason": "Lettre du 1er décembre"}, format="json")
    assert response.status_code == 200
    assert response.json()["member"]["id"] == zelie.user.pk
    entry = AuditLog.objects.get(action="member.data_exported")
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        zelie.moderator.pk,
        zelie.user.pk,
        "Lettre du 1er décembre",
    )
    assert client_for(zelie.moderator).post("/api/v1/moderation/members/nobody-here/export/").status_code == 404
