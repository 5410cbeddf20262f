"""The HTTP cache (deploy/varnish/, forum/http_cache.py) in front of a real
granian process, as the compose stack runs it: anonymous shared pages are
answered by the cache until a change bans them, and nothing a reader should
not see (a stale page after a new answer or a moderation decision, another
reader's page, the wrong language) ever comes out of it.

Changes are made through the services in this process, with the same
HTTP_CACHE_BAN_URLS as the server: the bans go from wherever the write
commits, as they do from any web process in production."""

import re
import time

import httpx
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from forum import http_cache
from forum.models import Notification, Visibility
from forum.permissions import MODERATORS_GROUP
from forum.services.answers import post_answer
from forum.services.moderation import hide_post
from forum.services.notifications import follow_tag, set_thread_following
from forum.services.profiles import update_profile
from forum.services.tokens import issue_token, revoke_token
from forum.services.votes import toggle_vote
from tests.factories import make_moderator, make_question, make_user
from tests.support.browser import session_cookie
from tests.support.http_cache import settle, shared_web_behind_cache, use_cache, web_behind_cache

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(scope="module")
def web_and_cache(django_db_setup, django_db_blocker, tmp_path_factory):
    # One server and one cache for the module: the database they read is
    # the test database, set up by then. The server keeps the content types'
    # ids it first reads; each test empties the database and makes them again
    # from reset sequences (`cache`), i.e. with ids from 1. An earlier module
    # of this worker may have left them higher (a test's flush keeps the
    # sequences going): they start from 1 here too, before the server reads them.
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, reset_sequences=True, verbosity=0)
    with shared_web_behind_cache(tmp_path_factory.mktemp("http-cache")) as varnish:
        yield varnish


@pytest.fixture
def cache(web_and_cache, django_db_reset_sequences, settings):
    # Sequences reset: the database is emptied after each test and its content
    # types made again, under the ids the server read them with (Django keeps
    # them per process).
    use_cache(web_and_cache, settings)
    with httpx.Client(base_url=web_and_cache.url, headers={"Host": "localhost"}, timeout=10) as client:
        client.web = web_and_cache.web  # the application behind it
        yield client


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


def test_a_member_never_gets_the_anonymous_copy(cache):
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
    # The members' copy (made by the first), with his own menu written in.
    for seen in ("miss", "hit"):
        page = get(cache, url, headers={"Cookie": header})
        assert page.headers["X-Cache"] == seen
        assert "@noah" in page.text
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


def test_rest_search_results_are_shared_until_something_is_taken_from_them(cache):
    permis = make_question(author=make_user(username="ilyes"), title="Quelle aide au permis pour un apprenti ?")
    make_question(author=make_user(), title="Le CFA fixe-t-il les samedis ?", tags=("cfa",))
    # Members and tags are saved without an event: a new one empties every page (a new generation).
    answerer, voter = make_user(username="conseillere"), make_user(username="votante")
    moderator = make_moderator()
    settle()
    url = "/api/v1/search/?q=permis"
    assert get(cache, url).headers["X-Cache"] == "miss"
    assert get(cache, url).headers["X-Cache"] == "hit"

    # Results may show any thread. What only adds to them (a new question, an
    # answer, a vote) leaves them: they show it within HTTP_CACHE_SECONDS.
    make_question(author=answerer, title="Le permis est-il payé par le CFA ?", tags=("cfa",))
    answer = post_answer(author=answerer, question=permis, body="Oui : 500 euros d'aide au permis, demande-la au CFA.")
    toggle_vote(user=voter, answer=answer)
    settle()
    stale = get(cache, url)
    assert stale.headers["X-Cache"] == "hit"
    assert [hit["thread"]["id"] for hit in stale.json()["results"]] == [permis.pk]

    # What takes from them (a post hidden, edited or withdrawn) empties them at once.
    hide_post(moderator=moderator, post=permis, clause="respect", note="Hors charte.")
    fresh = get(cache, url)
    assert fresh.headers["X-Cache"] == "miss"
    found = [hit["thread"]["id"] for hit in fresh.json()["results"]]
    assert permis.pk not in found
    assert len(found) == 1


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


