"""The live session pages as plain HTTP (no JavaScript): every control is a
form that reaches its service, a reload shows the current state, refusals come
back as messages, and the transcript is indexable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.insights import menu as insights_menu
from forum.models import LiveQuestion, LiveSessionFollow, LiveVote, Question
from forum.services import live_sessions
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


def test_the_list_shows_upcoming_and_past_sessions(client, session):
    response = client.get("/chats-conseil/")
    assert response.status_code == 200
    assert "réussir sa recherche" in response.content.decode()


def test_a_student_submits_and_votes_without_javascript(client, session, student, other_student):
    client.force_login(student)
    response = client.post(f"/chats-conseil/{session.pk}/poser/", {"body": QUESTION})
    assert response.status_code == 303
    question = LiveQuestion.objects.get()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "relancer une entreprise" in page
    assert f'id="live-question-{question.pk}"' in page

    client.force_login(other_student)
    assert client.post(f"/chats-conseil/questions/{question.pk}/vote/").status_code == 303
    assert LiveVote.objects.filter(user=other_student).count() == 1
    page = client.get(session.get_absolute_url()).content.decode()
    assert "1 vote" in page
    # The page's script votes without leaving: same service, JSON back.
    response = client.post(f"/chats-conseil/questions/{question.pk}/vote/", headers={"x-requested-with": "fetch"})
    assert response.json() == {"voted": False, "vote_count": 0}


def test_bad_and_late_questions_come_back_on_the_page(client, session, student):
    client.force_login(student)
    response = client.post(f"/chats-conseil/{session.pk}/poser/", {"body": "court"})
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    set_clock(session, "closed")
    response = client.post(f"/chats-conseil/{session.pk}/poser/", {"body": QUESTION})
    assert response.status_code == 400
    assert "no longer takes questions" in response.content.decode()
    assert not LiveQuestion.objects.exists()


def test_the_host_picks_and_answers_and_the_transcript_shows_the_pair(client, session, hr, student):
    question = live_sessions.submit_question(author=student, session=session, body=QUESTION)
    set_clock(session, "live")
    client.force_login(hr)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Answer this one" in page
    assert client.post(f"/chats-conseil/questions/{question.pk}/prendre/").status_code == 303
    assert client.post(f"/chats-conseil/questions/{question.pk}/repondre/", {"answer": "court"}).status_code == 400
    assert client.post(f"/chats-conseil/questions/{question.pk}/repondre/", {"answer": ANSWER}).status_code == 303
    set_clock(session, "closed")
    client.logout()
    response = client.get(session.get_transcript_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "relancer une entreprise" in html
    assert "Relancez par téléphone" in html
    assert 'name="robots"' not in html or "noindex" not in html


def test_a_student_cannot_use_host_or_moderator_forms(client, session, student, other_student):
    question = live_sessions.submit_question(author=other_student, session=session, body=QUESTION)
    set_clock(session, "live")
    client.force_login(student)
    client.post(f"/chats-conseil/questions/{question.pk}/repondre/", {"answer": ANSWER})
    client.post(f"/chats-conseil/questions/{question.pk}/masquer/")
    question.refresh_from_db()
    assert question.status == LiveQuestion.Status.QUEUED
    assert question.visibility == "published"


def blank_question(html: str) -> str:
    """The <template> live-sessions.js clones for a question arriving live."""
    start = html.index('<template id="live-question-template">')
    return html[start : html.index("</template>", start)]


def test_a_question_arriving_live_carries_the_moderators_tools_for_moderators_only(client, session, student, moderator):
    client.force_login(moderator)
    blank = blank_question(client.get(session.get_absolute_url()).content.decode())
    assert "/chats-conseil/questions/0/masquer/" in blank
    assert "/chats-conseil/questions/0/fusionner/" in blank
    assert "data-q-number" in blank  # the number to merge into, filled in by the script
    client.force_login(student)
    blank = blank_question(client.get(session.get_absolute_url()).content.decode())
    assert "/masquer/" not in blank
    assert "/fusionner/" not in blank


def test_follow_calendar_and_conversion(client, session, hr, student):
    client.force_login(student)
    client.post(f"/chats-conseil/{session.pk}/suivre/")
    assert LiveSessionFollow.objects.filter(user=student).exists()
    ics = client.get(f"/chats-conseil/{session.pk}/agenda.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "DTSTART:" in body
    question = live_sessions.submit_question(author=student, session=session, body=QUESTION)
    set_clock(session, "closed")
    response = client.post(f"/chats-conseil/questions/{question.pk}/en-discussion/")
    thread = Question.objects.get()
    assert response.status_code == 303
    assert response["Location"] == thread.get_absolute_url()


def test_pages_read_in_french(french_client, session):
    html = french_client.get(session.get_absolute_url()).content.decode()
    assert 'lang="fr"' in html


def test_the_scheduling_form_is_for_verified_members(client, hr, student):
    client.force_login(student)
    assert client.get("/chats-conseil/programmer/").status_code == 403
    client.force_login(hr)
    response = client.post(
        "/chats-conseil/programmer/",
        {"title": "Chat conseil rentrée", "starts_at": "2030-01-10T18:00", "duration": "60", "hosts": hr.username},
    )
    assert response.status_code == 303


def _count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_session_page_costs_the_same_queries_for_2_or_12_questions(client, session, hr, moderator):
    """Authors, badges and the reader's votes come in a fixed number of queries (no N+1)."""
    from tests.factories import make_user

    askers = [make_user(username=f"asker{n}") for n in range(12)]
    for n, asker in enumerate(askers[:2]):
        live_sessions.submit_question(author=asker, session=session, body=f"{QUESTION} (variante {n})")
    reader = make_user(username="reader")
    client.force_login(reader)
    insights_menu.may_view_insights(reader)  # remembered per member from the first page on
    url = session.get_absolute_url()
    few = _count_queries(client, url)
    for n, asker in enumerate(askers[2:]):
        question = live_sessions.submit_question(author=asker, session=session, body=f"{QUESTION} (autre {n})")
        live_sessions.cast_vote(user=reader, question=question)
    many = _count_queries(client, url)
    assert many == few, (few, many)
    transcript = session.get_transcript_url()
    assert _count_queries(client, transcript) < 40


