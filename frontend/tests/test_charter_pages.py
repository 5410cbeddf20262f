"""The charter that teaches, on the pages: hints on the composers, "Compris"
without JavaScript, the outcome page for its author and moderators only, the
charter's clause anchors and the help page in both languages."""

import pytest
from django.utils import timezone

from forum import charter
from forum.models import CharterClause, CharterHintsDismissal
from forum.services.moderation import hide_post
from forum.services.sanctions import warn_member
from tests.factories import make_answer, make_question, make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock


def test_the_ask_form_shows_the_student_hints(client, student):
    client.force_login(student)
    page = client.get("/questions/poser/").content.decode()
    assert 'data-charter-hints="student"' in page
    assert 'data-hint="privacy"' in page
    assert 'href="/charte/#clause-personal_data"' in page


def test_the_answer_form_shows_them_on_the_thread(client, question, other_student):
    client.force_login(other_student)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'data-hint="own_experience"' in page


def test_got_it_works_without_javascript_and_returns_to_the_form(client, student):
    client.force_login(student)
    response = client.post("/charte/conseils/compris/", {"next": "/questions/poser/"})
    assert response.status_code == 303
    assert response["Location"] == "/questions/poser/"
    assert CharterHintsDismissal.objects.filter(user=student).exists()
    assert b"data-charter-hints" not in client.get("/questions/poser/").content


def test_got_it_refuses_a_foreign_next_and_a_get(client, student):
    client.force_login(student)
    response = client.post("/charte/conseils/compris/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/charte/conseils/compris/").status_code == 405


@pytest.fixture
def hidden(question, other_student, moderator):
    answer = make_answer(author=other_student, question=question)
    return hide_post(
        moderator=moderator, post=answer, clause=CharterClause.PERSONAL_DATA, note="Retirez le nom du tuteur."
    )


def test_the_author_reads_the_outcome_page(client, other_student, hidden):
    client.force_login(other_student)
    response = client.get(f"/moderation/decisions/{hidden.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    clause = charter.CLAUSES["personal_data"]
    for text in (clause.title, clause.good, clause.bad):
        assert str(text).replace("'", "&#x27;") in page
    assert "Retirez le nom du tuteur." in page
    assert 'href="/charte/#clause-personal_data"' in page
    assert f'href="/recours/reponse/{hidden.answer_id}/"' in page
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("who", "status"), [("moderator", 200), ("student", 404), ("third_student", 404)])
def test_only_the_author_and_moderators_see_it(client, request, hidden, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/moderation/decisions/{hidden.pk}/").status_code == status


def test_anonymous_readers_are_sent_to_log_in(client, hidden):
    response = client.get(f"/moderation/decisions/{hidden.pk}/")
    assert response.status_code == 302
    assert "/comptes/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_charter_carries_every_clause_anchor_with_its_examples(db, client, language):
    page = client.get(f"/charte/?lang={language}").content.decode()
    for key in CharterClause.values:
        assert f'id="clause-{key}"' in page, key
    assert page.count('class="clause-example"') == len(CharterClause.values) - 1  # "other" is the spirit


@pytest.mark.parametrize(("language", "heading"), [("fr", "La charte en pratique"), ("en", "The charter in practice")])
def test_the_help_page_exists_in_both_languages(db, client, language, heading):
    response = client.get(f"/aide/charte-en-pratique/?lang={language}")
    assert response.status_code == 200
    page = response.content.decode()
    assert heading in page
    assert page.count('class="clause-example"') == len(CharterClause.values)


def test_the_hints_leave_after_the_first_posts(db, client, settings):
    settings.FORUM = {**settings.FORUM, "CHARTER_HINT_POSTS": 1, "PREMODERATE_FIRST_POSTS": 0}
    member = make_user(username="deja-poste", date_joined=timezone.now())
    make_question(author=member)
    client.force_login(member)
    assert b"data-charter-hints" not in client.get("/questions/poser/").content


def test_my_warnings_explain_the_clause_by_example(client, student, moderator):
    sanction = warn_member(moderator=moderator, member=student, clause=CharterClause.SPAM, message="Pas d'annonces.")
    client.force_login(student)
    page = client.get("/mes-avertissements/").content.decode()
    assert f'id="sanction-{sanction.pk}"' in page
    assert str(charter.CLAUSES["spam"].bad).replace("'", "&#x27;") in page
    assert 'href="/charte/#clause-spam"' in page


def test_the_live_session_question_form_shows_them_too(client, student, moderator):
    session = set_clock(make_live_session(organiser=make_verified_hr(moderator=moderator)), "live")
    client.force_login(student)
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'id="live-question-form"' in page
    assert 'data-charter-hints="student"' in page
    assert 'data-hint="one_question"' in page
