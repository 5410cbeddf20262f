"""Conditional GETs of /api/v1/threads/ and /api/v1/threads/<id>/
(api/conditional.py): anonymous readers revalidate against the version of the
topics, checked before anything is read; members against a digest of what
they were sent, which holds their own flags."""

import pytest

from api.tests.conftest import token_client
from forum.models import CharterClause, Visibility
from forum.services.moderation import hide_post
from forum.services.sanctions import suspend_member
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db

LIST = "/api/v1/threads/"


def test_an_unchanged_list_is_a_304_of_one_query(anonymous, question, django_assert_num_queries):
    etag = anonymous.get(LIST)["ETag"]
    with django_assert_num_queries(1):  # the version; no thread is read
        response = anonymous.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


@pytest.mark.parametrize("ordering", ["activity", "hot"])
def test_a_stored_list_is_served_without_building_the_list(
    anonymous, question, other_student, ordering, django_assert_num_queries
):
    """ "Popular this week" counts the week's answers and votes to build its
    list: a reader of a stored body pays none of it."""
    make_answer(author=other_student, question=question)
    url = f"{LIST}?ordering={ordering}"
    first = anonymous.get(url)
    with django_assert_num_queries(1):  # the version; the body is the stored one
        again = anonymous.get(url)
    assert again.json() == first.json()
    assert [thread["id"] for thread in again.json()["results"]] == [question.pk]


@pytest.mark.parametrize("change", ["question", "answer", "hidden"])
def test_the_list_changes_with_what_it_shows(anonymous, question, student, other_student, moderator, change):
    etag = anonymous.get(LIST)["ETag"]
    if change == "question":
        make_question(author=other_student)
    elif change == "answer":
        make_answer(author=other_student, question=question)
    else:
        hide_post(moderator=moderator, post=question, clause=CharterClause.SPAM)
    response = anonymous.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_vote_changes_the_thread_not_the_list(anonymous, question, other_student, third_student):
    answer = make_answer(author=other_student, question=question)
    list_etag = anonymous.get(LIST)["ETag"]
    detail = f"/api/v1/threads/{question.pk}/"
    detail_etag = anonymous.get(detail)["ETag"]

    cast_vote(user=third_student, answer=answer)

    assert anonymous.get(LIST, HTTP_IF_NONE_MATCH=list_etag).status_code == 304
    assert anonymous.get(detail, HTTP_IF_NONE_MATCH=detail_etag).status_code == 200


