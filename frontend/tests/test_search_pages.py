"""The search page, the old `/?q=` links, the ask form's similar questions
(HTML fragment for similar.js, and server-rendered when the form comes back)
and related questions on a thread."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Question
from forum.services import moderation
from tests.factories import make_answer, make_question
from tests.support.requirements import require_postgres


@pytest.fixture
def pay(student):
    return make_question(
        author=student, title="Salaire apprenti : combien à 19 ans ?", body="Je suis en 2e année, quel salaire ?"
    )


def test_the_search_page_lists_highlighted_results(client, pay, other_student):
    make_answer(author=other_student, question=pay, body="Ta rémunération dépend de ton âge et de ton année.")
    response = client.get("/recherche/", {"q": "remuneration"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-question-id="{pay.pk}"' in html
    assert "<mark>rémunération</mark>" in html
    assert "data-matching-answer" in html


def test_an_empty_search_shows_the_form_only(client, db):
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert b"data-search-results" not in response.content


@pytest.mark.parametrize(
    "params", [{"q": "x" * 201}, {"q": "salaire", "since": "hier"}, {"q": "salaire", "cursor": "forged"}]
)
def test_bad_input_is_a_400_page_with_the_form(client, db, params):
    response = client.get("/recherche/", params)
    assert response.status_code == 400
    assert b'name="q"' in response.content


def test_a_typo_shows_the_correction(client, pay):
    html = client.get("/recherche/", {"q": "salaier"}).content.decode()
    assert "data-did-you-mean" in html
    assert f'data-question-id="{pay.pk}"' in html


def test_old_search_links_redirect_to_the_search_page(client, pay):
    response = client.get("/", {"q": "salaire", "filter": "solved", "page": "3"})
    assert response.status_code == 302
    assert response["Location"] == "/recherche/?q=salaire&filter=solved"
    response = client.get("/tags/bts/", {"q": "salaire"})
    assert response["Location"] == "/recherche/?q=salaire&tag=bts"
    assert client.get("/").status_code == 200


def test_a_moderator_sees_hidden_results_flagged(client, pay, moderator):
    moderation.hide_post(moderator=moderator, post=pay, clause="respect")
    assert b"data-question-id" not in client.get("/recherche/", {"q": "salaire"}).content
    client.force_login(moderator)
    html = client.get("/recherche/", {"q": "salaire"}).content.decode()
    assert f'data-question-id="{pay.pk}"' in html
    assert "data-moderation-only" in html


def test_the_similar_fragment_lists_questions_like_the_title(client, pay, other_student):
    response = client.get("/questions/similaires/", {"title": "Rémunération apprenti"})
    assert response.status_code == 200
    assert f'href="{pay.get_absolute_url()}"' in response.content.decode()
    assert b"<li" not in client.get("/questions/similaires/", {"title": ""}).content
    assert client.get("/questions/similaires/", {"title": "x" * 151}).status_code == 400


def test_the_ask_form_comes_back_with_similar_questions(client, pay, other_student):
    client.force_login(other_student)
    page = client.get("/questions/poser/").content.decode()
    assert "data-similar-questions" in page
    assert "frontend/similar.js" in page
    response = client.post("/questions/poser/", {"title": "Salaire apprenti", "body": "", "tags": "salaire"})
    assert response.status_code == 400
    assert f'href="{pay.get_absolute_url()}"' in response.content.decode()


def test_a_thread_shows_related_questions_but_not_itself(client, pay, student):
    other = make_question(author=student, title="Salaire apprenti en licence pro", body="Même salaire qu'en BTS ?")
    html = client.get(pay.get_absolute_url()).content.decode()
    assert "related-questions" in html
    assert f'href="{other.get_absolute_url()}"' in html
    assert f'<a href="{pay.get_absolute_url()}">' not in html


def test_facets_narrow_the_results_and_are_counted_below_them(client, pay, student):
    other = make_question(author=student, title="Rémunération d'un apprenti en Bretagne", tags=("salaire",))
    Question.objects.filter(pk=other.pk).update(region="bretagne")

    html = client.get("/recherche/", {"q": "rémunération"}).content.decode()
    assert "data-facet-counts" in html
    assert 'data-facet-value="bretagne"' in html
    narrowed = client.get("/recherche/", {"q": "rémunération", "region": "bretagne"}).content.decode()
    assert f'data-question-id="{other.pk}"' in narrowed
    assert f'data-question-id="{pay.pk}"' not in narrowed


def test_anonymous_readers_share_the_results_until_anything_changes(client, pay, other_student, moderator):
    first = client.get("/recherche/", {"q": "salaire"})
    assert first["X-Page-Cache"] == "miss"
    again = client.get("/recherche/", {"q": "salaire"})
    assert again["X-Page-Cache"] == "hit"
    assert f'data-question-id="{pay.pk}"' in again.content.decode()
    # An answer anywhere is an event: the next reader gets a fresh search.
    make_answer(author=other_student, question=pay, body="Cela dépend de ton âge, vois la grille.")
    fresh = client.get("/recherche/", {"q": "salaire"})
    assert fresh["X-Page-Cache"] == "miss"
    moderation.hide_post(moderator=moderator, post=pay, clause="respect")
    assert b"data-question-id" not in client.get("/recherche/", {"q": "salaire"}).content


def test_with_a_region_chosen_the_other_regions_are_still_counted(client, pay, student):
    bzh = make_question(author=student, title="Rémunération d'un apprenti à Rennes", tags=("salaire",))
    corse = make_question(author=student, title="Rémunération d'un apprenti à Ajaccio", tags=("salaire",))
    Question.objects.filter(pk=bzh.pk).update(region="bretagne", diploma="bts")
    Question.objects.filter(pk=corse.pk).update(region="corse", diploma="bts")

    html = client.get("/recherche/", {"q": "rémunération", "region": "bretagne"}).content.decode()
    counts = html.split("data-facet-counts")[1]
    # Choosing Corsica instead would give one thread: the count says so.
    assert re.search(r'data-facet="region" data-facet-value="corse">[^<]*<span class="facet-count__n">1<', counts)
    assert re.search(r'data-facet="region" data-facet-value="bretagne">[^<]*<span class="facet-count__n">1<', counts)
    assert re.search(r'data-facet="diploma" data-facet-value="bts">[^<]*<span class="facet-count__n">1<', counts)


@pytest.mark.postgres
def test_a_plain_search_counts_its_facets_without_searching_again(client, pay, student):
    require_postgres()
    other = make_question(author=student, title="Rémunération d'un apprenti en Bretagne", tags=("salaire",))
    Question.objects.filter(pk=other.pk).update(region="bretagne")
    client.get("/recherche/", {"q": "rémunération", "_": "warm"})  # the planner's estimate is kept per process
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/recherche/", {"q": "rémunération"}).content.decode()
    assert 'data-facet-value="bretagne"' in html
    # The ranking is the only read of the search documents: the facets are
    # counted over the ids it found.
    assert len([q for q in captured if "forum_searchdocument" in q["sql"]]) == 1
