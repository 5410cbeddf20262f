"""GET /api/v1/calendar/ (public) and GET /api/v1/threads/boosted/ (verified
staff and moderators)."""

import pytest

from api.tests.conftest import token_client
from tests.calendar_factories import make_window, without_default_windows
from tests.factories import make_answer, make_question
from tests.live_factories import make_verified_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(moderator):
    without_default_windows()
    return make_window(
        moderator=moderator,
        tags=("recherche-entreprise",),
        reminder_tags=("recherche-entreprise",),
        reminder_days=14,
    )


def test_anyone_reads_the_calendar_with_what_is_active_now(anonymous, window):
    data = anonymous.get("/api/v1/calendar/", HTTP_ACCEPT_LANGUAGE="fr").json()
    [row] = data["windows"]
    assert row["id"] == window.pk
    assert row["name"] == "Signature du contrat"
    assert row["kind"] == "contract_deadline"
    assert row["active"] is True
    assert row["start"] == f"{window.start_month:02d}-{window.start_day:02d}"
    assert row["tags"] == ["recherche-entreprise"]
    assert row["reminder_days"] == 14
    assert row["occurrence"]["ends_on"] > row["occurrence"]["starts_on"] or window.end_month < window.start_month
    assert row["reminder_from"].endswith("Z")


def test_changes_show_at_once_though_the_windows_are_cached(
    anonymous, window, moderator, django_capture_on_commit_callbacks
):
    from forum.services.calendar import delete_window, save_window

    assert len(anonymous.get("/api/v1/calendar/").json()["windows"]) == 1  # now cached
    fields = ("name_fr", "name_en", "kind", "start_month", "start_day", "end_month", "end_day", "tags")
    with django_capture_on_commit_callbacks(execute=True):
        save_window(moderator=moderator, window=window, **{f: getattr(window, f) for f in fields}, enabled=False)
    assert anonymous.get("/api/v1/calendar/").json()["windows"] == []
    with django_capture_on_commit_callbacks(execute=True):
        other = make_window(moderator=moderator, name_en="School start")
    assert [w["id"] for w in anonymous.get("/api/v1/calendar/").json()["windows"]] == [other.pk]
    with django_capture_on_commit_callbacks(execute=True):
        delete_window(moderator=moderator, window=other)
    assert anonymous.get("/api/v1/calendar/").json()["windows"] == []


def test_verified_staff_get_the_boosted_threads_with_their_window(moderator, window, student, other_student):
    hr = make_verified_hr(moderator=moderator)
    waiting = make_question(author=student, tags=("recherche-entreprise",))
    answered = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=answered)

    data = token_client(hr).get("/api/v1/threads/boosted/", HTTP_ACCEPT_LANGUAGE="en").json()

    [thread] = data["results"]
    assert thread["id"] == waiting.pk
    assert thread["boosted"] is True
    assert thread["boost_window"]["id"] == window.pk
    assert thread["boost_window"]["name"] == "Contract signing"
    assert thread["tags"] == ["recherche-entreprise"]
    assert token_client(moderator).get("/api/v1/threads/boosted/").status_code == 200


def test_students_get_403_and_anonymous_401(anonymous, window, student):
    assert anonymous.get("/api/v1/threads/boosted/").status_code == 401
    response = token_client(student).get("/api/v1/threads/boosted/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_moderators_keep_the_windows_through_the_api(moderator, student, anonymous):
    from api.tests.conftest import error_of
    from forum.models import AuditLog, CalendarWindow

    body = {
        "name_fr": "Relance de printemps",
        "name_en": "Spring follow-up",
        "kind": "other",
        "start": "03-01",
        "end": "04-15",
        "tags": ["recherche-entreprise"],
        "reminder_tags": ["recherche-entreprise"],
        "reminder_days": 10,
    }
    error_of(token_client(student).post("/api/v1/calendar/windows/", body, format="json"), 403)
    error_of(anonymous.post("/api/v1/calendar/windows/", body, format="json"), 401)
    created = token_client(moderator).post("/api/v1/calendar/windows/", body, format="json")
    assert created.status_code == 201, created.json()
    window_id = created.json()["id"]
    assert (created.json()["start"], created.json()["end"], created.json()["reminder_days"]) == ("03-01", "04-15", 10)

    bad = token_client(moderator).put(f"/api/v1/calendar/windows/{window_id}/", body | {"end": "02-30"}, format="json")
    assert "end" in error_of(bad, 400)["fields"]
    changed = token_client(moderator).put(
        f"/api/v1/calendar/windows/{window_id}/", body | {"name_en": "Spring push"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert CalendarWindow.objects.get(pk=window_id).name_en == "Spring push"
    shown = {row["id"]: row["name_en"] for row in anonymous.get("/api/v1/calendar/").json()["windows"]}
    assert shown[window_id] == "Spring push"

    assert token_client(moderator).delete(f"/api/v1/calendar/windows/{window_id}/").status_code == 204
    assert not CalendarWindow.objects.filter(pk=window_id).exists()
    assert set(AuditLog.objects.filter(target_id=window_id).values_list("action", flat=True)) == {
        "calendar.window_saved",
        "calendar.window_deleted",
    }
