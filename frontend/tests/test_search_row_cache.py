"""Search results' rows from the shared fragment cache
(frontend.page_cache.search_rows): a row's frame is the question's, shared by
every search that finds it, with each search's own marked title, excerpts and
matching answer written in; the same HTML as a fresh render; a new frame when
the question changes; the asker of a discreet question masked for the readers
they hide from whoever's frame is in the cache."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from forum.services import answers, moderation
from tests.discreet_factories import ASKER_NAME, make_discreet_world
from tests.factories import make_answer, make_question
from tests.support.templates import templates_rendered

ROW = "frontend/partials/search_row.html"


@pytest.fixture(autouse=True)
def empty_cache_in_french():
    cache.clear()
    with translation.override("fr"):
        yield


@pytest.fixture
def pay(student, other_student):
    question = make_question(
        author=student, title="Salaire apprenti : combien à 19 ans ?", body="Je suis en 2e année, quel salaire ?"
    )
    make_answer(author=other_student, question=question, body="Ta rémunération dépend de ton âge et de ton année.")
    return question


def search(client, q, **params):
    response = client.get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, question):
    match = re.search(
        rf'<li class="question-row[^"]*" data-question-id="{question.pk}">.*?</div>\s*</div>\s*</li>', html, re.S
    )
    assert match, f"no row for question {question.pk}"
    return match.group(0)


def test_another_search_finding_the_question_reuses_its_frame_with_its_own_marks(client, pay):
    by_title = row_of(search(client, "salaire"), pay)
    pages = []
    rendered = templates_rendered(lambda: pages.append(search(client, "rémunération")))
    by_answer = row_of(pages[0], pay)

    assert ROW not in rendered
    assert "<mark>Salaire</mark> apprenti" in by_title
    assert "<mark>rémunération</mark>" in by_answer
    assert "<mark>Salaire</mark>" not in by_answer
    assert "data-matching-answer" in by_answer
    # The answer's label and its excerpt read as two phrases, not one word.
    assert '</span> <span class="search-hit__snippet">' in by_answer
    # Besides the marks, the two rows are the same frame.
    frame = re.compile(r'<h2 class="question-row__title">.*?<div class="question-row__meta">', re.S)
    assert frame.sub("", by_title) == frame.sub("", by_answer)


def test_a_row_from_the_cache_is_the_fresh_render(client, pay):
    # Each a page of its own (another address), the frames rendered by the first.
    fresh = row_of(search(client, "salaire", page_of="first"), pay)
    pages = []
    rendered = templates_rendered(lambda: pages.append(search(client, "salaire", page_of="second")))

    assert row_of(pages[0], pay) == fresh
    assert ROW not in rendered


def test_the_row_follows_the_question(client, pay, student):
    before = row_of(search(client, "salaire"), pay)
    answer = pay.answers.get()
    answers.accept_answer(user=student, answer=answer)
    make_answer(author=student, question=pay, body="Merci, c'est plus clair.")

    after = row_of(search(client, "salaire", again="1"), pay)

    assert "is-solved" not in before
    assert "is-solved" in after
    assert "<strong>1</strong>" in before
    assert "<strong>2</strong>" in after
    assert 'data-status="solved"' in after


def test_a_hidden_question_leaves_the_results_and_a_moderator_sees_it_flagged(client, pay, moderator):
    search(client, "salaire")
    moderation.hide_post(moderator=moderator, post=pay, clause="respect")
    assert f'data-question-id="{pay.pk}"' not in search(client, "salaire", again="1")
    client.force_login(moderator)
    row = row_of(search(client, "salaire"), pay)
    assert 'data-status="hidden"' in row
    assert "data-moderation-only" in row


def test_a_discreet_asker_stays_masked_for_the_readers_they_hide_from(client, db):
    world = make_discreet_world(answers=False)
    client.force_login(world.member)
    seen = row_of(search(client, "tuteur"), world.question)
    client.force_login(world.hr_hidden)
    masked = row_of(search(client, "tuteur", reader="hr"), world.question)

    assert ASKER_NAME in seen
    assert ASKER_NAME not in masked
    assert "data-discreet" in masked
    assert "data-discreet" not in seen
