"""What a member learns before and after posting (issue 19): pre-moderation
of a newcomer's first posts, a suspension, why an answer box is closed, and
how a held question shows in its author's own lists."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from forum.services.sanctions import suspend_member
from tests.factories import make_question, make_user


@pytest.fixture
def newcomer(db):
    return make_user(username="nina", display_name="Nina", date_joined=timezone.now())


def test_it_tells_a_newcomer_on_the_ask_form_that_a_moderator_reads_their_first_posts(client, newcomer, student):
    client.force_login(newcomer)
    html = client.get("/questions/poser/").content.decode()
    assert "data-premoderation-notice" in html
    assert "usually within a few hours" in html

    client.force_login(student)
    assert "data-premoderation-notice" not in client.get("/questions/poser/").content.decode()


def test_it_tells_a_newcomer_on_the_answer_form_too(client, newcomer, question):
    client.force_login(newcomer)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "data-premoderation-notice" in html
    assert "see your answer" in html


def test_the_notice_after_posting_a_held_question_shows_once_not_twice(client, newcomer):
    client.force_login(newcomer)
    response = client.post(
        "/questions/poser/",
        {
            "title": "Puis-je changer d'entreprise pendant mon BTS ?",
            "body": "Mon entreprise ne me convient plus, je suis en première année de BTS MCO.",
            "tags": "bts",
        },
        follow=True,
    )
    html = response.content.decode()
    assert html.count("read by a moderator before they are published") == 1


def test_the_author_sees_a_held_question_as_awaiting_moderation_in_their_lists_not_open(client, newcomer):
    held = make_question(author=newcomer, tags=("rupture-contrat",))
    client.force_login(newcomer)
    for url in ("/", f"/membres/{newcomer.username}/", "/tags/rupture-contrat/"):
        html = client.get(url).content.decode()
        row = html[html.index(f'data-question-id="{held.pk}"') :][:600]
        assert 'data-status="pending"' in row, url
        assert 'data-status="open"' not in row, url


def test_the_answer_box_of_ones_own_held_question_says_why_it_is_closed(client, newcomer):
    held = make_question(author=newcomer)
    client.force_login(newcomer)
    html = client.get(held.get_absolute_url()).content.decode()
    assert "data-answer-refusal" in html
    assert "it can be answered as soon as it is published" in html


def test_a_tag_used_only_by_held_questions_has_no_page_except_for_those_who_see_one(
    client, newcomer, other_student, moderator
):
    make_question(author=newcomer, tags=("secret-tag",))
    assert client.get("/tags/secret-tag/").status_code == 404
    client.force_login(other_student)
    assert client.get("/tags/secret-tag/").status_code == 404
    client.force_login(newcomer)
    assert client.get("/tags/secret-tag/").status_code == 200
    client.force_login(moderator)
    assert client.get("/tags/secret-tag/").status_code == 200


def test_a_suspended_member_learns_it_on_the_ask_and_answer_forms_with_the_end_date(
    client, moderator, other_student, question
):
    suspend_member(moderator=moderator, member=other_student, days=7, clause="respect")
    other_student.refresh_from_db()
    end = date_format(timezone.localtime(other_student.suspended_until), "DATETIME_FORMAT")
    client.force_login(other_student)

    ask = client.get("/questions/poser/").content.decode()
    assert "data-posting-refusal" in ask
    assert end in ask
    assert 'name="title"' not in ask

    thread = client.get(question.get_absolute_url()).content.decode()
    assert "data-answer-refusal" in thread
    assert end in thread
