import pytest

from api.tests.conftest import error_of, token_client
from forum.services.answers import accept_answer
from forum.services.moderation import hide_post
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def test_tags_come_with_their_thread_counts_most_used_first(anonymous, student):
    make_question(author=student, tags=("bts", "rythme"))
    make_question(author=student, tags=("bts",))
    make_question(author=student, tags=("salaire",))

    results = anonymous.get("/api/v1/tags/").json()["results"]

    assert [(t["name"], t["question_count"]) for t in results] == [("bts", 2), ("rythme", 1), ("salaire", 1)]
    assert results[0]["threads_url"] == "http://testserver/api/v1/threads/?tag=bts"


def test_tags_autocomplete_by_prefix(anonymous, student, tag_synonyms_seeded):
    make_question(author=student, tags=("rythme", "rupture", "bts"))
    # "rupture" is a seeded synonym: the question is tagged rupture-contrat.
    assert [t["name"] for t in anonymous.get("/api/v1/tags/?q=ru").json()["results"]] == ["rupture-contrat"]


def test_tag_counts_leave_out_threads_you_cannot_see(anonymous, student, moderator):
    # Through the service: anonymous readers get the counts it keeps.
    hide_post(moderator=moderator, post=make_question(author=student, tags=("secret",)), clause="respect")
    make_question(author=student, tags=("bts",))

    assert [t["name"] for t in anonymous.get("/api/v1/tags/").json()["results"]] == ["bts"]


def test_a_member_counts_their_own_held_threads_and_a_moderator_everyones(student, other_student, moderator):
    hide_post(moderator=moderator, post=make_question(author=student, tags=("secret", "bts")), clause="respect")
    make_question(author=other_student, tags=("bts",))

    def counts(user):
        return {t["name"]: t["question_count"] for t in token_client(user).get("/api/v1/tags/").json()["results"]}

    assert counts(student) == {"bts": 2, "secret": 1}
    assert counts(other_student) == {"bts": 1}
    assert counts(moderator) == {"bts": 2, "secret": 1}
    # The autocomplete counts the same way.
    assert [t["name"] for t in token_client(student).get("/api/v1/tags/?q=se").json()["results"]] == ["secret"]
    assert token_client(other_student).get("/api/v1/tags/?q=se").json()["results"] == []


def test_a_public_profile_shows_what_anyone_may_see(anonymous, student, other_student, question):
    student.school, student.region, student.bio = "CFA de Lyon", "Auvergne-Rhône-Alpes", "BTS MCO en alternance."
    student.save()
    answer = make_answer(author=student, question=make_question(author=other_student))
    accept_answer(user=other_student, answer=answer)

    profile = anonymous.get("/api/v1/users/alice/").json()

    assert profile["username"] == "alice"
    assert profile["display_name"] == "Alice"
    assert profile["badges"] == []
    assert (profile["school"], profile["region"]) == ("CFA de Lyon", "Auvergne-Rhône-Alpes")
    assert (profile["question_count"], profile["answer_count"]) == (1, 1)
    assert profile["web_url"] == "http://testserver/membres/alice/"
    assert "email" not in profile
    [listed] = anonymous.get("/api/v1/users/alice/answers/").json()["results"]
    assert listed["id"] == answer.pk
    assert listed["is_accepted"] is True
    assert listed["thread"]["title"] == answer.question.title


@pytest.mark.parametrize("username", ["nobody", "al%00ice", "a b"])
def test_an_unknown_or_impossible_username_is_a_404(anonymous, student, username):
    error_of(anonymous.get(f"/api/v1/users/{username}/"), 404)


def test_a_username_over_its_maximum_length_is_a_400_that_says_why(anonymous, student):
    # forum.limits: a too-long path parameter is refused, not hidden behind a 404.
    assert "username" in error_of(anonymous.get(f"/api/v1/users/{'x' * 151}/"), 400)["fields"]


def test_me_needs_credentials(anonymous):
    assert error_of(anonymous.get("/api/v1/me/"), 401)["code"] == "not_authenticated"


def test_me_shows_private_fields_to_their_owner(student):
    me = token_client(student).get("/api/v1/me/").json()
    assert me["email"] == "alice@example.org"
    assert me["is_moderator"] is False
    assert me["suspended_until"] is None


def test_a_suspended_member_sees_until_when(suspended_student):
    me = token_client(suspended_student).get("/api/v1/me/").json()
    assert me["suspended_until"].endswith("Z")


def test_updating_my_profile_changes_only_the_fields_sent(student):
    client = token_client(student)

    response = client.patch("/api/v1/me/", {"school": "  IUT de  Nantes ", "role": "apprentice"}, format="json")

    assert response.status_code == 200
    assert (response.json()["school"], response.json()["role"]) == ("IUT de Nantes", "apprentice")
    student.refresh_from_db()
    assert (student.display_name, student.school) == ("Alice", "IUT de Nantes")


def test_profile_rules_come_back_on_their_fields(student):
    response = token_client(student).patch("/api/v1/me/", {"bio": "x" * 1001, "role": "ceo"}, format="json")
    assert set(error_of(response, 400)["fields"]) >= {"role"}
    response = token_client(student).patch("/api/v1/me/", {"bio": "x" * 1001}, format="json")
    assert set(error_of(response, 400)["fields"]) == {"bio"}


def test_a_tag_has_its_description_and_counts_and_moderators_describe_it(anonymous, student, moderator):
    from api.tests.conftest import token_client

    make_question(author=student, tags=("bts",))
    body = anonymous.get("/api/v1/tags/bts/").json()
    assert (body["name"], body["question_count"], body["follower_count"], body["description"]) == ("bts", 1, 0, "")
    assert anonymous.get("/api/v1/tags/nothing-here/").status_code == 404

    refused = token_client(student).put("/api/v1/tags/bts/", {"description": "Brevet."}, format="json")
    assert refused.status_code == 403
    described = token_client(moderator).put(
        "/api/v1/tags/bts/", {"description": "Brevet de technicien."}, format="json"
    )
    assert described.status_code == 200
    assert anonymous.get("/api/v1/tags/bts/").json()["description"] == "Brevet de technicien."
