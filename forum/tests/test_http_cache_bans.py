"""forum/http_cache.py without Varnish: what the application marks as
shareable, and the bans it sends, received by a real HTTP server on loopback
(tests/test_http_cache.py runs the real cache)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from forum import events, http_cache, page_versions
from forum.services.answers import accept_answer, edit_answer, post_answer
from forum.services.charter import dismiss_hints
from forum.services.flags import flag_post
from forum.services.moderation import hide_post
from forum.services.notifications import follow_tag, set_thread_following, unfollow_tag
from forum.services.votes import toggle_vote
from tests.factories import make_moderator, make_question, make_user


class BanRecorder(BaseHTTPRequestHandler):
    received: list[tuple[float, str]]

    def do_BAN(self):  # noqa: N802 (the method's name)
        self.server.received.append((time.monotonic(), self.headers[http_cache.BAN_HEADER]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def bans(settings, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BanRecorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HTTP_CACHE_BAN_URLS = [f"http://127.0.0.1:{server.server_address[1]}"]
    settings.HTTP_CACHE_REBAN_MS = 300
    yield server.received
    server.shutdown()
    server.server_close()


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_ban_names_the_topics_and_the_pages_of_every_topic():
    pattern = http_cache.ban_pattern(["thread:42", "tag:aides-logement", "thread:42"])
    assert pattern == "(^|,)([*]|tag:aides-logement|thread:42)(,|$)"
    # Without the pages of every topic (search results), for what takes nothing from them.
    assert http_cache.ban_pattern(["thread:42", "feed"], every=False) == "(^|,)(feed|thread:42)(,|$)"
    # Varnish reads the expression up to a space; a backslash would be an escape there.
    assert " " not in pattern
    assert "\\" not in pattern
    # A topic the syntax could not carry bans everything rather than nothing.
    assert http_cache.ban_pattern(["tag:a b"]) == http_cache.BAN_EVERYTHING
    assert http_cache.topics_value(page_versions.EVERY_TOPIC) == "*"
    assert http_cache.topics_value(["tag:bts", "feed"]) == "tag:bts,feed"


@pytest.mark.django_db(transaction=True)
def test_a_committed_answer_bans_its_topics_before_its_hint_goes_and_again_later(bans, monkeypatch):
    question = make_question(author=make_user())
    answerer = make_user()
    bans.clear()
    sent_before_hint = []
    send = events.send_to_layer
    # Observed, not replaced: the hint still goes to the layer.
    monkeypatch.setattr(events, "send_to_layer", lambda event: sent_before_hint.append(len(bans)) or send(event))
    post_answer(author=answerer, question=question, body="Le CFA fixe le rythme avec l'entreprise, demande-lui.")
    topics = [f"thread:{question.pk}", "feed"]
    # Each event's ban was in place when its hint left for the websockets.
    assert sent_before_hint
    assert all(count >= 1 for count in sent_before_hint)
    first = {pattern for _, pattern in bans}
    assert any("thread:" + str(question.pk) in pattern for pattern in first)
    wait_for(lambda: sum(f"thread:{question.pk}" in pattern for _, pattern in bans) >= 2)
    assert {t for t in topics if any(t in p for _, p in bans)} == set(topics)


@pytest.mark.django_db(transaction=True)
def test_search_results_are_banned_by_what_takes_from_them_not_by_what_adds(bans):
    """A new answer, a vote or an accepted answer leave the shared search
    results (they show them within HTTP_CACHE_SECONDS); an edit, a withdrawal
    or a moderator hiding a post empties them at once: hidden text is never
    found (forum.events.SEARCH_MAY_LAG)."""
    asker = make_user()
    question = make_question(author=asker)
    time.sleep(0.5)

    def patterns_after(write) -> list[str]:
        bans.clear()
        write()
        wait_for(lambda: len(bans) >= 1)
        time.sleep(0.3)  # the write's other events
        return [pattern for _, pattern in bans]

    answer = None

    def answer_it():
        nonlocal answer
        answer = post_answer(author=make_user(), question=question, body="Demande au CFA, il fixe le calendrier.")

    for adds in (answer_it, lambda: toggle_vote(user=make_user(), answer=answer), lambda: accept(answer)):
        patterns = patterns_after(adds)
        assert not any("[*]" in pattern for pattern in patterns), patterns
        assert any(f"thread:{question.pk}" in pattern for pattern in patterns)
    for takes in (
        lambda: edit_answer(editor=answer.author, answer=answer, body="Le CFA fixe le calendrier, pas toi."),
        lambda: hide_post(moderator=make_moderator(), post=answer, clause="respect", note="Hors charte."),
    ):
        patterns = patterns_after(takes)
        assert any(pattern.startswith("(^|,)([*]|") for pattern in patterns), patterns


def accept(answer):
    accept_answer(user=answer.question.author, answer=answer)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_bans_nothing(bans):
    from django.db import transaction

    question = make_question(author=make_user())
    answerer = make_user()
    time.sleep(0.5)
    bans.clear()
    with transaction.atomic():
        post_answer(author=answerer, question=question, body="Une réponse qui ne sera jamais publiée, annulée.")
        transaction.set_rollback(True)
    time.sleep(0.5)
    assert bans == []


@pytest.mark.django_db(transaction=True)
def test_a_bumped_generation_bans_everything(bans):
    bans.clear()
    page_versions.bump_generation()
    wait_for(lambda: len(bans) >= 2)
    assert {pattern for _, pattern in bans} == {http_cache.BAN_EVERYTHING}


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_is_down_does_not_hold_writes(settings, monkeypatch):
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9"]  # discard: nothing listens
    monkeypatch.setattr(http_cache, "_failed_at", -http_cache.PAUSE_AFTER_FAILURE)
    question = make_question(author=make_user())
    started = time.monotonic()
    for n in range(3):
        post_answer(author=make_user(), question=question, body=f"Réponse numéro {n} pendant que le cache est arrêté.")
    # Refused at once, then sent from the thread only while it stays down.
    assert time.monotonic() - started < 3 * http_cache.SEND_TIMEOUT
    assert time.monotonic() - http_cache._failed_at < http_cache.PAUSE_AFTER_FAILURE


@pytest.mark.django_db
def test_only_anonymous_pages_are_offered_to_the_cache(settings):
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9"]
    question = make_question(author=make_user())
    url = question.get_absolute_url()
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert anonymous[http_cache.TOPICS_HEADER] == f"thread:{question.pk}"
    assert 0 < int(anonymous[http_cache.TTL_HEADER]) <= settings.HTTP_CACHE_SECONDS
    # From Django's own cache, the same.
    again = Client().get(url)
    assert again["X-Page-Cache"] == "hit"
    assert again[http_cache.TOPICS_HEADER] == f"thread:{question.pk}"
    assert Client().get("/recherche/?q=alternance")[http_cache.TOPICS_HEADER] == "*"

    member = Client()
    member.force_login(make_user())
    assert http_cache.TOPICS_HEADER not in member.get(url)
    # Without a cache in front, nothing is marked.
    settings.HTTP_CACHE_BAN_URLS = []
    assert http_cache.TOPICS_HEADER not in Client().get("/")


@pytest.mark.django_db
def test_a_page_that_changed_while_it_rendered_is_not_offered(settings):
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9"]
    question = make_question(author=make_user())
    topics = [events.thread_topic(question.pk)]
    version = page_versions.version(topics)
    assert page_versions.still_current(version, topics)
    post_answer(author=make_user(), question=question, body="Publiée pendant que la page se rendait chez un autre.")
    assert not page_versions.still_current(version, topics)


@pytest.mark.django_db(transaction=True)
def test_what_a_thread_or_tag_page_shows_of_a_member_bans_the_cache_s_records_of_them(bans):
    """The cache's record of a member and a thread or tag page names the
    members' copy that is theirs (frontend/views/edge.py): each write that
    changes what such a page shows of them forgets it (forum/receivers.py)."""
    asker, reader = make_user(), make_user()
    question = make_question(author=asker, tags=("bts",))
    answer = post_answer(author=make_user(), question=question, body="Le rythme se décide avec l'entreprise et le CFA.")
    wait_for(lambda: len(bans) >= 1)
    time.sleep(0.5)
    # A reader's records and pages: the search results show nothing of them.
    topic = f"(^|,)({events.user_topic(reader.pk)})(,|$)"
    writes = [
        lambda: set_thread_following(user=reader, question=question, following=True),
        lambda: toggle_vote(user=reader, answer=answer),
        lambda: flag_post(user=reader, post=answer, reason="off_topic"),
        lambda: dismiss_hints(member=reader),
    ]
    for write in writes:
        bans.clear()
        write()
        wait_for(lambda: topic in [pattern for _, pattern in bans])
    # A tag's follower count is on its page: the tag's pages and records go too.
    bans.clear()
    follow_tag(user=reader, slug="bts")
    wait_for(lambda: f"(^|,)(tag:bts|{events.user_topic(reader.pk)})(,|$)" in [pattern for _, pattern in bans])
    bans.clear()
    unfollow_tag(user=reader, slug="bts")
    wait_for(lambda: f"(^|,)(tag:bts|{events.user_topic(reader.pk)})(,|$)" in [pattern for _, pattern in bans])


@pytest.mark.django_db
def test_search_results_made_while_something_was_added_are_offered_not_while_something_was_taken(settings):
    settings.HTTP_CACHE_BAN_URLS = ["http://127.0.0.1:9"]
    question = make_question(author=make_user())
    answerer, moderator = make_user(), make_moderator()
    every, thread = page_versions.EVERY_TOPIC, [events.thread_topic(question.pk)]
    search_made_from, thread_made_from = page_versions.version(every), page_versions.version(thread)
    answer = post_answer(author=answerer, question=question, body="Ajoutée pendant que la recherche se faisait.")
    # Only added: search results may lag it (forum.events.SEARCH_MAY_LAG), as the
    # cache keeps them through it; the thread's page must show it.
    lag = events.SEARCH_MAY_LAG
    assert page_versions.still_current(search_made_from, every, may_lag=lag)
    assert not page_versions.still_current(search_made_from, every)  # a caller that allows no lag
    assert not page_versions.still_current(thread_made_from, thread, may_lag=lag)
    hide_post(moderator=moderator, post=answer, clause="respect", note="Hors charte.")
    assert not page_versions.still_current(search_made_from, every, may_lag=lag)
