"""The members' pages the HTTP cache assembles (frontend/page_cache.py,
frontend/views/edge.py; through a real Varnish: tests/test_http_cache.py):
the copy it keeps holds an include where each member's own parts go and
nothing of the member whose request made it; the parts are the member's,
kept under their topic, and never renew their CSRF cookie."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token

from forum import events, http_cache
from forum.services.answers import post_answer
from tests.factories import make_moderator, make_question, make_user
from tests.support.member_pages import TOKEN, signed_in

pytestmark = pytest.mark.django_db

CSRF_SECRET = "s" * 32
FROM_THE_CACHE = {"HTTP_X_EDGE_ESI": "1"}


@pytest.fixture
def cache_in_front(settings):
    # An address nothing listens on: what is sent there does not matter here.
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9/"]


def member(user):
    client = signed_in(user)
    client.cookies["csrftoken"] = CSRF_SECRET
    return client


@pytest.mark.parametrize("url", ["/", "/questions/sans-reponse/", "/recherche/?q=contrat"])
def test_the_copy_the_cache_keeps_has_includes_and_nothing_of_its_reader(url, cache_in_front):
    make_question(author=make_user(username="paul"), title="Quel contrat pour un BTS en alternance ?")
    reader = member(make_user(username="romane"))
    for _ in range(2):  # rendered, then from the application's cache
        response = reader.get(url, **FROM_THE_CACHE)
        page = response.content.decode()
        assert response.status_code == 200
        assert f'<esi:include src="{http_cache.ESI_MENU_URL}"/>' in page
        assert "romane" not in page.lower()
        assert TOKEN.search(page) is None
        assert response[http_cache.ESI_HEADER] == "1"
        assert response[http_cache.MEMBERS_HEADER] == http_cache.MEMBERS_SAME
        assert http_cache.TOPICS_HEADER in response
        assert "csrftoken" not in response.cookies


def test_the_copy_is_only_made_for_the_cache_in_front_and_for_members_who_share(cache_in_front, settings):
    make_question(author=make_user(username="paul"))
    moderator = signed_in(make_moderator(username="modo"))
    moderator.cookies["csrftoken"] = CSRF_SECRET
    assert "<esi:" not in moderator.get("/", **FROM_THE_CACHE).content.decode()
    # Without a CSRF cookie the page must set one: the reader's own.
    cookieless = signed_in(make_user(username="nour"))
    response = cookieless.get("/", **FROM_THE_CACHE)
    assert "<esi:" not in response.content.decode()
    assert "csrftoken" in response.cookies
    settings.HTTP_CACHE_BAN_URLS = []
    assert "<esi:" not in member(make_user(username="zoe")).get("/", **FROM_THE_CACHE).content.decode()


def test_a_member_s_menu_is_theirs_with_a_token_for_their_cookie(cache_in_front):
    camille = make_user(username="camille")
    response = member(camille).get(http_cache.ESI_MENU_URL)
    menu = response.content.decode()
    assert "@camille" in menu
    assert _unmask_cipher_token(TOKEN.search(menu).group(1)) == CSRF_SECRET
    assert response[http_cache.TOPICS_HEADER] == events.user_topic(camille.pk)
    assert 0 < int(response[http_cache.TTL_HEADER]) <= http_cache.READER_SECONDS
    assert "csrftoken" not in response.cookies
    assert response["Cache-Control"] == "private, no-store"


def test_the_menu_counts_unread_notifications(cache_in_front, django_capture_on_commit_callbacks):
    ines = make_user(username="ines")
    question = make_question(author=ines)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=make_user(username="rh"), question=question, body="Oui, avec l’accord du CFA.")
    menu = member(ines).get(http_cache.ESI_MENU_URL).content.decode()
    assert re.search(r"data-notification-count [^>]*>1<", menu)


def test_a_token_for_the_reader_s_csrf_cookie(cache_in_front):
    response = member(make_user(username="lou")).get(http_cache.ESI_CSRF_URL)
    assert _unmask_cipher_token(response.content.decode()) == CSRF_SECRET
    assert response[http_cache.TOPICS_HEADER] == http_cache.NO_MEMBER_TOPIC
    assert "csrftoken" not in response.cookies


def test_no_part_for_a_reader_the_pages_do_not_fit(cache_in_front, client):
    moderator = signed_in(make_moderator(username="modo"))
    moderator.cookies["csrftoken"] = CSRF_SECRET
    without_cookie = signed_in(make_user(username="tom"))
    for reader in (moderator, without_cookie, client):
        response = reader.get(http_cache.ESI_MENU_URL)
        assert response.content == b""
        assert http_cache.TOPICS_HEADER not in response
    assert without_cookie.get(http_cache.ESI_CSRF_URL).content == b""
