"""The thread page: the question, its answers in the right order, what each
reader may do, unknown ids, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Question
from forum.services.answers import accept_answer, edit_answer, withdraw_answer
from forum.services.questions import edit_question
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


def answer_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="answer[^"]*" id="answer-(\d+)"', html)]


def test_the_thread_shows_the_question_its_tags_author_and_rendered_text(client, student):
    question = make_question(
        author=student,
        title="Combien de jours de congés pour un apprenti ?",
        body="Je suis en **CAP** et je ne sais pas si les semaines au CFA comptent.",
        tags=("conges", "cap"),
    )

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="question__title">Combien de jours de congés pour un apprenti ?</h1>' in html
    assert "<strong>CAP</strong>" in html
    assert 'href="/tags/conges/"' in html
    assert 'href="/tags/cap/"' in html
    assert ">Alice</a>" in html
    assert "<time datetime=" in html


def test_a_reader_reloading_counts_once_and_a_second_reader_counts_too(client, student, other_student):
    question = make_question(author=student)
    client.force_login(other_student)
    client.get(question.get_absolute_url())
    reloaded = client.get(question.get_absolute_url())
    client.force_login(student)
    second_reader = client.get(question.get_absolute_url())

    question.refresh_from_db()
    assert question.view_count == 2
    assert "1 view<" in reloaded.content.decode()
    assert "2 views" in second_reader.content.decode()


def test_answers_come_accepted_first_then_by_helpful_votes_then_oldest(client, student, other_student):
    question = make_question(author=student)
    voters = [make_user() for _ in range(2)]
    oldest = make_answer(author=other_student, question=question)
    popular = make_answer(author=make_user(), question=question)
    newest = make_answer(author=make_user(), question=question)
    accepted = make_answer(author=make_user(), question=question)
    for voter in voters:
        cast_vote(user=voter, answer=popular)
    accept_answer(user=student, answer=accepted)

    html = client.get(question.get_absolute_url()).content.decode()

    assert answer_ids(html) == [accepted.pk, popular.pk, oldest.pk, newest.pk]
    assert f'<article class="answer is-accepted" id="answer-{accepted.pk}"' in html
    assert "Solved: the asker accepted the answer shown first." in html


def test_a_withdrawn_answer_is_no_longer_shown(client, student, other_student):
    question = make_question(author=student)
    kept = make_answer(author=other_student, question=question)
    gone = make_answer(author=other_student, question=question)
    withdraw_answer(user=other_student, answer=gone)

    html = client.get(question.get_absolute_url()).content.decode()

    assert answer_ids(html) == [kept.pk]
    assert "data-answer-count>1<" in html


@pytest.mark.parametrize(
    "path",
    [
        "/questions/999999/",
        "/questions/abc/",
        "/questions/-1/",
        "/questions/99999999999999999999999999/",
        "/questions/1.5/",
        "/questions/%00/",
    ],
)
def test_an_unknown_or_garbage_thread_id_is_a_404_in_the_site_layout(client, path):
    response = client.get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "This page does not exist" in html
    assert "tried" not in html  # nothing of Django's URL resolver leaks


def test_a_question_waiting_for_moderation_is_not_found_by_others(client, student, other_student):
    question = make_question(author=student)
    Question.objects.filter(pk=question.pk).update(visibility="pending")

    client.force_login(other_student)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(student)
    assert client.get(question.get_absolute_url()).status_code == 200


def test_html_and_scripts_in_markdown_are_shown_inert(client, student, other_student):
    question = make_question(
        author=student,
        body='<script>alert("q")</script> Un [lien](javascript:alert(1)) et <img src=x onerror=alert(2)> voilà.',
    )
    make_answer(author=other_student, question=question, body='<iframe src="https://evil.example"></iframe> **ok**')

    html = client.get(question.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "&lt;script&gt;" in html  # shown as text
    assert "<strong>ok</strong>" in html


def test_readers_see_counts_but_only_members_get_a_vote_button(client, student, other_student):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)

    anonymous = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/reponses/{answer.pk}/vote/"' not in anonymous
    assert "Log in to vote" in anonymous
    assert "data-vote-count>0<" in anonymous

    client.force_login(other_student)
    own = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/reponses/{answer.pk}/vote/"' not in own  # not on your own answer
    assert "You cannot vote for your own answer" in own

    client.force_login(student)
    asker = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/reponses/{answer.pk}/vote/"' in asker
    assert 'aria-pressed="false"' in asker


def test_only_the_asker_gets_the_accept_button_and_only_the_author_edit_and_withdraw(client, student, other_student):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)
    url = question.get_absolute_url()

    client.force_login(student)
    asker = client.get(url).content.decode()
    assert f'action="/reponses/{answer.pk}/accepter/"' in asker
    assert f'href="/reponses/{answer.pk}/modifier/"' not in asker
    assert f'href="/questions/{question.pk}/modifier/"' in asker

    client.force_login(other_student)
    author = client.get(url).content.decode()
    assert f'action="/reponses/{answer.pk}/accepter/"' not in author
    assert f'href="/reponses/{answer.pk}/modifier/"' in author
    assert f'href="/reponses/{answer.pk}/retirer/"' in author
    assert f'href="/questions/{question.pk}/modifier/"' not in author


def test_an_edited_answer_links_to_its_history_with_the_previous_text(client, student, other_student):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question, body="Première version de ma réponse, assez longue.")
    edit_answer(editor=other_student, answer=answer, body="Deuxième version, corrigée avec une source officielle.")

    thread = client.get(question.get_absolute_url()).content.decode()
    assert f'href="/reponses/{answer.pk}/historique/"' in thread

    history = client.get(f"/reponses/{answer.pk}/historique/").content.decode()
    assert "Deuxième version, corrigée avec une source officielle." in history
    assert "Première version de ma réponse, assez longue." in history
    assert ">Bob</a>" in history


def test_an_edited_question_keeps_its_previous_title_text_and_tags_in_its_history(client, student):
    question = make_question(author=student, title="Ancien titre de ma question", tags=("bts",))
    edit_question(editor=student, question=question, title="Nouveau titre de ma question", tags=["bts", "rythme"])

    html = client.get(f"/questions/{question.pk}/historique/").content.decode()

    assert "Nouveau titre de ma question" in html
    assert "Ancien titre de ma question" in html
    assert "Tags: bts" in html


def test_the_thread_follows_the_live_dom_contract(client, student, other_student):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)
    accept_answer(user=student, answer=answer)

    html = client.get(question.get_absolute_url()).content.decode()

    assert f'data-live-topics="thread:{question.pk}"' in html
    assert re.search(r'data-live-cursor="\d+"', html)
    assert '<section id="answers" class="answers" data-answer-list' in html
    assert f'id="answer-{answer.pk}" data-answer-id="{answer.pk}"' in html
    assert "data-answer-body>" in html
    assert "data-vote-count>" in html
    assert "data-answer-count>1<" in html
    assert 'data-thread-status data-status="solved" data-live-part="question-status"' in html
    assert f'data-live-part="answers" data-live-url="/questions/{question.pk}/reponses/"' in html
    assert 'id="live-announcer"' in html
    assert '<script id="live-texts" type="application/json">' in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", ["anonymous", "asker", "voter"])
def test_the_thread_runs_the_same_number_of_queries_for_3_or_30_answers(
    client, settings, student, other_student, viewer
):
    # What a render costs; a page served from the cache has its own budget (test_page_cache.py).
    settings.PAGE_CACHE_ENABLED = False
    question = make_question(author=student)
    authors = [make_user() for _ in range(3)]
    if viewer == "asker":
        client.force_login(student)
    elif viewer == "voter":
        client.force_login(other_student)

    def add_answers(count: int) -> None:
        for i in range(count):
            answer = make_answer(author=authors[i % 3], question=question)
            cast_vote(user=other_student, answer=answer)
            if i % 2:
                edit_answer(editor=answer.author, answer=answer, body=f"Réponse corrigée numéro {answer.pk}, merci.")

    add_answers(3)
    accept_answer(user=student, answer=question.answers.first())
    # A first visit counts the view (one UPDATE); the measured ones are reloads.
    client.get(question.get_absolute_url())
    with_three = _count_queries(client, question.get_absolute_url())
    add_answers(27)
    with_thirty = _count_queries(client, question.get_absolute_url())

    assert with_three == with_thirty
    # 16, plus 2 for "related questions" (the search, and which of them have a verified answer).
    assert with_thirty <= 18
