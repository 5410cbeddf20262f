"""Discreet mode on the web forms: the asker chooses organisations when asking
(checkboxes, no JavaScript needed) and changes them on the edit form; a
moderator editing the question neither sees nor changes the choice."""

import pytest

from forum.models import Question
from tests.discreet_factories import make_discreet_world

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Mon employeur ne me paie pas mes heures supplémentaires",
    "body": "Je fais 39 heures au lieu de 35 depuis septembre, sans rien sur ma fiche de paie.",
    "tags": "salaire",
}


@pytest.fixture
def world():
    return make_discreet_world(answers=False)


def test_the_ask_form_explains_discreet_mode_and_links_its_help(client, world):
    client.force_login(world.member)
    html = client.get("/questions/poser/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "data-discreet-fields" in html
    assert 'name="discreet_from" value="banque-exemple"' in html
    assert "Les modérateurs voient toujours qui vous êtes" in html
    assert 'href="/aide/mode-discret/"' in html


def test_a_member_asks_in_discreet_mode(client, world):
    client.force_login(world.member)
    response = client.post("/questions/poser/", VALID | {"discreet_from": [world.bank.slug, world.shop.slug]})
    assert response.status_code == 303
    question = Question.objects.get(title=VALID["title"])
    assert sorted(question.discreet_from) == sorted([world.bank.pk, world.shop.pk])


def test_a_member_hides_from_everyone(client, world):
    client.force_login(world.member)
    response = client.post("/questions/poser/", VALID | {"discreet_everywhere": "on"})
    assert response.status_code == 303
    question = Question.objects.get(title=VALID["title"])
    assert (question.discreet_everywhere, question.discreet_from) == (True, [])


def test_the_asker_turns_it_off_on_the_edit_form(client, world):
    client.force_login(world.asker)
    path = f"/questions/{world.question.pk}/modifier/"
    form = client.get(path).content.decode()
    assert 'name="discreet_from" value="banque-exemple" id="id_discreet_from_0" checked' in form

    data = {"title": world.question.title, "body": world.question.body, "tags": "tuteur, bts", "discreet_shown": "1"}
    assert client.post(path, data).status_code == 303
    world.question.refresh_from_db()
    assert world.question.discreet_from == []


def test_a_moderator_edits_without_touching_it(client, world):
    client.force_login(world.moderator)
    path = f"/questions/{world.question.pk}/modifier/"
    assert "data-discreet-fields" not in client.get(path).content.decode()
    data = {"title": world.question.title, "body": world.question.body + " (corrigé)", "tags": "tuteur, bts"}
    # Even a crafted field is ignored: the choice is the asker's.
    data |= {"discreet_shown": "1", "discreet_from": []}
    assert client.post(path, data).status_code == 303
    world.question.refresh_from_db()
    assert world.question.discreet_from == [world.bank.pk]