def test_a_hidden_thread_is_a_404_not_a_304(anonymous, question, moderator):
    detail = f"/api/v1/threads/{question.pk}/"
    etag = anonymous.get(detail)["ETag"]
    hide_post(moderator=moderator, post=question, clause=CharterClause.SPAM)
    assert anonymous.get(detail, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_member_revalidates_against_their_own_copy(question, student, other_student):
    """Members' ETags for a thread come from what they were sent (their
    can_edit, their pending posts): a 304 for them, and never someone else's."""
    asker, other = token_client(student), token_client(other_student)
    url = f"/api/v1/threads/{question.pk}/"
    mine = asker.get(url)["ETag"]
    assert asker.get(url, HTTP_IF_NONE_MATCH=mine).status_code == 304
    assert other.get(url, HTTP_IF_NONE_MATCH=mine).status_code == 200
    assert "Authorization" in asker.get(url)["Vary"]


def test_members_whose_list_is_anyone_s_share_the_anonymous_list_and_the_others_get_their_own(
    anonymous, question, student, other_student, third_student
):
    """The thread list has no per-member field: a member who has no held or
    discreet thread, no badge and no moderation role reads the anonymous body
    and ETag. A member with a held thread sees it in their list, alone."""
    held = make_question(author=third_student, title="Ma question en attente de relecture")
    held.visibility = Visibility.PENDING
    held.save(update_fields=["visibility"])
    shared = anonymous.get(LIST)

    for member in (student, other_student):
        mine = token_client(member).get(LIST)
        assert mine.json() == shared.json()
        assert mine["ETag"] == shared["ETag"]
        assert token_client(member).get(LIST, HTTP_IF_NONE_MATCH=shared["ETag"]).status_code == 304
        assert "Authorization" in mine["Vary"]

    author = token_client(third_student)
    theirs = author.get(LIST)
    assert held.pk in [thread["id"] for thread in theirs.json()["results"]]
    assert held.pk not in [thread["id"] for thread in shared.json()["results"]]
    assert theirs["ETag"] != shared["ETag"]
    assert author.get(LIST, HTTP_IF_NONE_MATCH=theirs["ETag"]).status_code == 304


def test_a_view_alone_does_not_change_the_list(anonymous, question, other_student):
    etag = anonymous.get(LIST)["ETag"]
    token_client(other_student).get(f"/api/v1/threads/{question.pk}/")  # counts a view
    assert anonymous.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_anonymous_readers_share_one_serialisation_per_version(
    anonymous, question, other_student, django_assert_num_queries
):
    detail = f"/api/v1/threads/{question.pk}/"
    first_list, first_detail = anonymous.get(LIST).json(), anonymous.get(detail).json()
    with django_assert_num_queries(1):  # the version
        assert anonymous.get(LIST).json() == first_list
    with django_assert_num_queries(2):  # the version, the thread (visibility and its view)
        assert anonymous.get(detail).json() == first_detail

    make_answer(author=other_student, question=question)
    assert anonymous.get(LIST).json()["results"][0]["answer_count"] == 1
    assert anonymous.get(detail).json()["answer_count"] == 1


def test_members_whose_lists_are_anyone_s_share_the_anonymous_search(
    anonymous, question, student, other_student, third_student, moderator
):
    """A search finds public text (published answers only) and, with a filter,
    the searcher's own held questions: a member with none reads the anonymous
    body and ETag, one with a held question that a filtered search finds gets
    their own, and so does a moderator (who finds hidden posts)."""
    held = make_question(author=third_student, title="Mon contrat d’apprentissage en attente de relecture")
    held.visibility = Visibility.PENDING
    held.save(update_fields=["visibility"])
    make_answer(author=other_student, question=question, body="Le contrat d’apprentissage se signe avec le CFA.")
    url = "/api/v1/search/?q=contrat+apprentissage&status=all&tag=bts"
    shared = anonymous.get(url)
    assert shared.status_code == 200

    mine = token_client(student).get(url)
    assert mine.json() == shared.json()
    assert mine["ETag"] == shared["ETag"]
    assert token_client(other_student).get(url, HTTP_IF_NONE_MATCH=shared["ETag"]).status_code == 304

    for own_reader in (third_student, moderator):
        theirs = token_client(own_reader).get(url)
        assert theirs.status_code == 200
        assert theirs["ETag"] != shared["ETag"]
    assert held.pk in [hit["thread"]["id"] for hit in token_client(third_student).get(url).json()["results"]]
    assert held.pk not in [hit["thread"]["id"] for hit in shared.json()["results"]]


def test_a_thread_s_answers_are_shared_by_readers_who_took_no_part_in_it(
    anonymous, question, student, other_student, third_student, django_assert_max_num_queries
):
    """Anonymous readers revalidate the answers against the thread's version;
    members who did not ask, answer, vote or report there read one body per
    version (their flags are every such member's: may vote, may not accept);
    the asker and a voter get theirs, with their own flags."""
    answer = make_answer(author=other_student, question=question)
    url = f"/api/v1/threads/{question.pk}/answers/"
    first = anonymous.get(url)
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    readers = [make_user(username=f"lecteur{n}") for n in range(2)]
    stored = token_client(readers[0]).get(url)
    reader = token_client(readers[1])
    reader.get("/api/v1/tags/")  # the token's first use is written down
    with django_assert_max_num_queries(4):  # the token, their part in the thread, the version, the thread
        shared = reader.get(url)
    assert shared.json() == stored.json()
    assert shared["ETag"] == stored["ETag"] != first["ETag"]
    (row,) = shared.json()["results"]
    assert (row["can_vote"], row["can_accept"], row["has_voted"]) == (True, False, False)
    assert (first.json()["results"][0]["can_vote"], first.json()["results"][0]["has_voted"]) == (False, False)

    cast_vote(user=third_student, answer=answer)
    voter = token_client(third_student).get(url).json()["results"][0]
    asker = token_client(student).get(url).json()["results"][0]
    other = token_client(readers[1]).get(url)
    assert (voter["has_voted"], voter["vote_count"]) == (True, 1)
    assert (asker["can_accept"], asker["has_voted"]) == (True, False)
    assert other.json()["results"][0]["has_voted"] is False
    assert other.json()["results"][0]["vote_count"] == 1


def test_a_thread_s_detail_is_shared_by_members_but_its_asker(
    anonymous, question, student, other_student, moderator, django_assert_max_num_queries
):
    """Members whose lists are anyone's read one body of a thread's detail per
    version, unless they asked it: may answer, may not edit, no moderation
    notes. The asker, a moderator and a suspended member get their own."""
    url = f"/api/v1/threads/{question.pk}/"
    first = anonymous.get(url)
    readers = [make_user(username=f"lecteur{n}") for n in range(2)]
    stored = token_client(readers[0]).get(url)
    reader = token_client(readers[1])
    reader.get(url)  # their first read this hour counts a view, and the token's first use is written down
    with django_assert_max_num_queries(3):  # the token (with their list traits), the version, the thread
        shared = reader.get(url)
    assert shared.json() == stored.json()
    assert shared["ETag"] == stored["ETag"] != first["ETag"]
    assert (shared.json()["can_answer"], shared.json()["can_edit"]) == (True, False)
    assert (first.json()["can_answer"], first.json()["can_edit"]) == (False, False)
    assert reader.get(url, HTTP_IF_NONE_MATCH=shared["ETag"]).status_code == 304

    asker = token_client(student).get(url)
    assert asker.json()["can_edit"] is True
    assert asker["ETag"] != shared["ETag"]
    assert token_client(moderator).get(url).json()["can_edit"] is True

    suspend_member(moderator=moderator, member=readers[1], days=1, clause=CharterClause.SPAM)
    suspended = token_client(readers[1]).get(url)
    assert suspended.json()["can_answer"] is False
    assert suspended["ETag"] != shared["ETag"]
