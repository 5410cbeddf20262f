"""Anonymous pages from the shared cache (frontend/page_cache.py): a change
renders afresh exactly the pages that show it, a moderation decision leaves
nothing stale, revalidation answers 304, a cached hit costs one or two
queries, and nothing of one reader (CSRF token, name, messages) reaches
another through the cache."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.http import http_date

from forum import page_versions
from forum.models import CharterClause, Event
from forum.services.answers import accept_answer
from forum.services.moderation import hide_post, restore_post
from forum.services.profiles import update_profile
from forum.services.questions import edit_question
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cached(client, url) -> bool:
    """Fetches `url` and says whether it came from the cache."""
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"] == "hit"


@pytest.fixture
def two_threads(student, other_student):
    first = make_question(author=student, title="Quel contrat pour un BTS en alternance ?")
    second = make_question(author=student, title="Rythme école entreprise en licence pro ?")
    answer = make_answer(author=other_student, question=first)
    return first, second, answer


def pages(first, second) -> dict[str, str]:
    return {
        "home": "/",
        "tag": "/tags/bts/",
        "first": first.get_absolute_url(),
        "first answers": f"/questions/{first.pk}/reponses/",
        "second": second.get_absolute_url(),
    }


def warm(client, urls: dict[str, str]) -> None:
    for url in urls.values():
        client.get(url)
    assert all(cached(client, url) for url in urls.values())


def fresh_pages(client, urls: dict[str, str]) -> set[str]:
    """The names of the pages rendered afresh on the next request."""
    return {name for name, url in urls.items() if not cached(client, url)}


def test_a_second_anonymous_request_is_a_hit_of_one_or_two_queries(client, two_threads, django_assert_max_num_queries):
    first, _, _ = two_threads
    urls = pages(*two_threads[:2])
    for url in urls.values():
        assert not cached(client, url)
    for url in urls.values():
        # The version (one indexed query); the thread page also counts its
        # reader, an UPDATE only the first time in the hour.
        with django_assert_max_num_queries(1):
            assert cached(client, url)


def test_a_new_answer_renders_afresh_its_thread_and_the_lists_only(client, two_threads, third_student):
    first, second, _ = two_threads
    urls = pages(first, second)
    warm(client, urls)

    make_answer(author=third_student, question=first, body="Un contrat d'apprentissage, signé avant la rentrée.")

    # Tag pages follow `feed` too, which carries the answer counts.
    assert fresh_pages(client, urls) == {"home", "tag", "first", "first answers"}
    assert "signé avant la rentrée" in client.get(urls["first"]).content.decode()


def test_a_vote_renders_afresh_its_thread_and_not_the_lists(client, two_threads, third_student):
    first, second, answer = two_threads
    urls = pages(first, second)
    warm(client, urls)

    cast_vote(user=third_student, answer=answer)

    assert fresh_pages(client, urls) == {"first", "first answers"}
    assert re.search(r"data-vote-count>\s*1\s*<", client.get(urls["first answers"]).content.decode())


def test_accepting_renders_afresh_the_thread_and_the_lists(client, two_threads, student):
    first, second, answer = two_threads
    urls = pages(first, second)
    warm(client, urls)

    accept_answer(user=student, answer=answer)

    assert fresh_pages(client, urls) == {"home", "tag", "first", "first answers"}
    assert 'data-status="solved"' in client.get(urls["first"]).content.decode()


def test_after_a_hidden_answer_no_page_shows_it(client, two_threads, moderator):
    first, second, answer = two_threads
    urls = pages(first, second)
    warm(client, urls)

    hide_post(moderator=moderator, post=answer, clause=CharterClause.SPAM)

    assert {"first", "first answers"} <= fresh_pages(client, urls)
    for name in ("first", "first answers"):
        assert f'id="answer-{answer.pk}"' not in client.get(urls[name]).content.decode()


def test_after_a_hidden_question_its_page_is_gone_and_no_list_shows_it(client, two_threads, moderator):
    first, second, _ = two_threads
    urls = pages(first, second)
    warm(client, urls)

    hide_post(moderator=moderator, post=first, clause=CharterClause.OFF_TOPIC)

    assert client.get(urls["first"]).status_code == 404
    assert client.get(urls["first answers"]).status_code == 404
    assert f'data-question-id="{first.pk}"' not in client.get(urls["home"]).content.decode()
    assert f'data-question-id="{first.pk}"' not in client.get(urls["tag"]).content.decode()
    assert cached(client, urls["second"])

    restore_post(moderator=moderator, post=first)
    assert client.get(urls["first"]).status_code == 200
    assert f'data-question-id="{first.pk}"' in client.get(urls["home"]).content.decode()


def test_changes_without_an_event_of_their_own_render_every_page_afresh(
    client, two_threads, student, django_capture_on_commit_callbacks
):
    """A new name (shown in every author block) and a title edited (shown in
    lists, whose topics get no event for it) go by the generation."""
    first, second, _ = two_threads
    urls = pages(first, second)
    warm(client, urls)

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user=student, display_name="Camille Apprentie")
    assert fresh_pages(client, urls) == set(urls)
    assert "Camille Apprentie" in client.get(urls["second"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        edit_question(editor=student, question=second, title="Rythme école entreprise : 3 semaines / 1 semaine ?")
    assert "3 semaines / 1 semaine" in client.get(urls["home"]).content.decode()


def test_an_unchanged_page_is_a_304_and_a_changed_one_a_200(client, two_threads, third_student):
    first, _, _ = two_threads
    url = first.get_absolute_url()
    response = client.get(url)
    etag = response["ETag"]
    assert etag.startswith('W/"')
    assert response["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    make_answer(author=third_student, question=first)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_answers_304_until_the_page_changes(client, two_threads, third_student):
    first, _, _ = two_threads
    url = first.get_absolute_url()
    # Last-Modified is sent once the version is a second old (its resolution).
    a_year_ago = Event.objects.latest("id").created_at.replace(year=2025)
    Event.objects.update(created_at=a_year_ago)
    cache.set(page_versions.GENERATION_KEY, int(a_year_ago.timestamp() * 1e9))
    response = client.get(url)
    assert "Last-Modified" in response
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304

    make_answer(author=third_student, question=first)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date()).status_code == 200


def test_a_member_never_gets_nor_leaves_a_cached_page(two_threads, student):
    """Signed in, the header carries the member's name and their own CSRF
    token: their pages are rendered for them and never stored."""
    first, _, _ = two_threads
    url = first.get_absolute_url()
    member, anonymous = Client(), Client()
    member.force_login(student)

    for _ in range(2):
        response = member.get(url)
        assert response.get("X-Page-Cache") is None
        assert f"@{student.username}" in response.content.decode()

    page = anonymous.get(url).content.decode()
    assert anonymous.get(url)["X-Page-Cache"] == "hit"
    assert f"@{student.username}" not in page
    member_tokens = set(TOKEN.findall(member.get(url).content.decode()))
    assert member_tokens.isdisjoint(TOKEN.findall(page))


def test_an_anonymous_page_carries_nothing_of_its_reader_and_its_language_switch_works(two_threads):
    """No CSRF token and no cookie on a shared page: the language switch, its
    only form, needs none (config/urls.py), so a hit costs no secret, no
    masking and no Set-Cookie."""
    first, _, _ = two_threads
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for url in ("/", first.get_absolute_url()):
        # Stored by the first reader's visit, which sets no cookie either: an
        # HTTP cache in front (Varnish) would not store a page that does.
        assert not readers[0].get(url).cookies, url
        for reader in readers:
            response = reader.get(url)
            assert response["X-Page-Cache"] == "hit"
            assert not response.cookies, url
            assert TOKEN.search(response.content.decode()) is None, url
            assert "\x00" not in response.content.decode()

    url = first.get_absolute_url()
    switched = readers[1].post("/i18n/setlang/", {"language": "en", "next": url})
    assert switched.status_code == 302
    assert switched["Location"] == url
    assert readers[1].cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in readers[1].get(url).content.decode()
    # `next` stays on this host: the switch is no open redirect.
    away = readers[1].post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert away["Location"] == "/"


def test_a_message_for_one_reader_is_shown_to_them_and_never_stored(two_threads, student):
    """Signing out leaves an anonymous reader with a message: their next page
    bypasses the cache; the next reader gets the shared page without it."""
    first, _, _ = two_threads
    url = first.get_absolute_url()
    Client().get(url)
    reader = Client()
    reader.force_login(student)
    reader.post(reverse("account_logout"))

    with_message = reader.get(url)
    assert with_message.get("X-Page-Cache") is None
    assert 'class="container messages"' in with_message.content.decode()

    other = Client().get(url)
    assert other["X-Page-Cache"] == "hit"
    assert 'class="container messages"' not in other.content.decode()
    assert reader.get(url)["X-Page-Cache"] == "hit"


def test_readers_of_another_language_get_their_own_copy(client, two_threads):
    first, _, _ = two_threads
    url = first.get_absolute_url()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="en"' in english.content.decode()
    assert 'lang="fr"' in french


def test_many_watchers_of_a_thread_cost_one_render_per_change(two_threads, third_student):
    """What live.js fetches after each event burst: 20 anonymous watchers,
    one render for each version of the thread."""
    first, _, _ = two_threads
    url = f"/questions/{first.pk}/reponses/"
    watchers = [Client() for _ in range(20)]
    for _ in range(2):
        results = [watcher.get(url)["X-Page-Cache"] for watcher in watchers]
        assert results.count("miss") == 1
        make_answer(author=third_student, question=first)


def test_the_page_renders_when_the_cache_is_unreachable(client, two_threads, settings):
    first, _, _ = two_threads
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    assert response.get("X-Page-Cache") is None


AUTHOR_BLOCK = "frontend/partials/author.html"


def test_author_blocks_are_shared_between_members_and_follow_a_new_name(
    two_threads, student, other_student, third_student, django_capture_on_commit_callbacks
):
    """Members' pages are rendered for them, around author blocks rendered
    once per answer revision and generation (frontend.page_cache.post_fragments)."""
    first, _, answer = two_threads
    url = f"/questions/{first.pk}/reponses/"
    asker, voter = Client(), Client()
    asker.force_login(student)
    voter.force_login(third_student)
    cast_vote(user=third_student, answer=answer)

    first_render = asker.get(url)
    assert f"/membres/{other_student.username}/" in first_render.content.decode()
    assert AUTHOR_BLOCK in [t.name for t in first_render.templates]
    second_render = voter.get(url)
    voter_html = second_render.content.decode()
    # The voter's page took the author blocks from the cache: none rendered again.
    assert AUTHOR_BLOCK not in [t.name for t in second_render.templates]
    assert 'aria-pressed="true"' in voter_html
    assert 'aria-pressed="true"' not in asker.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        update_profile(user=other_student, display_name="Samir du CFA")
    assert "Samir du CFA" in voter.get(url).content.decode()


def test_a_page_rendered_before_a_generation_bump_is_never_served_after_it(client, two_threads, monkeypatch):
    """The generation travels in the entry, not in the key (so a hit reads
    both in one round trip): a render that began under the old stamp and is
    stored after the bump must not be served under the new one."""
    first, _, _ = two_threads
    url = first.get_absolute_url()
    store = page_versions.store_entry

    def bump_while_rendering(key, version, entry, *, timeout):
        cache.set(page_versions.GENERATION_KEY, version.generation + 1)
        store(key, version, entry, timeout=timeout)

    monkeypatch.setattr(page_versions, "store_entry", bump_while_rendering)
    assert client.get(url)["X-Page-Cache"] == "miss"
    monkeypatch.setattr(page_versions, "store_entry", store)

    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_the_compiled_version_query_finds_what_the_orm_finds(two_threads, third_student):
    first, second, _ = two_threads
    make_answer(author=third_student, question=second)
    shapes = [[f"thread:{first.pk}"], ["tag:bts", "feed"], ["nothing:here"], page_versions.EVERY_TOPIC]

    for topics in shapes:
        row = Event.objects.filter(pk=page_versions.topics_cursor(topics)).values_list("id", "created_at").first()
        assert page_versions.newest_event(topics) == (row or (0, None)), topics


def test_a_copy_is_kept_cut_at_its_placeholders_and_filled_for_each_reader(rf):
    from frontend import page_cache

    form = f'<input name="csrfmiddlewaretoken" value="{page_cache.CSRF_PLACEHOLDER}">'
    page = f"<nav>{page_cache.ACCOUNT_MENU_PLACEHOLDER}</nav><p>Rémunération</p><form>{form}</form><form>{form}</form>"
    pieces = page_cache._cut(page)
    request = rf.get("/")

    filled = page_cache._filled(pieces, request, menu=f"<a>@lea</a><form>{form}</form>").decode()

    tokens = re.findall(r'value="([^"]+)"', filled)
    assert len(tokens) == 3
    assert len(set(tokens)) == 1
    assert "\x00" not in filled
    assert filled == page.replace(page_cache.ACCOUNT_MENU_PLACEHOLDER, f"<a>@lea</a><form>{form}</form>").replace(
        page_cache.CSRF_PLACEHOLDER, tokens[0]
    )
    # No form, no token: the reader gets no CSRF cookie from a page they cannot post from.
    without_form = rf.get("/")
    assert page_cache._filled(page_cache._cut("<p>Lecture seule</p>"), without_form) == b"<p>Lecture seule</p>"
    assert "CSRF_COOKIE" not in without_form.META
    # A copy stored whole by an earlier release is rendered again, not served.
    assert not page_cache._usable(("<p>old</p>", "text/html", {}))
    assert page_cache._usable((pieces, "text/html", {}))
