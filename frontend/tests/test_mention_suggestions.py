"""The editors' @mention autocomplete endpoint (issue 12): members by username
prefix from one letter, bounded input, never a suspended or inactive member,
never an email, and one query for the list however many members match."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user

URL = "/mentions/suggestions/"


@pytest.fixture
def members(db):
    return {
        "alice": make_user(username="alice", display_name="Alice Martin"),
        "alix": make_user(username="alix", display_name=""),
        "albert": make_user(username="albert", is_active=False),
        "alma": make_user(username="alma", suspended_until=timezone.now() + timedelta(days=3)),
        "alfred": make_user(username="alfred", suspended_until=timezone.now() - timedelta(days=1)),
        "bob": make_user(username="bob", display_name="Bob"),
    }


def test_it_lists_active_members_by_username_prefix_from_one_letter(client, members):
    client.force_login(members["bob"])
    data = client.get(URL, {"q": "a"}).json()
    assert data == {
        "results": [
            # A member whose suspension ended is back; the display name falls back to the username.
            {"username": "alfred", "display_name": "Alfred"},
            {"username": "alice", "display_name": "Alice Martin"},
            {"username": "alix", "display_name": "alix"},
        ]
    }


def test_the_typed_at_sign_and_case_do_not_matter(client, members):
    client.force_login(members["bob"])
    assert [m["username"] for m in client.get(URL, {"q": "@ALI"}).json()["results"]] == ["alice", "alix"]


def test_it_never_leaks_an_email_nor_suggests_the_writer_themself(client, members):
    client.force_login(members["alice"])
    response = client.get(URL, {"q": "al"})
    assert "example.org" not in response.content.decode()
    assert [m["username"] for m in response.json()["results"]] == ["alfred", "alix"]
    assert all(set(member) == {"username", "display_name"} for member in response.json()["results"])


def test_what_cannot_be_a_mention_suggests_nobody(client, members):
    client.force_login(members["bob"])
    for query in ("", " ", "a b", "%", "al%", "a'; --"):
        assert client.get(URL, {"q": query}).json() == {"results": []}, query


def test_a_too_long_query_is_a_400_with_the_field_named(client, members):
    client.force_login(members["bob"])
    response = client.get(URL, {"q": "a" * 151})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]
    # Beyond the site-wide limit of `q`, frontend.urls refuses it first: still a 400.
    assert client.get(URL, {"q": "a" * 5000}).status_code == 400


def test_visitors_get_a_403_not_the_member_list(client, members):
    response = client.get(URL, {"q": "a"})
    assert response.status_code == 403
    assert "alice" not in response.content.decode()


def test_writes_are_refused(client, members):
    client.force_login(members["bob"])
    assert client.post(URL, {"q": "a"}).status_code == 405


def test_the_list_costs_the_same_queries_for_one_or_many_matches(client, members, django_assert_max_num_queries):
    client.force_login(members["bob"])
    with django_assert_max_num_queries(5) as one:
        assert len(client.get(URL, {"q": "alice"}).json()["results"]) == 1
    for n in range(20):
        make_user(username=f"alumni{n}")
    with django_assert_max_num_queries(len(one)):
        assert len(client.get(URL, {"q": "al"}).json()["results"]) == 8


def test_the_editors_carry_the_endpoint_for_mentions_js(client, members):
    client.force_login(members["bob"])
    html = client.get("/questions/poser/").content.decode()
    assert 'data-mention-url="/mentions/suggestions/"' in html
    assert "frontend/mentions" in html
