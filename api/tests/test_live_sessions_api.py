"""Live sessions through the REST API (the mobile app): lists, submitting,
voting, the hosts' and moderators' actions, the transcript, and refusals in
the one error shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of, token_client
from forum.models import LiveQuestion
from tests.live_factories import make_live_session, make_verified_hr, set_clock

pytestmark = pytest.mark.django_db

QUESTION = "Comment relancer une entreprise qui ne répond pas à ma candidature ?"
ANSWER = "Relancez par téléphone une semaine après, en rappelant le poste et vos dates."


@pytest.fixture
def hr(moderator):
    return make_verified_hr(moderator=moderator)


@pytest.fixture
def session(hr):
    return make_live_session(organiser=hr)


def test_lists_and_detail(anonymous, session):
    upcoming = anonymous.get("/api/v1/live-sessions/?when=upcoming").json()["results"]
    assert [s["id"] for s in upcoming] == [session.pk]
    assert upcoming[0]["phase"] == "upcoming"
    assert upcoming[0]["topic"] == f"live:{session.pk}"
    assert upcoming[0]["hosts"][0]["badges"][0]["role"] == "hr"
    assert anonymous.get("/api/v1/live-sessions/?when=past").json()["results"] == []
    error_of(anonymous.get("/api/v1/live-sessions/?when=tomorrow"), 400)
    assert anonymous.get(f"/api/v1/live-sessions/{session.pk}/").json()["can_submit"] is False
    error_of(anonymous.get("/api/v1/live-sessions/999999/"), 404)


def test_a_verified_member_schedules_and_a_student_cannot(hr, student):
    starts = timezone.now() + timedelta(days=2)
    body = {
        "title": "Chat conseil : le contrat de professionnalisation",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "hosts": [hr.username],
        "tags": ["contrat-pro"],
    }
    created = token_client(hr).post("/api/v1/live-sessions/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["tags"] == ["contrat-pro"]
    error_of(token_client(student).post("/api/v1/live-sessions/", body, format="json"), 403)
    bad = token_client(hr).post("/api/v1/live-sessions/", body | {"hosts": [student.username]}, format="json")
    assert "hosts" in error_of(bad, 400)["fields"]


def test_submit_vote_answer_and_read_the_transcript(session, hr, student, other_student, anonymous):
    submitted = token_client(student).post(
        f"/api/v1/live-sessions/{session.pk}/questions/", {"body": QUESTION}, format="json"
    )
    assert submitted.status_code == 201, submitted.json()
    question_id = submitted.json()["id"]
    assert submitted.json()["can_vote"] is False  # one's own question

    voter = token_client(other_student)
    assert voter.post(f"/api/v1/live-questions/{question_id}/vote/").json()["vote_count"] == 1
    assert voter.post(f"/api/v1/live-questions/{question_id}/vote/").json()["voted"] is True
    listed = voter.get(f"/api/v1/live-sessions/{session.pk}/questions/").json()["results"]
    assert [(q["id"], q["vote_count"], q["voted"]) for q in listed] == [(question_id, 1, True)]

    error_of(token_client(hr).post(f"/api/v1/live-questions/{question_id}/pick/"), 403)  # not started
    set_clock(session, "live")
    error_of(
        token_client(student).post(f"/api/v1/live-questions/{question_id}/answer/", {"answer": ANSWER}, format="json"),
        403,
    )
    host = token_client(hr)
    assert host.post(f"/api/v1/live-questions/{question_id}/pick/").json()["status"] == "answering"
    answered = host.post(f"/api/v1/live-questions/{question_id}/answer/", {"answer": ANSWER}, format="json").json()
    assert answered["status"] == "answered"
    assert answered["answered_by"]["username"] == hr.username

    set_clock(session, "closed")
    late = token_client(other_student).post(
        f"/api/v1/live-sessions/{session.pk}/questions/", {"body": QUESTION + " bis"}, format="json"
    )
    assert "terminé le" in error_of(late, 403)["message"]  # French, the default language
    transcript = anonymous.get(f"/api/v1/live-sessions/{session.pk}/transcript/").json()["results"]
    assert [(q["id"], "Relancez" in q["answer_html"]) for q in transcript] == [(question_id, True)]

    converted = host.post(f"/api/v1/live-questions/{question_id}/convert/")
    assert converted.status_code == 201
    error_of(host.post(f"/api/v1/live-questions/{question_id}/convert/"), 409)


def test_moderators_hide_and_merge(session, student, other_student, moderator):
    first = (
        token_client(student)
        .post(f"/api/v1/live-sessions/{session.pk}/questions/", {"body": QUESTION}, format="json")
        .json()
    )
    second = (
        token_client(other_student)
        .post(
            f"/api/v1/live-sessions/{session.pk}/questions/",
            {"body": "Que faire si une entreprise ne répond jamais ?"},
            format="json",
        )
        .json()
    )
    error_of(token_client(student).post(f"/api/v1/live-questions/{second['id']}/hide/"), 403)
    modo = token_client(moderator)
    merged = modo.post(f"/api/v1/live-questions/{second['id']}/merge/", {"into": first["id"]}, format="json")
    assert merged.json()["id"] == first["id"]
    assert modo.post(f"/api/v1/live-questions/{first['id']}/hide/").status_code == 204
    assert LiveQuestion.objects.get(pk=first["id"]).visibility == "hidden"
    assert token_client(student).get(f"/api/v1/live-sessions/{session.pk}/questions/").json()["results"] == []


def test_writes_need_credentials(anonymous, session):
    error_of(anonymous.post(f"/api/v1/live-sessions/{session.pk}/questions/", {"body": QUESTION}, format="json"), 401)
    error_of(anonymous.post(f"/api/v1/live-sessions/{session.pk}/follow/"), 401)


def test_the_organiser_changes_then_cancels_a_session(session, hr, student, anonymous):
    url = f"/api/v1/live-sessions/{session.pk}/"
    assert token_client(hr).get(url).json()["can_edit"] is True
    assert token_client(student).get(url).json()["can_edit"] is False
    starts = session.starts_at + timedelta(days=1)
    changed = token_client(hr).patch(
        url, {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat()}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["starts_at"] == starts.isoformat().replace("+00:00", "Z")
    assert changed.json()["title"] == session.title  # what is not sent stays
    bad = token_client(hr).patch(url, {"ends_at": starts.isoformat()}, format="json")
    assert "ends_at" in error_of(bad, 400)["fields"]
    error_of(token_client(student).patch(url, {"title": "Un titre que je préfère"}, format="json"), 403)
    error_of(anonymous.patch(url, {"title": "Un titre que je préfère"}, format="json"), 401)

    cancelled = token_client(hr).post(f"{url}cancel/", {"note": "Reportée en janvier."}, format="json")
    assert cancelled.status_code == 200, cancelled.json()
    body = cancelled.json()
    assert (body["phase"], body["cancel_note"], body["can_submit"], body["can_edit"]) == (
        "cancelled",
        "Reportée en janvier.",
        False,
        False,
    )
    assert body["cancelled_at"]
    refused = token_client(student).post(f"{url}questions/", {"body": QUESTION}, format="json")
    assert "annulé" in error_of(refused, 403)["message"]
    error_of(token_client(hr).post(f"{url}cancel/", {}, format="json"), 403)
    # Listed with the upcoming sessions until its planned end, never with the past ones.
    upcoming = anonymous.get("/api/v1/live-sessions/?when=upcoming").json()["results"]
    assert [(s["id"], s["phase"]) for s in upcoming] == [(session.pk, "cancelled")]


def test_a_live_session_cannot_be_cancelled_but_its_end_can_move(session, hr):
    set_clock(session, "live")
    url = f"/api/v1/live-sessions/{session.pk}/"
    error_of(token_client(hr).post(f"{url}cancel/", {}, format="json"), 409)
    later = session.ends_at + timedelta(minutes=30)
    moved = token_client(hr).patch(url, {"ends_at": later.isoformat()}, format="json")
    assert moved.status_code == 200, moved.json()
