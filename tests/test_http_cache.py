"""The HTTP cache (deploy/varnish/, forum/http_cache.py) in front of a real
granian process, as the compose stack runs it: anonymous shared pages are
answered by the cache until a change bans them, and nothing a reader should
not see (a stale page after a new answer or a moderation decision, another
reader's page, the wrong language) ever comes out of it.

Changes are made through the services in this process, with the same
HTTP_CACHE_BAN_URLS as the server: the bans go from wherever the write
commits, as they do from any web process in production."""

import re

import httpx
import pytest

from forum import http_cache
from forum.services.answers import post_answer
from forum.services.moderation import hide_post
from forum.services.profiles import update_profile
from tests.factories import make_moderator, make_question, make_user
from tests.support.browser import session_cookie
from tests.support.http_cache import settle, web_behind_cache

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def cache(start_server_process, tmp_path, settings):
    varnish = web_behind_cache(start_server_process, tmp_path / "varnish", settings)
    with httpx.Client(base_url=varnish.url, headers={"Host": "localhost"}, timeout=10) as client:
        yield client
    varnish.stop()


def same_csrf_cookie(response: httpx.Response, secret: str) -> bool:
    """Django may send the reader's CSRF cookie again (a later expiry), never another."""
    sent = re.search(r"csrftoken=([^;]*)", response.headers.get("Set-Cookie", ""))
    return sent is None or sent.group(1) == secret


def get(client: httpx.Client, path: str, **kwargs) -> httpx.Response:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    return response


def test_an_anonymous_page_is_answered_by_the_cache_until_a_new_answer_bans_it(cache):
    author = make_user(username="camille")
    question = make_question(author=author, title="Quel rythme choisir pour un BTS en alternance ?")
    url = question.get_absolute_url()

    settle()
    first = get(cache, url)
    second = get(cache, url)
    assert first.headers["X-Cache"] == "miss"
    assert second.headers["X-Cache"] == "hit"
    assert second.text == first.text
    # What only the cache and the application exchange stays between them.
    assert "X-Cache-Topics" not in second.headers
    assert "X-Cache-TTL" not in second.headers
    assert second.headers["Cache-Control"] == "private, no-cache"
    # Stored compressed; given as asked.
    assert second.headers["Content-Encoding"] == "gzip"
    plain = cache.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.headers["X-Cache"] == "hit"
    assert "Content-Encoding" not in plain.headers
    assert plain.text == first.text

    answerer = make_user(username="rh-banque")
    settle()
    post_answer(author=answerer, question=question, body="Trois semaines en entreprise, une à l'école.")

    fresh = get(cache, url)
    assert fresh.headers["X-Cache"] == "miss"
    assert "Trois semaines en entreprise" in fresh.text
    assert get(cache, url).headers["X-Cache"] == "hit"


def test_a_hidden_answer_leaves_every_cached_page_that_showed_it(cache):
    author = make_user(username="ines")
    question = make_question(author=author, title="Mon patron peut-il refuser mes jours de CFA ?", tags=("contrat",))
    answer = post_answer(author=make_user(username="yanis"), question=question, body="Réponse insultante à retirer.")
    pages = [question.get_absolute_url(), "/", "/tags/contrat/", "/recherche/?q=patron"]
    settle()
    for path in pages:
        get(cache, path)
        assert get(cache, path).headers["X-Cache"] == "hit", path
    assert "Réponse insultante" in get(cache, question.get_absolute_url()).text

    hide_post(moderator=make_moderator(), post=answer, clause="respect", note="Propos insultants.")

    thread = get(cache, question.get_absolute_url())
    assert thread.headers["X-Cache"] == "miss"
    assert "Réponse insultante" not in thread.text
    # The search page may show any thread: every event bans it.
    assert get(cache, "/recherche/?q=patron").headers["X-Cache"] == "miss"


def test_a_change_no_topic_announces_bans_everything(cache):
    author = make_user(username="lea", display_name="Léa")
    question = make_question(author=author)
    url = question.get_absolute_url()
    settle()
    get(cache, url)
    assert get(cache, url).headers["X-Cache"] == "hit"

    # A name shows on every page: the page generation moves, and with it the cache.
    update_profile(user=author, display_name="Léa M.", bio="")

    page = get(cache, url)
    assert page.headers["X-Cache"] == "miss"
    assert "Léa M." in page.text


def test_a_member_always_gets_their_own_page(cache):
    member = make_user(username="noah")
    question = make_question(author=make_user(username="sarah"))
    url = question.get_absolute_url()
    settle()
    get(cache, url)
    assert get(cache, url).headers["X-Cache"] == "hit"

    cookie = session_cookie(member, "http://localhost/")
    # With the two cookies an anonymous page may be asked with beside the
    # session: the member stays signed in, in their language, with their CSRF cookie.
    header = f"django_language=en; {cookie['name']}={cookie['value']}; csrftoken={'c' * 32}"
    for _ in range(2):
        page = get(cache, url, headers={"Cookie": header})
        assert page.headers["X-Cache"] == "miss"
        assert "noah" in page.text
        assert re.search(r'<html[^>]* lang="en"', page.text)
        assert same_csrf_cookie(page, "c" * 32)
    # Their visit left the shared copy as it was.
    anonymous = get(cache, url)
    assert anonymous.headers["X-Cache"] == "hit"
    assert "noah" not in anonymous.text


def test_each_language_has_its_own_copy(cache):
    make_question(author=make_user(username="jade"))
    settle()
    french = get(cache, "/")
    english = get(cache, "/", cookies={"django_language": "en"})
    assert french.headers["X-Cache"] == "miss"
    assert english.headers["X-Cache"] == "miss"
    assert re.search(r'<html[^>]* lang="fr"', french.text)
    assert re.search(r'<html[^>]* lang="en"', english.text)

    again = get(cache, "/", cookies={"django_language": "en", "csrftoken": "x" * 32})
    assert again.headers["X-Cache"] == "hit"
    assert again.text == english.text
    assert get(cache, "/").text == french.text


