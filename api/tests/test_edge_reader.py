"""What the HTTP cache is told of a reader's credentials and of a thread's
reader (api/edge_reader.py), and which REST responses it may give a member
from a shared copy (api/conditional.py, `X-Cache-Members`). Through a real Varnish:
tests/test_http_cache.py."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from api.tests.conftest import token_client
from forum import events, http_cache
from forum.models import Question, Visibility
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
    # The answers: a copy for anonymous readers, one for the members who
    # took no part in the thread (the cache asks which is whose: edge_answers).
    url = f"/api/v1/threads/{question.pk}/answers/"
    assert http_cache.MEMBERS_HEADER not in APIClient().get(url)
    assert token_client(make_user()).get(url)[http_cache.MEMBERS_HEADER] == http_cache.MEMBERS_SAME
    # The detail: a copy for anonymous readers, and one that every member
    # whose lists are anyone's shares (the cache asks which is whose).
    detail = f"/api/v1/threads/{question.pk}/"
    anonymous = APIClient().get(detail)
    assert anonymous[http_cache.TOPICS_HEADER] == events.thread_topic(question.pk)
    assert http_cache.MEMBERS_HEADER not in anonymous
    for _ in range(2):  # serialised, then from the application's cache
        member = token_client(make_user()).get(detail)
        assert member[http_cache.MEMBERS_HEADER] == http_cache.MEMBERS_SAME
        assert member[http_cache.TOPICS_HEADER] == events.thread_topic(question.pk)
    for own in (token_client(question.author), token_client(make_moderator(username="modo"))):
        response = own.get(detail)
        assert http_cache.MEMBERS_HEADER not in response
        assert http_cache.TOPICS_HEADER not in response


def view_record(client, question, **headers):
    return client.get(f"/_edge/view/{question.pk}/", **headers)


def views_of(question) -> int:
    question.refresh_from_db()
    return question.view_count


def test_the_cache_s_question_about_a_thread_s_reader_counts_them_once(cache_in_front):
    question = make_question(author=make_user(username="maya"))
    for _ in range(2):
        response = view_record(APIClient(), question, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
        assert response[http_cache.READER_HEADER] == http_cache.READER_OWN
        assert response[http_cache.TOPICS_HEADER] == http_cache.NO_MEMBER_TOPIC
        assert response["Cache-Control"] == "private, no-store"
    assert views_of(question) == 1
    view_record(APIClient(), question, REMOTE_ADDR="203.0.113.9")
    assert views_of(question) == 2

    member = make_user(username="eden")
    response = view_record(token_client(member), question)
    assert response[http_cache.READER_HEADER] == http_cache.READER_MEMBERS
    assert response[http_cache.TOPICS_HEADER] == events.user_topic(member.pk)
    # The detail itself, read by the same member, is not a second view.
    assert token_client(member).get(f"/api/v1/threads/{question.pk}/").json()["view_count"] == 3
    assert views_of(question) == 3


def test_the_asker_moderators_and_hidden_threads_are_read_through(cache_in_front):
    question = make_question(author=make_user(username="aya"))
    for user in (question.author, make_moderator(username="modo")):
        response = view_record(token_client(user), question)
        assert response[http_cache.READER_HEADER] == http_cache.READER_OWN
        assert response[http_cache.TOPICS_HEADER] == events.user_topic(user.pk)
    views = views_of(question)

    hidden = make_question(author=make_user(username="enzo"))
    Question.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    for client in (APIClient(), token_client(make_user(username="tom"))):
        assert view_record(client, hidden)[http_cache.READER_HEADER] == http_cache.READER_OWN
    assert views_of(hidden) == 0
    # Credentials that name nobody: the API answers them (its 401).
    bad = view_record(APIClient(), question, HTTP_AUTHORIZATION="Bearer nope")
    assert bad[http_cache.READER_HEADER] == http_cache.READER_OWN
    assert bad[http_cache.TOPICS_HEADER] == http_cache.NO_MEMBER_TOPIC
    assert views_of(question) == views


def test_a_new_moderator_is_forgotten_by_the_cache(cache_in_front, django_capture_on_commit_callbacks):
    member = make_user(username="ines")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    with django_capture_on_commit_callbacks() as callbacks:
        member.groups.add(group)
    assert callbacks, "no ban of the member's record was scheduled"


@pytest.mark.parametrize("who", ["moderator", "asker"])
def test_a_member_s_own_read_is_not_offered_to_the_cache_and_logs_nothing(who, cache_in_front, caplog):
    question = make_question(author=make_user(username="sohan"))
    reader = make_moderator(username="modo") if who == "moderator" else question.author
    client = token_client(reader)
    # The asker's lists are anyone's (their question is published): the detail is theirs.
    urls = [f"/api/v1/threads/{question.pk}/"]
    if who == "moderator":
        urls += ["/api/v1/threads/", "/api/v1/search/?q=alternance"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert http_cache.TOPICS_HEADER not in response, url
    assert [record.getMessage() for record in caplog.records if record.levelname == "WARNING"] == []


def test_the_cache_s_question_about_a_member_and_a_thread_s_answers(cache_in_front):
    asker, reader = make_user(username="sarah"), make_user(username="noah")
    question = make_question(author=asker)
    url = f"/_edge/answers/{question.pk}/"
    shares = token_client(reader).get(url)
    assert shares[http_cache.READER_HEADER] == http_cache.READER_MEMBERS
    assert shares[http_cache.TOPICS_HEADER] == events.user_topic(reader.pk)
    # The asker, a moderator, credentials naming nobody: their own answers.
    for client in (token_client(asker), token_client(make_moderator(username="modo")), APIClient()):
        assert client.get(url)[http_cache.READER_HEADER] == http_cache.READER_OWN
    # The asker's answers are not the members' copy.
    assert http_cache.MEMBERS_HEADER not in token_client(asker).get(f"/api/v1/threads/{question.pk}/answers/")
