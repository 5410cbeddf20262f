"""Thread URLs carry the title's words: /questions/<id>/<slug>/ is the one
canonical address, and the bare id or any old slug redirects there for good."""

import pytest
from django.conf import settings

from forum.services.moderation import hide_post
from forum.services.questions import edit_question
from forum.slugs import SLUG_MAX_LENGTH, slugify_title
from tests.factories import make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("L'alternance en BTS : rémunération ?", "l-alternance-en-bts-remuneration"),
        ("Cœur de métier — ça marche, l’été ?", "coeur-de-metier-ca-marche-l-ete"),
        ("Où déposer ma DPAE ?", "ou-deposer-ma-dpae"),
        ("🎉 ???", "question"),
        ("Modifier", "modifier-question"),
        ("Reponses", "reponses-question"),
    ],
)
def test_the_slug_folds_french_accents_and_keeps_clear_of_the_thread_tools(title, slug):
    assert slugify_title(title) == slug


def test_a_long_title_is_cut_at_a_word_boundary():
    slug = slugify_title("Quel salaire pour un apprenti de dix-huit ans en première année de BTS dans une banque ?")

    assert len(slug) <= SLUG_MAX_LENGTH
    assert slug == "quel-salaire-pour-un-apprenti-de-dix-huit-ans-en-premiere"


def test_the_canonical_url_answers_and_says_it_is_canonical(client, student):
    question = make_question(author=student, title="Combien de congés pour un apprenti en CAP ?")

    response = client.get(f"/questions/{question.pk}/combien-de-conges-pour-un-apprenti-en-cap/")

    assert response.status_code == 200
    html = response.content.decode()
    assert question.get_absolute_url() == f"/questions/{question.pk}/combien-de-conges-pour-un-apprenti-en-cap/"
    assert f'<link rel="canonical" href="{settings.SITE_URL}{question.get_absolute_url()}">' in html


@pytest.mark.parametrize("path", ["", "ancien-titre/", "combien-de-conges/"])
def test_the_bare_id_and_wrong_slugs_redirect_permanently_keeping_the_query(client, student, path):
    question = make_question(author=student, title="Combien de congés pour un apprenti en CAP ?")

    response = client.get(f"/questions/{question.pk}/{path}?lang=en")

    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url() + "?lang=en"


def test_the_old_slug_redirects_after_a_title_edit(client, student):
    question = make_question(author=student, title="Premier titre de ma question sur le BTS")
    old_url = question.get_absolute_url()
    edit_question(editor=student, question=question, title="Un titre corrigé pour ma question sur le BTS")

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == f"/questions/{question.pk}/un-titre-corrige-pour-ma-question-sur-le-bts/"


def test_a_thread_the_reader_may_not_see_is_a_404_before_any_redirect(client, student, moderator):
    question = make_question(author=student, title="Une question qui sera masquée par la modération")
    hide_post(moderator=moderator, post=question, clause="respect")

    # No Location with the title in it: the hidden thread's words stay hidden.
    assert client.get(f"/questions/{question.pk}/").status_code == 404
    assert client.get(question.get_absolute_url()).status_code == 404


def test_the_sub_urls_of_a_thread_still_answer(client, student):
    question = make_question(author=student, title="Une question avec ses pages annexes")
    client.force_login(student)

    assert client.get(f"/questions/{question.pk}/reponses/").status_code == 200
    assert client.get(f"/questions/{question.pk}/modifier/").status_code == 200
    assert client.get(f"/questions/{question.pk}/historique/").status_code == 200
    assert client.post(f"/questions/{question.pk}/repondre/", {"body": "  "}).status_code == 400


def test_a_thread_titled_like_a_tool_still_opens_the_thread(client):
    author = make_user()
    question = make_question(author=author, title="Modifier ?!?!?!?!")

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('question__title">Modifier ?!?!?!?!</h1>') == 1


def test_every_sub_path_of_a_thread_is_reserved_and_routed_before_the_slug():
    """A new /questions/<id>/<word>/ page must come before the slug route (or
    the thread view would swallow it) and its word must be RESERVED (or a
    title could take it)."""
    from django.urls import get_resolver

    from forum.slugs import RESERVED

    routes = [str(p.pattern) for p in get_resolver("frontend.urls").url_patterns]
    slug_route = routes.index("questions/<int:pk>/<slug:slug>/")
    for index, route in enumerate(routes):
        words = route.split("/")
        if route.startswith("questions/<int:pk>/") and len(words) == 4 and "<" not in words[2]:
            assert index < slug_route, route
            assert words[2] in RESERVED, route