def test_an_anonymous_reader_keeps_their_csrf_cookie_on_pages_that_are_not_shared(cache):
    # Their other tab's form was signed with it: a new one would break it.
    settle()
    for _ in range(2):
        login = get(cache, "/comptes/login/", headers={"Cookie": f"csrftoken={'d' * 32}"})
        assert login.headers["X-Cache"] == "miss"
        assert same_csrf_cookie(login, "d" * 32)


def test_the_cache_answers_revalidations_itself(cache):
    question = make_question(author=make_user(username="adam"))
    url = question.get_absolute_url()
    settle()
    etag = get(cache, url).headers["ETag"]
    revalidated = cache.get(url, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert revalidated.headers["X-Cache"] == "hit"


def test_nobody_bans_through_the_public_listener(cache):
    question = make_question(author=make_user(username="zoe"))
    url = question.get_absolute_url()
    settle()
    get(cache, url)
    assert get(cache, url).headers["X-Cache"] == "hit"
    refused = cache.request("BAN", "/", headers={http_cache.BAN_HEADER: http_cache.BAN_EVERYTHING})
    assert refused.status_code == 405
    assert get(cache, url).headers["X-Cache"] == "hit"


def test_the_rest_thread_list_is_shared_with_anonymous_apps_until_it_changes(cache):
    make_question(author=make_user(username="lucas"), title="Combien gagne un apprenti de 19 ans ?")
    settle()
    first = get(cache, "/api/v1/threads/", headers={"Accept": "application/json"})
    assert first.headers["X-Cache"] == "miss"
    assert get(cache, "/api/v1/threads/", headers={"Accept": "application/json"}).headers["X-Cache"] == "hit"
    # An app signed in with its token reads its own list.
    assert cache.get("/api/v1/threads/", headers={"Authorization": "Bearer nope"}).headers["X-Cache"] == "miss"

    make_question(author=make_user(username="manon"), title="Peut-on changer de CFA en cours de contrat ?")

    fresh = get(cache, "/api/v1/threads/", headers={"Accept": "application/json"})
    assert fresh.headers["X-Cache"] == "miss"
    assert fresh.json()["results"][0]["title"] == "Peut-on changer de CFA en cours de contrat ?"


def test_a_thread_s_rest_answers_are_shared_with_anonymous_apps_until_the_thread_changes(cache):
    question = make_question(author=make_user(username="ines"), title="Le salaire d’un apprenti en BTS ?")
    kept = post_answer(
        author=make_user(username="rh-banque"), question=question, body="Il dépend de l’âge et de l’année."
    )
    settle()
    url = f"/api/v1/threads/{question.pk}/answers/"
    json = {"Accept": "application/json"}
    assert get(cache, url, headers=json).headers["X-Cache"] == "miss"
    assert get(cache, url, headers=json).headers["X-Cache"] == "hit"
    # An app signed in with its token reads through to the application.
    assert cache.get(url, headers={**json, "Authorization": "Bearer nope"}).headers["X-Cache"] == "miss"

    hide_post(moderator=make_moderator(), post=kept, clause="respect", note="Hors charte.")

    after = get(cache, url, headers=json)
    assert after.headers["X-Cache"] == "miss"
    assert after.json()["results"] == []


def test_rest_search_results_are_shared_until_anything_changes(cache):
    make_question(author=make_user(username="ilyes"), title="Quelle aide au permis pour un apprenti ?")
    answerer = make_user(username="conseillere")
    settle()
    url = "/api/v1/search/?q=permis"
    assert get(cache, url).headers["X-Cache"] == "miss"
    assert get(cache, url).headers["X-Cache"] == "hit"

    make_question(author=answerer, title="Le CFA peut-il imposer des cours le samedi ?", tags=("cfa",))
    # Results may show any thread: an event anywhere bans them.
    assert get(cache, url).headers["X-Cache"] == "miss"


def test_a_reader_the_cache_answered_is_still_counted(cache):
    question = make_question(author=make_user(username="emma"))
    url = question.get_absolute_url()
    settle()
    get(cache, url)
    page = get(cache, url, headers={"X-Forwarded-For": "198.51.100.7"})
    assert page.headers["X-Cache"] == "hit"
    view_url = re.search(r'data-view-url="([^"]+)"', page.text).group(1)
    question.refresh_from_db()
    before = question.view_count

    # What live.js sends once the page is shown (navigator.sendBeacon).
    for _ in range(2):
        assert cache.post(view_url, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 204
    question.refresh_from_db()
    assert question.view_count == before + 1


def test_browsers_that_ask_for_the_same_language_share_one_copy(cache):
    make_question(author=make_user(username="hugo"))
    settle()
    french = get(cache, "/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"})
    assert french.headers["X-Cache"] == "miss"
    for spelling in ("fr", "fr-CA,fr;q=0.9", "de-DE,de;q=0.9,fr;q=0.8,en;q=0.5"):
        assert get(cache, "/", headers={"Accept-Language": spelling}).headers["X-Cache"] == "hit", spelling
    english = get(cache, "/", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert english.headers["X-Cache"] == "miss"
    assert re.search(r'<html[^>]* lang="en"', english.text)
    assert get(cache, "/", headers={"Accept-Language": "EN-us"}).headers["X-Cache"] == "hit"
    # No language of the site: its default, French.
    assert get(cache, "/", headers={"Accept-Language": "de"}).headers["X-Cache"] == "hit"
