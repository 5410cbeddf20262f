"""What the HTTP cache is told of a reader's credentials (api/edge_reader.py)
and which REST responses it may give a member from the anonymous copy
(api/conditional.py, `X-Cache-Members`). Through a real Varnish:
tests/test_http_cache.py."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from api.tests.conftest import token_client
from forum import events, http_cache
from forum.permissions import MODERATORS_GROUP
from forum.services.tokens import revoke_all_tokens
from tests.factories import make_moderator, make_question, make_user

pytestmark = pytest.mark.django_db

READER = "/_edge/reader/"


@pytest.fixture
def cache_in_front(settings):
    # An address nothing listens on: what is sent there does not matter here.
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9/"]


def test_a_member_whose_lists_are_anyone_s_is_told_so_under_their_topic(cache_in_front):
    member = make_user(username="lou")
    response = token_client(member).get(READER)
    assert response.status_code == 200
    assert response[http_cache.READER_HEADER] == http_cache.READER_LISTS
    assert response[http_cache.TOPICS_HEADER] == events.user_topic(member.pk)
    assert 0 < int(response[http_cache.TTL_HEADER]) <= http_cache.READER_SECONDS
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b""


def test_a_session_is_read_as_the_rest_api_reads_it(client, cache_in_front):
    member = make_user(username="mael")
    client.force_login(member)
    response = client.get(READER)
    assert response[http_cache.READER_HEADER] == http_cache.READER_LISTS
    assert response[http_cache.TOPICS_HEADER] == events.user_topic(member.pk)


def test_a_moderator_reads_their_own_lists(cache_in_front):
    moderator = make_moderator(username="modo")
    response = token_client(moderator).get(READER)
    assert response[http_cache.READER_HEADER] == http_cache.READER_OWN
    # Kept under their topic too: a lost role is told at once as well.
    assert response[http_cache.TOPICS_HEADER] == events.user_topic(moderator.pk)


def test_credentials_that_name_no_member_are_their_own_reader(cache_in_front):
    member = make_user(username="eden")
    app = token_client(member)
    revoke_all_tokens(user=member)
    others = [APIClient(HTTP_AUTHORIZATION=header) for header in ("Bearer nope", "Bearer", "Basic eDp5")]
    for client in (app, *others, APIClient()):
        response = client.get(READER)
        assert response.status_code == 200
        assert response[http_cache.READER_HEADER] == http_cache.READER_OWN
        assert response[http_cache.TOPICS_HEADER] == http_cache.NO_MEMBER_TOPIC


def test_without_a_cache_in_front_nothing_is_kept():
    response = token_client(make_user(username="ava")).get(READER)
    assert response[http_cache.READER_HEADER] == http_cache.READER_LISTS
    assert http_cache.TOPICS_HEADER not in response


@pytest.mark.parametrize("url", ["/api/v1/threads/", "/api/v1/search/?q=rythme"])
def test_the_lists_say_which_members_get_them_too(url, cache_in_front):
    make_question(author=make_user(username="sacha"), title="Quel rythme pour un BTS MCO ?")
    member = token_client(make_user(username="romy"))
    moderator = token_client(make_moderator(username="modo"))
    anonymous = APIClient()
    for client in (anonymous, member, anonymous, member):  # computed, then stored
        response = client.get(url)
        assert response.status_code == 200
        assert response[http_cache.MEMBERS_HEADER] == http_cache.MEMBERS_SAME
    assert member.get(url).json() == anonymous.get(url).json()
    mine = moderator.get(url)
    assert http_cache.MEMBERS_HEADER not in mine
    assert http_cache.TOPICS_HEADER not in mine


def test_a_thread_s_reads_are_not_given_to_members_from_the_anonymous_copy(cache_in_front):
    question = make_question(author=make_user(username="yael"))
    for url in (f"/api/v1/threads/{question.pk}/answers/", f"/api/v1/threads/{question.pk}/"):
        for client in (APIClient(), token_client(make_user())):
            assert http_cache.MEMBERS_HEADER not in client.get(url), url


def test_a_new_moderator_is_forgotten_by_the_cache(cache_in_front, django_capture_on_commit_callbacks):
    member = make_user(username="ines")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    with django_capture_on_commit_callbacks() as callbacks:
        member.groups.add(group)
    assert callbacks, "no ban of the member's record was scheduled"
