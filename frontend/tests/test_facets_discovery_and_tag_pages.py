"""The pages of issue 11: facets on the ask and edit forms and on the thread,
facet filters and counts on the lists, the discovery lists, tag pages with a
description and their counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from forum.models import AuditLog, Question
from forum.services.answers import accept_answer
from forum.services.questions import ask_question
from forum.services.tags import set_tag_description
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Mon employeur peut-il changer mon rythme d'alternance ?",
    "body": "Je suis en BTS MCO, deux jours à l'école et trois en magasin. Mon manager veut tout changer en janvier.",
    "tags": "bts, rythme",
}


def ask(author, n: int, **facets) -> Question:
    return ask_question(
        author=author,
        title=f"Question numéro {n} sur l'alternance",
        body=f"Je cherche une entreprise pour la rentrée, quelles démarches ? ({n})",
        tags=["bts"],
        **facets,
    )


def titles(html: str) -> list[str]:
    return re.findall(r'class="question-row__title"><a href="[^"]+">([^<]+)</a>', html)


def test_a_member_asks_with_facets_and_the_thread_shows_them(client, student):
    client.force_login(student)

    response = client.post("/questions/poser/", {**VALID, "diploma": "bts", "region": "ile-de-france"})

    assert response.status_code == 303
    question = Question.objects.get()
    assert (question.diploma, question.region, question.sector) == ("bts", "ile-de-france", "")
    thread = client.get(response["Location"]).content.decode()
    assert 'href="/?region=ile-de-france"' in thread
    assert "Île-de-France" in thread


def test_a_facet_outside_the_lists_is_a_message_next_to_the_field(client, student):
    client.force_login(student)

    response = client.post("/questions/poser/", {**VALID, "sector": "mines"})

    assert response.status_code == 400
    assert not Question.objects.exists()
    html = response.content.decode()
    assert "Choose one of the proposed values." in html
    assert VALID["title"].replace("'", "&#x27;") in html


def test_the_edit_form_shows_and_changes_the_facets(client, student):
    question = ask(student, 1, region="bretagne")
    client.force_login(student)

    form = client.get(f"/questions/{question.pk}/modifier/").content.decode()
    assert '<option value="bretagne" selected>' in form

    data = {"title": question.title, "body": question.body, "tags": "bts", "region": "corse", "contract": ""}
    assert client.post(f"/questions/{question.pk}/modifier/", data).status_code == 303
    question.refresh_from_db()
    assert question.region == "corse"


def test_lists_filter_by_facets_and_count_them_below(client, student):
    ask(student, 1, region="bretagne", diploma="bts")
    ask(student, 2, region="corse", diploma="bts")
    ask(student, 3, region="bretagne", diploma="master")

    html = client.get("/", {"region": "bretagne", "diploma": "bts"}).content.decode()

    assert titles(html) == ["Question numéro 1 sur l'alternance".replace("'", "&#x27;")]
    counts = html.split("data-facet-counts")[1]
    # Regions given the BTS filter; the chosen one links back to the list without it.
    assert re.search(r'href="\?diploma=bts"[^>]*data-facet="region" data-facet-value="bretagne"', counts)
    assert 'data-facet="region" data-facet-value="corse"' in counts


def test_a_stale_facet_in_a_shared_link_still_shows_the_list(client, student):
    ask(student, 1, region="bretagne")

    response = client.get("/", {"region": "atlantide"})

    assert response.status_code == 200
    assert len(titles(response.content.decode())) == 1


def test_the_tag_page_filters_by_facets_too(client, student):
    ask(student, 1, region="bretagne")
    ask(student, 2, region="corse")

    html = client.get("/tags/bts/", {"region": "corse"}).content.decode()

    assert titles(html) == ["Question numéro 2 sur l&#x27;alternance"]


def test_the_home_page_links_the_discovery_lists(client, db):
    html = client.get("/").content.decode()
    nav = html.split('class="discovery-nav"')[1].split("</nav>")[0]

    for url in ("/questions/sans-reponse/", "/questions/populaires/", "/questions/resolues-par-un-rh/"):
        assert f'href="{url}"' in nav


def test_unanswered_lists_the_longest_waiting_first(client, student, other_student):
    recent = ask(student, 1)
    old = ask(student, 2)
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    make_answer(author=other_student, question=ask(student, 3))

    html = client.get("/questions/sans-reponse/").content.decode()

    assert titles(html) == [t.replace("'", "&#x27;") for t in (old.title, recent.title)]
    assert 'aria-current="page">Unanswered' in html


def test_popular_this_week_and_solved_by_a_verified_hr(client, student, other_student, moderator):
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])
    hr = make_user(username="claire")
    grant_badge(user=hr, organisation=bank, moderator=moderator, role="hr")
    quiet = ask(student, 1)
    solved = ask(student, 2)
    accept_answer(user=student, answer=make_answer(author=hr, question=solved))
    make_answer(author=other_student, question=ask(student, 3))

    hot = titles(client.get("/questions/populaires/").content.decode())
    by_hr = titles(client.get("/questions/resolues-par-un-rh/").content.decode())

    assert len(hot) == 2
    assert quiet.title.replace("'", "&#x27;") not in hot
    assert by_hr == [solved.title.replace("'", "&#x27;")]


def test_list_pages_cost_the_same_queries_for_few_or_many_questions(client, student, django_assert_max_num_queries):
    client.get("/questions/sans-reponse/")  # warm caches (site, translations)
    # Asked after it: both counts below render rows not yet in the row cache,
    # which load their tags and badges (three queries for any number of rows).
    ask(student, 0, region="bretagne", diploma="bts")
    with django_assert_max_num_queries(40) as few:
        client.get("/questions/sans-reponse/", {"region": "bretagne"})
    for n in range(1, 12):
        ask(student, n, region="bretagne", diploma="master" if n % 2 else "bts", sector="commerce")
    with django_assert_max_num_queries(len(few)):
        client.get("/questions/sans-reponse/", {"region": "bretagne"})


def test_the_tag_page_shows_its_description_and_count(client, student, moderator):
    make_question(author=student)
    make_question(author=student)
    set_tag_description(moderator=moderator, tag=Tag.objects.get(slug="bts"), text="Brevet de technicien supérieur.")

    html = client.get("/tags/bts/").content.decode()

    assert "Brevet de technicien supérieur." in html
    assert re.search(r"data-tag-question-count>\s*2 questions", html)
    assert re.search(r"data-tag-follower-count>\s*0 followers", html)
    assert "/tags/bts/description/" not in html
    assert "data-follow-tag" not in html  # following is for members


def test_a_member_follows_a_tag_from_its_page(client, student, other_student):
    make_question(author=student)
    client.force_login(other_student)

    response = client.post("/tags/bts/suivre/", {"following": "1"})

    assert response.status_code == 303
    html = client.get("/tags/bts/").content.decode()
    assert re.search(r"data-tag-follower-count>\s*1 follower<", html)
    assert re.search(r'name="following" value="0">\s*<button[^>]*data-follow-tag', html)
    client.post("/tags/bts/suivre/", {"following": "0"})
    assert re.search(r"data-tag-follower-count>\s*0 followers", client.get("/tags/bts/").content.decode())


def test_a_moderator_describes_a_tag_from_its_page(client, student, moderator):
    make_question(author=student)
    client.force_login(moderator)

    assert 'href="/tags/bts/description/"' in client.get("/tags/bts/").content.decode()
    response = client.post("/tags/bts/description/", {"description": "Deux ans après le bac."})

    assert response.status_code == 303
    assert response["Location"] == "/tags/bts/"
    assert "Deux ans après le bac." in client.get("/tags/bts/").content.decode()
    assert AuditLog.objects.filter(action="tag.described", actor=moderator).count() == 1


def test_a_too_long_description_is_a_form_error(client, student, moderator):
    make_question(author=student)
    client.force_login(moderator)

    response = client.post("/tags/bts/description/", {"description": "x" * 601})

    assert response.status_code == 400
    assert "The description is too long" in response.content.decode()


def test_members_cannot_describe_tags(client, student):
    make_question(author=student)
    client.force_login(student)

    assert client.get("/tags/bts/description/").status_code == 403
    assert client.post("/tags/bts/description/", {"description": "Mon avis."}).status_code == 403