def test_a_member_whose_lists_are_anyone_s_reads_the_rest_lists_from_the_cache(cache):
    make_question(author=make_user(username="nina"), title="Qui paie la carte d’étudiant des métiers ?")
    member = make_user(username="theo")
    _, secret = issue_token(user=member, device_name="Pixel de Théo")
    app = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    cookie = session_cookie(member, "http://localhost/")
    browser = {"Accept": "application/json", "Cookie": f"csrftoken={'c' * 32}; {cookie['name']}={cookie['value']}"}
    _, moderator_secret = issue_token(user=make_moderator(username="moderatrice"), device_name="Poste")
    moderator = {"Accept": "application/json", "Authorization": f"Bearer {moderator_secret}"}
    settle()
    for url in ("/api/v1/threads/", "/api/v1/search/?q=carte"):
        # The member comes first: what they were given is every such member's, and anyone's.
        first = get(cache, url, headers=app)
        assert first.headers["X-Cache"] == "miss", url
        assert get(cache, url, headers=app).headers["X-Cache"] == "hit", url
        by_session = get(cache, url, headers=browser)
        assert by_session.headers["X-Cache"] == "hit", url
        anonymous = get(cache, url, headers={"Accept": "application/json"})
        assert anonymous.headers["X-Cache"] == "hit", url
        assert anonymous.json() == first.json() == by_session.json()
        assert anonymous.headers["ETag"] == first.headers["ETag"]
        # What the cache and the application exchange stays between them.
        for header in ("X-Cache-Members", "X-Edge-Reader", "X-Cache-Topics"):
            assert header not in first.headers
        # Revalidated by the cache itself, with the ETag every such member shares.
        again = cache.get(url, headers={**app, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304

    # A moderator's list is their own: it reaches the application, and
    # leaves the shared copy as it was.
    for _ in range(2):
        assert get(cache, "/api/v1/threads/", headers=moderator).headers["X-Cache"] == "miss"
    assert get(cache, "/api/v1/threads/", headers={"Accept": "application/json"}).headers["X-Cache"] == "hit"


def test_a_member_s_own_held_question_brings_them_their_own_list_at_once(cache):
    make_question(author=make_user(username="adam"), title="Combien de jours de congés en apprentissage ?")
    newcomer = make_user(username="lina", date_joined=timezone.now())
    _, secret = issue_token(user=newcomer, device_name="iPhone de Lina")
    app = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    settle()
    get(cache, "/api/v1/threads/", headers=app)
    assert get(cache, "/api/v1/threads/", headers=app).headers["X-Cache"] == "hit"

    held = make_question(author=newcomer, title="Mon employeur peut-il me demander de venir le samedi ?")
    assert held.visibility != Visibility.PUBLISHED
    # Anyone's list is kept again (the new question banned it) before she reads hers.
    anonymous = get(cache, "/api/v1/threads/", headers={"Accept": "application/json"})
    assert held.pk not in [thread["id"] for thread in anonymous.json()["results"]]
    assert get(cache, "/api/v1/threads/", headers={"Accept": "application/json"}).headers["X-Cache"] == "hit"

    for _ in range(2):
        own = get(cache, "/api/v1/threads/", headers=app)
        assert own.headers["X-Cache"] == "miss"
        assert held.pk in [thread["id"] for thread in own.json()["results"]]
    # Her own list was not kept for anyone else.
    anonymous = get(cache, "/api/v1/threads/", headers={"Accept": "application/json"})
    assert held.pk not in [thread["id"] for thread in anonymous.json()["results"]]


def test_a_new_moderator_reads_their_own_lists_at_once(cache):
    make_question(author=make_user(username="ilan"), title="Peut-on faire un BUT en alternance dès la 1re année ?")
    member = make_user(username="clara")
    _, secret = issue_token(user=member, device_name="Pixel de Clara")
    app = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    settle()
    get(cache, "/api/v1/threads/", headers=app)
    assert get(cache, "/api/v1/threads/", headers=app).headers["X-Cache"] == "hit"

    member.groups.add(group)

    assert get(cache, "/api/v1/threads/", headers=app).headers["X-Cache"] == "miss"
    assert get(cache, "/api/v1/threads/", headers={"Accept": "application/json"}).headers["X-Cache"] == "hit"


def test_a_revoked_token_is_refused_at_once_even_where_the_cache_answered_it(cache):
    make_question(author=make_user(username="rayan"))
    member = make_user(username="zoe")
    token, secret = issue_token(user=member, device_name="Tablette")
    app = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    settle()
    get(cache, "/api/v1/threads/", headers=app)
    assert get(cache, "/api/v1/threads/", headers=app).headers["X-Cache"] == "hit"

    revoke_token(user=member, token_id=token.pk)

    assert cache.get("/api/v1/threads/", headers=app).status_code == 401
    # Nor is a token that never was.
    assert cache.get("/api/v1/threads/", headers={**app, "Authorization": "Bearer nope"}).status_code == 401


def test_what_the_cache_asks_of_a_member_s_credentials_is_not_a_public_address(cache):
    member = make_user(username="jules")
    _, secret = issue_token(user=member, device_name="Pixel")
    response = cache.get("/_edge/reader/", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 404
    assert "X-Edge-Reader" not in response.headers
    # Nor can a client pretend the cache already asked.
    forged = cache.get("/api/v1/threads/", headers={"Authorization": "Bearer nope", "X-Edge-Reader": "lists"})
    assert forged.status_code == 401


def test_a_thread_s_rest_detail_comes_from_the_cache_and_still_counts_each_reader_once(cache):
    asker = make_user(username="sarah")
    question = make_question(author=asker, title="Mon CFA peut-il m’exclure en cours d’année ?")
    url = f"/api/v1/threads/{question.pk}/"
    json = {"Accept": "application/json"}

    def views() -> int:
        question.refresh_from_db()
        return question.view_count

    def app(user) -> dict:
        return {**json, "Authorization": f"Bearer {issue_token(user=user, device_name='Pixel')[1]}"}

    first_member, second_member = app(make_user(username="noah")), app(make_user(username="jade"))
    cookie = session_cookie(make_user(username="lou"), "http://localhost/")
    by_session = {**json, "Cookie": f"csrftoken={'c' * 32}; {cookie['name']}={cookie['value']}"}
    settle()

    # Anonymous readers share one copy; each address is counted once.
    here, there = {**json, "X-Forwarded-For": "198.51.100.7"}, {**json, "X-Forwarded-For": "203.0.113.9"}
    anonymous = get(cache, url, headers=here)
    assert anonymous.headers["X-Cache"] == "miss"
    assert get(cache, url, headers=here).headers["X-Cache"] == "hit"
    assert views() == 1
    assert get(cache, url, headers=there).headers["X-Cache"] == "hit"
    assert views() == 2
    assert anonymous.json()["can_answer"] is False

    # Members whose lists are anyone's share the members' copy (they may
    # answer), by token or session; each is counted once too.
    member = get(cache, url, headers=first_member)
    assert member.headers["X-Cache"] == "miss"
    assert member.json()["can_answer"] is True
    assert member.json()["can_edit"] is False
    assert get(cache, url, headers=first_member).headers["X-Cache"] == "hit"
    for reader in (second_member, by_session):
        again = get(cache, url, headers=reader)
        assert again.headers["X-Cache"] == "hit"
        assert again.json() == member.json()
    assert views() == 5
    for header in ("X-Cache-Members", "X-Edge-Reader", "X-Cache-Topics"):
        assert header not in member.headers
    assert cache.get(url, headers={**second_member, "If-None-Match": member.headers["ETag"]}).status_code == 304

    # The asker's detail and a moderator's are their own.
    own = get(cache, url, headers=app(asker))
    assert own.headers["X-Cache"] == "miss"
    assert own.json()["can_edit"] is True
    assert get(cache, url, headers=app(asker)).headers["X-Cache"] == "miss"
    moderator = app(make_moderator(username="modo"))
    for _ in range(2):
        assert get(cache, url, headers=moderator).headers["X-Cache"] == "miss"
    assert views() == 7

    # A new answer bans both copies; a hidden thread is gone from both.
    post_answer(
        author=make_user(username="rh-cfa"), question=question, body="Seulement après un conseil de discipline."
    )
    fresh = get(cache, url, headers=here)
    assert fresh.headers["X-Cache"] == "miss"
    assert fresh.json()["answer_count"] == 1
    assert get(cache, url, headers=first_member).headers["X-Cache"] == "miss"

    hide_post(moderator=make_moderator(username="modo2"), post=question, clause="respect", note="Hors charte.")

    for reader in (here, first_member, by_session):
        assert cache.get(url, headers=reader).status_code == 404
    assert views() == 7


def test_a_thread_s_rest_answers_come_from_the_cache_for_members_who_took_no_part(cache):
    question = make_question(author=make_user(username="sarah"), title="Mon tuteur peut-il lire mes notes de CFA ?")
    answer = post_answer(author=make_user(username="rh-cfa"), question=question, body="Non, sauf si vous les partagez.")
    url = f"/api/v1/threads/{question.pk}/answers/"

    def app(user) -> dict:
        token = issue_token(user=user, device_name="Pixel")[1]
        return {"Accept": "application/json", "Authorization": f"Bearer {token}"}

    noah, jade = make_user(username="noah"), make_user(username="jade")
    settle()
    first = get(cache, url, headers=app(noah))
    assert first.headers["X-Cache"] == "miss"
    assert get(cache, url, headers=app(noah)).headers["X-Cache"] == "hit"
    hers = get(cache, url, headers=app(jade))
    assert hers.headers["X-Cache"] == "hit"
    assert hers.json() == first.json()
    assert first.json()["results"][0]["has_voted"] is False
    for header in ("X-Cache-Members", "X-Edge-Reader", "X-Cache-Topics"):
        assert header not in first.headers

    # She votes: her answers show her vote at once, and are hers alone from then on.
    toggle_vote(user=jade, answer=answer)
    for _ in range(2):
        own = get(cache, url, headers=app(jade))
        assert own.headers["X-Cache"] == "miss"
        assert own.json()["results"][0]["has_voted"] is True
    fresh = get(cache, url, headers=app(noah))
    assert fresh.json()["results"][0]["has_voted"] is False
    assert fresh.json()["results"][0]["vote_count"] == 1
    assert cache.get(f"/_edge/answers/{question.pk}/", headers=app(noah)).status_code == 404


def test_a_thread_s_rest_detail_refuses_a_bad_token_where_the_cache_answered_members(cache):
    question = make_question(author=make_user(username="ayoub"))
    member = make_user(username="ines")
    token, secret = issue_token(user=member, device_name="Tablette")
    url = f"/api/v1/threads/{question.pk}/"
    app = {"Accept": "application/json", "Authorization": f"Bearer {secret}"}
    settle()
    get(cache, url, headers=app)
    assert get(cache, url, headers=app).headers["X-Cache"] == "hit"

    revoke_token(user=member, token_id=token.pk)

    assert cache.get(url, headers=app).status_code == 401
    assert cache.get(url, headers={**app, "Authorization": "Bearer nope"}).status_code == 401
    assert cache.get(f"/_edge/view/{question.pk}/", headers=app).status_code == 404


def member_cookies(user, *, csrf: str = "c" * 32, language: str = "") -> dict:
    cookie = session_cookie(user, "http://localhost/")
    parts = [f"{cookie['name']}={cookie['value']}", f"csrftoken={csrf}"] + (
        [f"django_language={language}"] if language else []
    )
    return {"Cookie": "; ".join(parts)}


def logout_token(page: httpx.Response) -> str:
    form = re.search(r'<form method="post" action="/comptes/logout/">(.*?)</form>', page.text, re.S)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)


def test_a_members_page_is_assembled_by_the_cache_with_each_member_s_own_menu(cache):
    asker = make_user(username="lena", display_name="Léna")
    question = make_question(author=asker, title="Peut-on poser ses congés pendant les semaines de CFA ?")
    other = make_user(username="malik", display_name="Malik")
    lena, malik = member_cookies(asker), member_cookies(other, csrf="d" * 32, language="en")
    settle()

    first = get(cache, "/", headers=lena)
    assert first.headers["X-Cache"] == "miss"
    again = get(cache, "/", headers=lena)
    assert again.headers["X-Cache"] == "hit"
    for page in (first, again):
        assert "<esi:" not in page.text
        assert "Menu of Léna" in page.text or "Menu de Léna" in page.text
        assert question.title in page.text
        for header in ("X-Cache-Members", "X-Edge-Reader", "X-Edge-Esi", "X-Cache-Topics"):
            assert header not in page.headers
        assert "Set-Cookie" not in page.headers
    # Another member: the same copy, their own menu, in their language.
    theirs = get(cache, "/", headers=malik)
    assert theirs.headers["X-Cache"] == "miss"  # the English copy
    assert "Menu of Malik" in theirs.text
    assert "Léna" not in theirs.text.split("<main", 1)[0]
    # The token in the menu is valid for the member's cookie.
    logout = cache.post(
        "/comptes/logout/",
        headers={**lena, "Referer": "http://localhost/"},
        data={"csrfmiddlewaretoken": logout_token(again)},
    )
    assert logout.status_code == 302, logout.text[:300]
    # Her session ended: her next page is no longer assembled for a member.
    assert "Menu de Léna" not in get(cache, "/", headers=lena).text

    # A notification (an answer to his question) reaches the member's menu at once.
    malik_question = make_question(author=other, title="Mon tuteur peut-il changer en cours de contrat ?")
    settle()
    get(cache, "/", headers=malik)
    assert "data-notification-count hidden" in get(cache, "/", headers=malik).text
    post_answer(author=make_user(username="rh-ecole"), question=malik_question, body="Oui, avec un avenant.")
    counted = get(cache, "/", headers=malik)
    assert re.search(r'data-notification-count aria-label="1 unread notification">1<', counted.text)


def test_a_moderator_and_a_member_without_a_csrf_cookie_get_their_own_page(cache):
    make_question(author=make_user(username="hugo"))
    moderator = make_moderator(username="moderatrice")
    member = make_user(username="iris", display_name="Iris")
    settle()
    for _ in range(2):
        page = get(cache, "/", headers=member_cookies(moderator))
        assert page.headers["X-Cache"] == "miss"
        assert page.headers.get("X-Page-Cache") != "member-edge"
        assert "modération" in page.text.lower()
    cookie = session_cookie(member, "http://localhost/")
    for _ in range(2):
        page = get(cache, "/", headers={"Cookie": f"{cookie['name']}={cookie['value']}"})
        assert page.headers["X-Cache"] == "miss"
        assert "Iris" in page.text
        assert "csrftoken=" in page.headers["Set-Cookie"]
    # Nobody can ask for a member's parts from outside.
    for path in ("/_edge/menu/", "/_edge/csrf/"):
        assert cache.get(path, headers=member_cookies(member)).status_code == 404


def test_a_member_s_part_that_fails_leaves_its_place_empty_not_an_error_page(cache):
    make_question(author=make_user(username="paul"), title="Le CFA peut-il imposer un ordinateur portable ?")
    alba = member_cookies(make_user(username="alba"))
    basile = member_cookies(make_user(username="basile", display_name="Basile"))
    settle()
    get(cache, "/", headers=alba)  # the members' copy, kept
    # Basile's session is known to the cache (his list read), his menu is not.
    get(cache, "/api/v1/threads/", headers={**basile, "Accept": "application/json"})

    cache.web.stop()

    page = get(cache, "/", headers=basile)
    assert page.headers["X-Cache"] == "hit"
    assert "Le CFA peut-il imposer un ordinateur portable ?" in page.text
    assert "Basile" not in page.text
    assert "<esi:" not in page.text
    assert "Guru Meditation" not in page.text
    # Alba's menu was kept: her page is whole.
    assert "@alba" in get(cache, "/", headers=alba).text


def test_a_member_s_thread_page_is_assembled_by_the_cache_and_still_counts_and_reads(cache):
    asker = make_user(username="lena")
    question = make_question(author=asker, title="Le CFA peut-il refuser mon changement d'entreprise ?")
    malik, nora = make_user(username="malik", display_name="Malik"), make_user(username="nora", display_name="Nora")
    path = question.get_absolute_url()
    settle()

    first = get(cache, path, headers=member_cookies(malik))
    assert first.headers["X-Cache"] == "miss"
    again = get(cache, path, headers=member_cookies(malik))
    assert again.headers["X-Cache"] == "hit"
    # Another member who reads the thread as he does: the same copy, her own menu.
    hers = get(cache, path, headers=member_cookies(nora, csrf="d" * 32))
    assert hers.headers["X-Cache"] == "hit"
    for page, name in ((first, "Malik"), (again, "Malik"), (hers, "Nora")):
        assert f"Menu de {name}" in page.text
        assert question.title in page.text
        assert "<esi:" not in page.text
        for header in ("X-Cache-Members", "X-Edge-Reader", "X-Edge-Variant", "X-Cache-Topics"):
            assert header not in page.headers
    assert "Nora" not in again.text.split("<main", 1)[0]
    # Each member counted once, though the application never rendered her page.
    question.refresh_from_db()
    assert question.view_count == 2

    # He follows it: his next page says so at once (his own copy), hers not.
    set_thread_following(user=malik, question=question, following=True)
    assert "Ne plus suivre" in get(cache, path, headers=member_cookies(malik)).text
    assert "Ne plus suivre" not in get(cache, path, headers=member_cookies(nora, csrf="d" * 32)).text

    # An answer notifies him; opening the thread reads it, and his menu counts none.
    answer = post_answer(author=make_user(username="rh-cfa"), question=question, body="Non, c'est votre choix.")
    counted = get(cache, "/", headers=member_cookies(malik))
    assert re.search(r"data-notification-count aria-label=\"1 notification non lue\">1<", counted.text)
    read = get(cache, path, headers=member_cookies(malik))
    assert "Non, c'est votre choix." in read.text
    assert "data-notification-count hidden" in read.text
    assert not Notification.objects.filter(recipient=malik, read_at__isnull=True).exists()

    # The form's token the cache wrote in is valid for her cookie: she follows it from her page.
    page = get(cache, path, headers=member_cookies(nora, csrf="d" * 32))
    follow = re.search(r'<form method="post" action="/questions/\d+/suivre/"(.*?)</form>', page.text, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', follow.group(1)).group(1)
    posted = cache.post(
        f"/questions/{question.pk}/suivre/",
        headers={**member_cookies(nora, csrf="d" * 32), "Referer": "http://localhost" + path},
        data={"csrfmiddlewaretoken": token, "following": "1"},
    )
    assert posted.status_code in (302, 303), posted.text[:300]
    assert "Ne plus suivre" in get(cache, path, headers=member_cookies(nora, csrf="d" * 32)).text

    # She votes: the thread is hers now (her vote shows), never from the members' copy.
    toggle_vote(user=nora, answer=answer)
    for _ in range(2):
        page = get(cache, path, headers=member_cookies(nora, csrf="d" * 32))
        assert page.headers["X-Cache"] == "miss"
        assert page.headers.get("X-Page-Cache") != "member-edge"
    # The asker's page is his own too.
    assert get(cache, path, headers=member_cookies(asker)).headers["X-Cache"] == "miss"
    # Nobody asks for the record from outside.
    assert cache.get(f"/_edge/page{path}", headers=member_cookies(malik)).status_code == 404


def test_a_hidden_thread_leaves_the_members_copy_at_once(cache):
    question = make_question(author=make_user(username="sam"), title="Ma période d'essai recommence-t-elle ?")
    member = member_cookies(make_user(username="ines"))
    path = question.get_absolute_url()
    settle()
    get(cache, path, headers=member)
    assert get(cache, path, headers=member).headers["X-Cache"] == "hit"
    hide_post(moderator=make_moderator(username="modo"), post=question, clause="respect", note="Hors charte.")
    gone = cache.get(path, headers=member)
    assert gone.status_code == 404
    assert question.title not in gone.text


def test_a_member_s_tag_page_is_assembled_by_the_cache_and_follows_are_exact(cache):
    make_question(author=make_user(username="yanis"), title="Quel rythme d'alternance en BTS ?", tags=("bts",))
    alba, basile = make_user(username="alba", display_name="Alba"), make_user(username="basile", display_name="Basile")
    alba_cookies, basile_cookies = member_cookies(alba), member_cookies(basile, csrf="d" * 32)
    settle()

    first = get(cache, "/tags/bts/", headers=alba_cookies)
    assert first.headers["X-Cache"] == "miss"
    theirs = get(cache, "/tags/bts/", headers=basile_cookies)
    assert theirs.headers["X-Cache"] == "hit"
    assert "Menu de Basile" in theirs.text
    assert "Menu de Alba" not in theirs.text
    assert "0 abonné" in theirs.text

    # She follows the tag: her page and his show the new count at once.
    follow_tag(user=alba, slug="bts")
    assert "1 abonné" in get(cache, "/tags/bts/", headers=basile_cookies).text
    hers = get(cache, "/tags/bts/", headers=alba_cookies)
    assert "1 abonné" in hers.text
    assert "Menu de Alba" in hers.text


@pytest.fixture
def short_lived_cache(start_server_process, tmp_path, django_db_reset_sequences, settings):
    """A server of its own whose shared pages live 2 s (HTTP_CACHE_SECONDS)."""
    varnish = web_behind_cache(start_server_process, tmp_path / "varnish", settings, HTTP_CACHE_SECONDS="2")
    with httpx.Client(base_url=varnish.url, headers={"Host": "localhost"}, timeout=10) as client:
        yield client
    varnish.stop()


def test_search_results_past_their_ttl_are_delivered_while_renewed_other_pages_are_not(short_lived_cache):
    cache = short_lived_cache
    question = make_question(author=make_user(username="maelys"), title="Le permis est-il pris en charge ?")
    moderator = make_moderator()
    settle()
    search, thread = "/api/v1/search/?q=permis", question.get_absolute_url()
    for url in (search, thread):
        assert get(cache, url).headers["X-Cache"] == "miss"
        assert get(cache, url).headers["X-Cache"] == "hit"
    assert "X-Cache-Grace" not in get(cache, search).headers

    time.sleep(2.5)  # past the TTL, within the search's grace
    # The stored search is delivered at once while one fetch renews it; a
    # thread's page is exact: fetched again.
    assert get(cache, search).headers["X-Cache"] == "hit"
    assert get(cache, thread).headers["X-Cache"] == "miss"

    # A ban still removes a search at once, grace or not.
    hide_post(moderator=moderator, post=question, clause="respect", note="Hors charte.")
    after = get(cache, search)
    assert after.headers["X-Cache"] == "miss"
    assert after.json()["results"] == []
