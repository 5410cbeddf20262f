"""Tags suggested as you type, synonyms included, new tags marked (issue 19),
and tag pages of tags only held threads use (issue 9)."""

import pytest
from django.utils import timezone

from forum.models import TagSynonym
from tests.factories import make_question, make_user

pytestmark = pytest.mark.usefixtures("tag_synonyms_seeded")


@pytest.fixture
def rupture(student):
    return make_question(author=student, tags=("rupture-contrat",))


def test_it_suggests_existing_tags_starting_with_what_is_typed(client, rupture):
    data = client.get("/tags/suggestions/", {"q": "rupt"}).json()
    assert [(tag["name"], tag["question_count"], tag["synonym"]) for tag in data["results"]] == [
        ("rupture-contrat", 1, None)
    ]


def test_it_suggests_a_tag_through_its_synonym_seeded_by_the_migration(client, rupture):
    assert TagSynonym.objects.filter(name="demission", tag_name="rupture-contrat").exists()
    data = client.get("/tags/suggestions/", {"q": "Démission"}).json()
    assert [(tag["name"], tag["synonym"]) for tag in data["results"]] == [("rupture-contrat", "demission")]


def test_the_api_tag_list_finds_synonyms_too(client, rupture):
    results = client.get("/api/v1/tags/", {"q": "demission"}).json()["results"]
    assert [tag["name"] for tag in results] == ["rupture-contrat"]


def test_it_marks_which_typed_tags_would_be_new_and_saves_a_synonym_as_its_tag(client, rupture, other_student):
    data = client.get("/tags/suggestions/", {"tags": "démission, BTS, rupture-contrat"}).json()
    assert data["tags"] == [{"name": "rupture-contrat", "is_new": False}, {"name": "bts", "is_new": True}]

    question = make_question(author=other_student, tags=("demission", "bts"))
    assert sorted(question.tags.names()) == ["bts", "rupture-contrat"]


def test_a_tag_only_held_questions_use_is_neither_suggested_nor_shown_as_existing(client, other_student):
    newcomer = make_user(username="nina", date_joined=timezone.now())
    make_question(author=newcomer, tags=("secret-tag",))
    client.force_login(other_student)
    data = client.get("/tags/suggestions/", {"q": "secret", "tags": "secret-tag"}).json()
    assert data == {"results": [], "tags": [{"name": "secret-tag", "is_new": True}]}

    # Its author sees the tag of their own held question as theirs already.
    client.force_login(newcomer)
    data = client.get("/tags/suggestions/", {"q": "secret", "tags": "secret-tag, bts"}).json()
    assert [t["name"] for t in data["results"]] == ["secret-tag"]
    assert data["tags"] == [{"name": "secret-tag", "is_new": False}, {"name": "bts", "is_new": True}]


def test_a_too_long_query_is_a_400_with_the_field_named(client):
    response = client.get("/tags/suggestions/", {"q": "x" * 101})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]


def test_the_ask_form_carries_the_suggestions_endpoint_for_forms_js(client, student):
    client.force_login(student)
    html = client.get("/questions/poser/").content.decode()
    assert 'data-suggest-url="/tags/suggestions/"' in html
