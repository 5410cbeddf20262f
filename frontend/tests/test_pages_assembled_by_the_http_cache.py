"""The members' pages the HTTP cache assembles (frontend/page_cache.py,
frontend/views/edge.py; through a real Varnish: tests/test_http_cache.py):
the copy it keeps holds an include where each member's own parts go and
nothing of the member whose request made it; the parts are the member's,
kept under their topic, and never renew their CSRF cookie."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token

from forum import events, http_cache
from forum.models import Notification
from forum.services.answers import post_answer
from forum.services.notifications import set_thread_following
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


def test_a_form_s_csrf_field_for_the_reader_s_cookie(cache_in_front):
    response = member(make_user(username="lou")).get(http_cache.ESI_CSRF_URL)
    field = response.content.decode()
    assert field.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert _unmask_cipher_token(TOKEN.search(field).group(1)) == CSRF_SECRET
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


def record_of(client, page: str):
    return client.get(f"/_edge/page{page}")


def test_the_cache_s_record_of_a_member_and_a_thread_counts_reads_and_names_their_copy(
    cache_in_front, django_capture_on_commit_callbacks
):
    asker = make_user(username="lena")
    question = make_question(author=asker, title="Le CFA peut-il refuser mon changement d'entreprise ?")
    malik, nora = make_user(username="malik"), make_user(username="nora")
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=make_user(username="rh"), question=question, body="Non, le CFA ne peut pas refuser.")
        set_thread_following(user=malik, question=question, following=True)
    path = question.get_absolute_url()
    notified = Notification.objects.filter(recipient=malik, read_at__isnull=True)
    assert notified.exists()

    record = record_of(member(malik), path)
    assert record[http_cache.READER_HEADER] == http_cache.READER_MEMBERS
    assert record[http_cache.TOPICS_HEADER] == events.user_topic(malik.pk)
    assert 0 < int(record[http_cache.TTL_HEADER]) <= http_cache.READER_SECONDS
    assert "csrftoken" not in record.cookies
    # Opening the thread counted him and read what it was about.
    question.refresh_from_db()
    assert question.view_count == 1
    assert not notified.exists()
    # The copy it names is the one the page is stored under for him, another for her (not following).
    his = record[http_cache.VARIANT_HEADER]
    page = member(malik).get(path, **FROM_THE_CACHE, HTTP_X_EDGE_VARIANT=his)
    assert page[http_cache.ESI_HEADER] == "1"
    assert "Ne plus suivre" in page.content.decode()
    hers = record_of(member(nora), path)[http_cache.VARIANT_HEADER]
    assert hers != his
    # A variant that is not the reader's: their own page, not a copy for the cache.
    mismatched = member(nora).get(path, **FROM_THE_CACHE, HTTP_X_EDGE_VARIANT=his)
    assert http_cache.ESI_HEADER not in mismatched
    assert "<esi:" not in mismatched.content.decode()
    # Readers whose thread page is their own: the asker, a moderator, another page.
    assert record_of(member(asker), path)[http_cache.READER_HEADER] == http_cache.READER_OWN
    assert record_of(member(make_moderator(username="modo")), path)[http_cache.READER_HEADER] == http_cache.READER_OWN
    assert record_of(member(malik), f"/questions/{question.pk}/historique/")[http_cache.READER_HEADER] == (
        http_cache.READER_OWN
    )
    assert record_of(member(malik), "/nulle-part/")[http_cache.READER_HEADER] == http_cache.READER_OWN


def test_the_cache_s_record_of_a_member_and_a_tag_page_is_kept_under_the_tag(cache_in_front):
    make_question(author=make_user(username="paul"), tags=("bts",))
    record = record_of(member(make_user(username="alba")), "/tags/bts/")
    assert record[http_cache.READER_HEADER] == http_cache.READER_MEMBERS
    assert record[http_cache.TOPICS_HEADER].split(",") == [events.user_topic(record.wsgi_request.user.pk), "tag:bts"]
