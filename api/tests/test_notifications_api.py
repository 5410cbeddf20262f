"""The notification centre over REST: list with cursor and unread filter,
unread count, mark read, follows, preferences, devices, suggestions."""

import pytest

from api.tests.conftest import error_of
from forum.models import Notification, PushDevice
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(django_capture_on_commit_callbacks, student, other_student, third_student):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(author=student)
        make_answer(author=other_student, question=question)
        make_answer(author=third_student, question=question)
        other = make_question(author=student)
        make_answer(author=other_student, question=other)
    return question


def test_my_notifications_are_listed_grouped_and_filtered(as_user, student, answered):
    client = as_user(student)
    body = client.get("/api/v1/notifications/").json()
    assert len(body["results"]) == 2
    first = body["results"][1]
    assert first["count"] == 2
    assert first["kind"] == "answer_mine"
    assert first["web_url"].endswith(f"#answer-{Notification.objects.get(pk=first['id']).answer_id}")
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread_count": 2}

    read = client.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200
    assert read.json()["is_read"] is True
    assert len(client.get("/api/v1/notifications/?unread=1").json()["results"]) == 1
    assert client.post("/api/v1/notifications/read-all/").json() == {"unread_count": 0}


def test_another_members_notification_is_a_404(as_user, other_student, student, answered):
    mine = Notification.objects.filter(recipient=student).first()
    response = as_user(other_student).post(f"/api/v1/notifications/{mine.pk}/read/")
    error_of(response, 404)


def test_bad_filters_are_400s_with_fields(as_user, student):
    response = as_user(student).get("/api/v1/notifications/?unread=yes")
    assert "unread" in error_of(response, 400)["fields"]


def test_anonymous_gets_401(anonymous):
    assert anonymous.get("/api/v1/notifications/").status_code == 401


def test_preferences_round_trip_and_refuse_nonsense(as_user, student):
    client = as_user(student)
    assert client.get("/api/v1/notifications/preferences/").json()["channels"]["answer_mine"] == "email"
    updated = client.patch(
        "/api/v1/notifications/preferences/",
        {"channels": {"helpful": "off"}, "quiet_start": "22:00", "quiet_end": "07:00", "digest": "weekly"},
        format="json",
    ).json()
    assert updated["channels"]["helpful"] == "off"
    assert updated["quiet_start"] == "22:00"
    assert updated["digest"] == "weekly"
    bad = client.patch("/api/v1/notifications/preferences/", {"channels": {"helpful": "loud"}}, format="json")
    assert "channels.helpful" in error_of(bad, 400)["fields"]


def test_follow_and_unfollow_threads_and_tags(as_user, other_student, question):
    client = as_user(other_student)
    assert client.put(f"/api/v1/threads/{question.pk}/follow/").json() == {"following": True}
    assert client.put("/api/v1/tags/bts/follow/").json() == {"following": True}
    assert client.get("/api/v1/subscriptions/").json() == {"threads": [question.pk], "tags": ["bts"]}
    client.delete(f"/api/v1/threads/{question.pk}/follow/")
    client.delete("/api/v1/tags/bts/follow/")
    assert client.get("/api/v1/subscriptions/").json() == {"threads": [], "tags": []}
    error_of(client.put("/api/v1/tags/no-such-tag/follow/"), 404)


def test_devices_are_owned_and_revocable(as_user, student, other_student):
    client = as_user(student)
    created = client.post("/api/v1/devices/", {"platform": "android", "push_token": "fcm-abc"}, format="json")
    assert created.status_code == 201
    device_id = created.json()["id"]
    assert "push_token" not in created.json()
    error_of(as_user(other_student).delete(f"/api/v1/devices/{device_id}/"), 404)
    assert client.delete(f"/api/v1/devices/{device_id}/").status_code == 204
    assert PushDevice.objects.get(pk=device_id).revoked_at is not None
    bad = client.post("/api/v1/devices/", {"platform": "nokia", "push_token": ""}, format="json")
    assert set(error_of(bad, 400)["fields"]) >= {"platform"}


def test_member_suggestions_for_mentions(as_user, student, other_student):
    names = [row["username"] for row in as_user(student).get("/api/v1/users/?q=bo").json()]
    assert names == ["bob"]
    error_of(as_user(student).get("/api/v1/users/?q=b"), 400)