def test_answered_questions_of_past_sessions_are_found_by_the_site_search(client, session, hr, student):
    question = live_sessions.submit_question(author=student, session=session, body=QUESTION)
    set_clock(session, "live")
    live_sessions.answer_question(host=hr, question=question, answer=ANSWER)
    assert "data-live-search-hits" not in client.get("/recherche/?q=relancer").content.decode()  # not over yet
    set_clock(session, "closed")
    html = client.get("/recherche/?q=relancer entreprise").content.decode()
    assert "data-live-search-hits" in html
    assert f"{session.get_transcript_url()}#live-question-{question.pk}" in html
    assert "data-live-search-hits" not in client.get("/recherche/?q=boulangerie").content.decode()


def test_the_organiser_changes_the_session_with_the_filled_in_form(client, session, hr, student):
    client.force_login(student)
    assert client.get(f"/chats-conseil/{session.pk}/modifier/").status_code == 403
    assert "/modifier/" not in client.get(session.get_absolute_url()).content.decode()
    client.force_login(hr)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f"/chats-conseil/{session.pk}/modifier/" in page
    form = client.get(f"/chats-conseil/{session.pk}/modifier/").content.decode()
    assert "réussir sa recherche" in form
    assert hr.username in form  # the hosts, as typed
    response = client.post(
        f"/chats-conseil/{session.pk}/modifier/",
        {
            "title": "Chat conseil : le CV et la lettre",
            "description": session.description,
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "duration": 90,
            "hosts": hr.username,
            "tags": "alternance, entretien",
        },
    )
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.title == "Chat conseil : le CV et la lettre"
    assert session.ends_at - session.starts_at == timedelta(minutes=90)
    assert sorted(session.tags.names()) == ["alternance", "entretien"]
    bad = client.post(f"/chats-conseil/{session.pk}/modifier/", {"title": "Court", "hosts": hr.username})
    assert bad.status_code == 400


def test_cancelling_asks_first_then_the_page_says_why(client, session, hr, student):
    client.force_login(hr)
    confirm = client.get(f"/chats-conseil/{session.pk}/annuler/")
    assert confirm.status_code == 200
    assert session.phase() == "upcoming"  # a GET changes nothing
    response = client.post(f"/chats-conseil/{session.pk}/annuler/", {"note": "Reportée en janvier."})
    assert response.status_code == 303
    client.force_login(student)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Reportée en janvier." in page
    assert "This session is cancelled" in page
    assert 'id="live-question-form"' not in page
    assert client.get(session.get_transcript_url()).status_code == 302
    assert "STATUS:CANCELLED" in client.get(f"/chats-conseil/{session.pk}/agenda.ics").content.decode()
    assert "Cancelled" in client.get("/chats-conseil/").content.decode()
    assert "Annulé" in client.get("/chats-conseil/", headers={"accept-language": "fr"}).content.decode()
