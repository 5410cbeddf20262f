"""Discreet mode through the API: the asker sets it when asking, changes it
with PATCH (nobody else may), and the thread tells the asker and moderators
whom it hides from."""

import pytest

from api.tests.conftest import error_of, token_client
from tests.badge_factories import make_organisation
from tests.discreet_factories import ASKER_USERNAME, make_discreet_world
from tests.factories import make_user

NEW_THREAD = {
    "title": "Mon employeur ne me paie pas mes heures supplémentaires",
    "body": "Je fais 39 heures au lieu de 35 depuis septembre, sans rien sur ma fiche de paie.",
    "tags": ["salaire"],
}


@pytest.fixture
def world(db):
    return make_discreet_world(answers=False)


def test_the_asker_asks_in_discreet_mode_and_sees_whom_it_hides_from(world):
    client = token_client(world.asker)
    response = client.post("/api/v1/threads/", NEW_THREAD | {"discreet_from": [world.bank.slug]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["discreet_from"] == [{"name": "Banque Exemple", "slug": world.bank.slug}]
    assert (body["author"]["username"], body["author"]["discreet"]) == (ASKER_USERNAME, False)

    as_hr = token_client(world.hr_hidden).get(f"/api/v1/threads/{body['id']}/").json()
    assert as_hr["discreet_from"] == []
    assert as_hr["author"] | {"display_name": None} == {
        "id": None,
        "username": None,
        "display_name": None,
        "badges": [],
        "web_url": None,
        "discreet": True,
    }
    as_moderator = token_client(world.moderator).get(f"/api/v1/threads/{body['id']}/").json()
    assert as_moderator["discreet_from"] == [{"name": "Banque Exemple", "slug": world.bank.slug}]
    assert as_moderator["author"]["username"] == ASKER_USERNAME


def test_unknown_or_too_many_organisations_are_a_400_on_the_field(world):
    client = token_client(world.asker)

    def refused(discreet_from) -> dict:
        response = client.post("/api/v1/threads/", NEW_THREAD | {"discreet_from": discreet_from}, format="json")
        return error_of(response, 400)["fields"]

    assert "discreet_from" in refused(["nulle-part"])
    schools = [make_organisation(moderator=world.moderator, name=f"Ecole {i}", domains=[f"e{i}.fr"]) for i in range(6)]
    assert "discreet_from" in refused([s.slug for s in schools])
    assert "discreet_from" in refused("banque")


def test_hidden_from_everyone_even_anonymous_readers_get_the_mask(world, anonymous):
    client = token_client(world.asker)
    response = client.post("/api/v1/threads/", NEW_THREAD | {"discreet_everywhere": True}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["discreet_everywhere"], response.json()["discreet_from"]) == (True, [])
    path = f"/api/v1/threads/{response.json()['id']}/"
    for reader in (anonymous, token_client(world.member), token_client(world.hr_other)):
        body = reader.get(path).json()
        assert (body["author"]["username"], body["author"]["discreet"], body["discreet_everywhere"]) == (
            None,
            True,
            False,
        )
    assert token_client(world.moderator).get(path).json()["author"]["username"] == ASKER_USERNAME


def test_only_the_asker_changes_it(world):
    path = f"/api/v1/threads/{world.question.pk}/"
    error_of(token_client(world.moderator).patch(path, {"discreet_from": []}, format="json"), 403)
    error_of(token_client(make_user(username="autre")).patch(path, {"discreet_from": []}, format="json"), 403)

    response = token_client(world.asker).patch(path, {"discreet_from": []}, format="json")
    assert response.status_code == 200
    assert response.json()["discreet_from"] == []
    assert token_client(world.hr_hidden).get(path).json()["author"]["username"] == ASKER_USERNAME
