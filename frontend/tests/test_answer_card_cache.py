"""Answer cards from the shared fragment cache (frontend.page_cache.answer_cards):
for every kind of reader the thread reads exactly as a fresh render, a card is
rendered once and then shared by the readers who read it the same, and nothing
of one reader's (their vote, their report, their own answer's controls, their
CSRF token) reaches another."""

import re

import pytest
from django.middleware.csrf import _does_token_match, _unmask_cipher_token
from django.test import Client
from django.utils import translation

from forum.services.flags import flag_post
from forum.services.moderation import hide_post
from forum.services.sanctions import suspend_member
from forum.services.votes import cast_vote
from frontend.views import questions as question_views
from tests.factories import make_answer, make_question, make_user
from tests.support.templates import templates_rendered

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
# "il y a 2 secondes": written per response, and a slow machine may cross a
# boundary between two renders of one test.
RELATIVE_TIME = re.compile(r"(<time [^>]*>)[^<]*(</time>)")
ANSWERS = re.compile(r'<section id="answers".*?</section>', re.S)


@pytest.fixture(autouse=True)
def in_french():
    with translation.override("fr"):
        yield


@pytest.fixture
def thread(student, other_student, third_student, moderator):
    question = make_question(author=student, title="Peut-on poser ses congés pendant les semaines d'école ?")
    answers = [
        make_answer(author=other_student, question=question, body="Non, les congés se posent en entreprise."),
        make_answer(author=third_student, question=question, body="Oui si l'entreprise est d'accord, en général."),
        make_answer(author=make_user(username="dora"), question=question, body="Demande au CFA ce qu'il prévoit."),
    ]
    hidden = make_answer(author=make_user(username="eve"), question=question, body="Réponse retirée par la modération.")
    hide_post(moderator=moderator, post=hidden, clause="respect")
    return question, answers


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answers_section(client, question) -> str:
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return ANSWERS.search(response.content.decode()).group(0)


def without_tokens(html: str) -> str:
    return RELATIVE_TIME.sub(r"\1\2", TOKEN.sub('name="csrfmiddlewaretoken" value=""', html))


def fresh_section(client, question, monkeypatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(question_views, "answer_cards", lambda request, context, reltime: {})
        return answers_section(client, question)


@pytest.mark.parametrize("reader", ["anonymous", "asker", "answerer", "voter", "suspended", "moderator"])
def test_the_thread_reads_as_a_fresh_render_for_every_reader(
    reader, thread, student, other_student, third_student, moderator, monkeypatch
):
    question, answers = thread
    voter = make_user(username="victor")
    cast_vote(user=voter, answer=answers[0])
    flag_post(user=voter, post=answers[1], reason="misleading")
    suspended = make_user(username="sam")
    suspend_member(moderator=moderator, member=suspended, days=3, clause="respect")
    readers = {"anonymous": None, "asker": student, "answerer": other_student, "voter": voter, "suspended": suspended}
    client = client_for(readers.get(reader, moderator))
    answers_section(client_for(make_user(username="lea")), question)  # another reader's cards first

    cached = [answers_section(client, question) for _ in range(2)]
    fresh = fresh_section(client, question, monkeypatch)

    assert without_tokens(cached[0]) == without_tokens(cached[1]) == without_tokens(fresh)
    if reader == "suspended":
        assert "data-flag-link" not in cached[0]


def test_a_card_is_rendered_once_then_shared_by_readers_who_read_it_the_same(thread, monkeypatch):
    question, _answers = thread
    first, second = client_for(make_user(username="lea")), client_for(make_user(username="noah"))
    answers_section(first, question)

    again = templates_rendered(lambda: answers_section(second, question))

    assert "frontend/partials/answer.html" not in again
    # The hidden answer, which only its author and moderators see, is not in
    # anyone else's page, cached or not.
    assert "retirée par la modération" not in answers_section(second, question)


def test_one_readers_vote_and_report_stay_theirs(thread):
    question, answers = thread
    voter, neighbour = make_user(username="victor"), make_user(username="nina")
    cast_vote(user=voter, answer=answers[0])
    flag_post(user=voter, post=answers[1], reason="misleading")

    mine = answers_section(client_for(voter), question)
    theirs = answers_section(client_for(neighbour), question)

    assert mine.count('aria-pressed="true"') == 1
    assert mine.count("data-flagged") == 1
    assert 'aria-pressed="true"' not in theirs
    assert "data-flagged" not in theirs
    assert theirs.count("data-flag-link") == 3


def test_own_answer_controls_are_only_the_authors(thread, other_student):
    question, _answers = thread

    authors = answers_section(client_for(other_student), question)
    others = answers_section(client_for(make_user(username="lea")), question)

    assert authors.count("answer__owner-actions") == 1
    assert "answer__owner-actions" not in others


def test_each_reader_gets_a_token_for_their_own_session(thread):
    question, _answers = thread
    readers = [client_for(make_user(username=name)) for name in ("lea", "noah")]
    for client in readers:
        section = answers_section(client, question)
        secret = client.cookies["csrftoken"].value
        tokens = set(TOKEN.findall(section))
        assert tokens, "the vote forms carry a token"
        assert all(_does_token_match(token, secret) for token in tokens)
        assert all(_unmask_cipher_token(token) == secret for token in tokens)


def test_a_new_vote_count_is_a_new_card_and_the_time_is_written_per_response(thread, other_student):
    question, answers = thread
    reader = client_for(make_user(username="lea"))
    before = answers_section(reader, question)
    cast_vote(user=make_user(username="victor"), answer=answers[0])

    after = answers_section(reader, question)

    assert re.search(r"data-vote-count>0<", before)
    assert re.search(r"data-vote-count>1<", after)
    assert "\x00" not in before + after
    assert after.count("<time datetime=") == 3


def test_a_vote_posted_from_a_shared_card_passes_the_csrf_check(thread):
    question, answers = thread
    answers_section(client_for(make_user(username="lea")), question)  # the cards are cached by another reader
    voter = Client(enforce_csrf_checks=True)
    voter.force_login(make_user(username="victor"))
    section = answers_section(voter, question)
    card = re.search(rf'id="answer-{answers[1].pk}".*?</article>', section, re.S).group(0)

    response = voter.post(f"/reponses/{answers[1].pk}/vote/", {"csrfmiddlewaretoken": TOKEN.search(card).group(1)})

    assert response.status_code == 303
    answers[1].refresh_from_db()
    assert answers[1].vote_count == 1
