"""The HTTP cache in front of the web processes (Varnish, deploy/varnish/;
docs/architecture.md, "Caching"; docs/operations.md, "The HTTP cache").

Anonymous pages that `frontend.page_cache` may share go out with the topics
they show (`X-Cache-Topics`) and how long they may be kept at most
(`X-Cache-TTL`). The cache stores them and answers every anonymous reader
without Python until a change bans them:

- an event on one of the page's topics (`forum.events.publish`, on commit);
- a bump of the page generation (names, badges: `page_versions.bump_generation`),
  and a start of the web processes (a new release): everything.

Some of those responses are also what a signed-in member gets: the REST thread
list and search, for a member whose lists are anyone's
(`queries.sees_lists_as_any_member`). They say so (`X-Cache-Members: same`),
and the cache answers such a member from them too, once it knows what the
member is: it asks `api.edge_reader` with the member's credentials and keeps
the answer (`X-Edge-Reader`) for READER_SECONDS at most, under the member's
topic (`user:<id>`), which every event for them bans (a revoked token, a
suspension) as do the writes that change what their lists show
(`forum.receivers`).

A member's thread and tag pages show something of them besides their menu
(following, their composer's hints), and a thread page counts its reader and
reads their notifications about it: the cache asks the application about
each member and page (`frontend.views.edge.edge_page`, kept under the
member's topic), which does what the page would do for them and names the
members' copy that is theirs (`VARIANT_HEADER`), or none.

A thread's REST detail counts its reader (once per hour), so the cache asks
the application about every reader of one (`api.edge_reader.edge_view`, per
credentials or address and thread, kept as long): that request counts the
view and says which stored copy is the reader's, the anonymous one or the
one every member whose lists are anyone's gets, unless they asked the thread
(`READER_MEMBERS`; the copy says so with `X-Cache-Members: same`).

Each ban is sent twice: once as soon as the change commits (by the request
that committed it), and again `HTTP_CACHE_REBAN_MS` later (by a thread), for a page
that was rendered from the old data and reached the cache after the first
ban (a render that *ends* after the commit is not stored at all:
`frontend.page_cache` checks the version again). A process that dies between
its commit and its ban leaves pages stale for at most their TTL
(`HTTP_CACHE_SECONDS`). When `HTTP_CACHE_BAN_URLS` is empty (the embedded
default, tests) nothing here does anything.
"""

import http.client
import logging
import os
import queue
import re
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from forum import legal_dates

logger = logging.getLogger(__name__)

TOPICS_HEADER = "X-Cache-Topics"
TTL_HEADER = "X-Cache-TTL"
# How long past its TTL a stored search may still be delivered while one
# fetch renews it (Varnish's grace): without it, each term's readers waited
# behind its search every HTTP_CACHE_SECONDS (p95 0.6 s at 20 clients). Only
# search results, which may lag what adds to them (EVERY_TOPIC below); a ban
# removes them at once all the same.
GRACE_HEADER = "X-Cache-Grace"
SEARCH_GRACE_SECONDS = 30
# On a shared response: a member whose lists are anyone's gets exactly it too.
MEMBERS_HEADER = "X-Cache-Members"
MEMBERS_SAME = "same"
# What the cache learns of a reader's credentials (api/edge_reader.py):
# "lists", the anonymous copies of the lists are theirs; "members", the
# members' copy of the thread detail asked about is theirs; "own", their
# reads are looked up as they come (a member's, passed to the application).
READER_HEADER = "X-Edge-Reader"
READER_LISTS = "lists"
READER_MEMBERS = "members"
READER_OWN = "own"
# On a request from the cache: it will assemble the members' page itself
# (Edge Side Includes), so the page comes with an include where the member's
# own parts go (frontend/page_cache.py, frontend/views/edge.py); on the
# response: the cache is to process those includes.
ESI_HEADER = "X-Edge-Esi"
ESI_MENU_URL = "/_edge/menu/"
# Which members' copy of a page is the reader's (the cache's record of a member
# and a thread or tag page): `frontend.page_cache.edge_variant`; on the
# cache's fetch of that copy, the variant it will be stored under.
VARIANT_HEADER = "X-Edge-Variant"
ESI_CSRF_URL = "/_edge/csrf/"
# A bound on what a change nobody bans leaves stale: a member reads the
# anonymous list without their own new held question for at most this long.
READER_SECONDS = 30
# Where the cache keeps its record of credentials that name no member.
NO_MEMBER_TOPIC = "credentials"
# The topic of pages that may show any thread (search): banned by every event
# that may take something from them (forum.events.SEARCH_MAY_LAG: not those
# that only add to them, which they show within HTTP_CACHE_SECONDS).
EVERY_TOPIC = "*"
# What the VCL reads: a regular expression over an object's X-Cache-Topics.
BAN_HEADER = "X-Cache-Ban"
BAN_EVERYTHING = "."

# Short: the first ban is sent by the request that committed.
SEND_TIMEOUT = 0.5


def enabled() -> bool:
    return bool(settings.HTTP_CACHE_BAN_URLS)


def reban_seconds() -> float:
    """How long after a ban it is sent again (settings.HTTP_CACHE_REBAN_MS)."""
    return settings.HTTP_CACHE_REBAN_MS / 1000


# What a topic is made of (forum.events: "thread:42", "tag:aides-logement",
# "feed"): the ban pattern needs no space and no backslash, which Varnish's
# ban syntax would read as the end of the expression or an escape.
_TOPIC = re.compile(r"^[A-Za-z0-9:_.-]+$")


def topics_value(topics: list[str] | None) -> str:
    """The X-Cache-Topics of a page showing `topics` (None: every topic)."""
    return EVERY_TOPIC if topics is None else ",".join(topics)


def ban_pattern(topics: list[str], *, every: bool = True) -> str:
    """Objects that list any of `topics`, and with `every` those of every
    topic (everything, for a topic that would not fit the syntax: never
    expected, never stale)."""
    if not all(_TOPIC.match(topic) for topic in topics):
        return BAN_EVERYTHING
    named = [topic.replace(".", "[.]") for topic in sorted(set(topics))]
    alternatives = "|".join(["[*]", *named] if every else named)
    return f"(^|,)({alternatives})(,|$)"


def share(response, topics: list[str] | None, *, members: bool = False) -> None:
    """Lets the cache store `response` (an anonymous reader's, with nothing of
    them in it) for every anonymous reader until one of `topics` changes (its
    ban), the day turns in Paris (dated legal answers turn "to check" with no
    event: forum/legal_dates.py), or HTTP_CACHE_SECONDS pass (view counts,
    relative times). `members`: it is also exactly what every member whose
    lists are anyone's gets (the cache answers them from it too)."""
    if not enabled():
        return
    now = timezone.now()
    midnight = legal_dates.reference_start(legal_dates.today(now) + timedelta(days=1))
    until_midnight = int((midnight - now).total_seconds())
    ttl = min(settings.HTTP_CACHE_SECONDS, until_midnight)
    if ttl > 0:
        response[TOPICS_HEADER] = topics_value(topics)
        response[TTL_HEADER] = str(ttl)
        # Not across midnight: the day's reference date decides what rows show.
        grace = min(SEARCH_GRACE_SECONDS, until_midnight - ttl)
        if topics is None and grace > 0:
            response[GRACE_HEADER] = str(grace)
        if members:
            response[MEMBERS_HEADER] = MEMBERS_SAME


def describe_reader(
    response,
    *,
    topic: str | None,
    reader: str,
    expires_in: float,
    variant: str | None = None,
    also: tuple[str, ...] = (),
) -> None:
    """The cache's record of a reader's credentials (api/edge_reader.py):
    `reader` (READER_LISTS, READER_MEMBERS or READER_OWN), kept until an event
    on `topic` (the member's event topic: a revoked token, a suspension, a
    notification) or on one of `also`, READER_SECONDS, or the credentials'
    expiry, whichever comes first. `topic` None: no member (an anonymous
    reader, or credentials naming nobody). `variant`: which members' copy of a
    page is theirs (frontend/views/edge.py)."""
    response[READER_HEADER] = reader
    if variant is not None:
        response[VARIANT_HEADER] = variant
    keep_for_reader(response, topic=topic, expires_in=expires_in, also=also)


def describe_no_member(response) -> None:
    """The record of a reader who is no member (anonymous, or credentials
    naming nobody): their reads are looked up as they come, and the record is
    kept under no member."""
    describe_reader(response, topic=None, reader=READER_OWN, expires_in=READER_SECONDS)


def keep_for_reader(response, *, topic: str | None, expires_in: float, also: tuple[str, ...] = ()) -> None:
    """Lets the cache keep what the application answered it about one reader
    (kept under their credentials) until an event on `topic` (None: no
    member) or on one of `also`, READER_SECONDS, or `expires_in`, whichever
    comes first."""
    ttl = int(min(READER_SECONDS, expires_in))
    if enabled() and ttl > 0:
        response[TOPICS_HEADER] = topics_value([NO_MEMBER_TOPIC if topic is None else topic, *also])
        response[TTL_HEADER] = str(ttl)


def ban_reader(*topics: str) -> None:
    """Forget what the cache knows of members' credentials (kept under their
    event topics) and the pages of `topics`, once the current transaction
    commits (a write that may change what a member's lists or pages show of
    them: forum.receivers)."""
    if enabled() and topics:
        # The pages of every topic (search results) show nothing of a reader.
        transaction.on_commit(lambda: ban_topics(list(topics), every=False), robust=True)


def ban_topics(topics: list[str], *, every: bool = True) -> None:
    """Ban now, before returning, and again `reban_seconds()` later. Now, because
    a live client fetches the thread's new parts as soon as it hears of the
    change (`forum.events.publish` bans before it sends the hint): the ban
    must be in place by then. After a failed send, and for PAUSE_AFTER_FAILURE,
    the first ban goes through the thread too, so writes do not each wait on a
    cache that is down."""
    if enabled() and topics:
        _send_first(ban_pattern(topics, every=every))


def ban_everything() -> None:
    if enabled():
        _send_first(BAN_EVERYTHING)


PAUSE_AFTER_FAILURE = 5.0
_failed_at = -PAUSE_AFTER_FAILURE


def _send_first(pattern: str) -> None:
    global _failed_at
    sender = _sender()
    if time.monotonic() - _failed_at < PAUSE_AFTER_FAILURE:
        sender.put(pattern)
        return
    if not sender.send(pattern):
        _failed_at = time.monotonic()
        sender.put(pattern)
        return
    sender.later(pattern)


class _Sender:
    """One daemon thread: sends each pattern now, and again `reban_seconds()` later."""

    def __init__(self, urls: tuple[str, ...]):
        self.urls = urls
        self.pending: queue.Queue[tuple[float, str]] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="http-cache-bans", daemon=True)
        self.thread.start()

    def put(self, pattern: str) -> None:
        """Send from the thread, now and again later."""
        self.pending.put((0.0, pattern))

    def later(self, pattern: str) -> None:
        """Send from the thread, `reban_seconds()` from now."""
        self.pending.put((time.monotonic() + reban_seconds(), pattern))

    def _run(self) -> None:
        later: list[tuple[float, str]] = []
        while True:
            timeout = max(0.0, min(due for due, _ in later) - time.monotonic()) if later else None
            batch = []
            try:
                due, pattern = self.pending.get(timeout=timeout)
                if due == 0.0:
                    batch.append(pattern)
                    due = time.monotonic() + reban_seconds()
                later.append((due, pattern))
            except queue.Empty:
                pass
            now = time.monotonic()
            batch += [pattern for due, pattern in later if due <= now]
            later = [(due, pattern) for due, pattern in later if due > now]
            # A burst of writes on one topic bans it once.
            for pattern in dict.fromkeys(batch):
                self.send(pattern)

    def send(self, pattern: str) -> bool:
        sent = True
        for url in self.urls:
            try:
                send_ban(url, pattern)
            except Exception:
                # Pages of these topics stay at most their TTL (HTTP_CACHE_SECONDS).
                logger.warning("Could not ban %r in the HTTP cache at %s", pattern, url, exc_info=True)
                sent = False
        return sent


def send_ban(url: str, pattern: str) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=SEND_TIMEOUT)
    try:
        connection.request("BAN", parts.path or "/", headers={BAN_HEADER: pattern})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"the HTTP cache answered {response.status} {response.reason}")
    finally:
        connection.close()


_lock = threading.Lock()
# Per process: a thread does not survive a fork (the HTTP server forks its
# workers from its main process, which bans everything at start).
_senders: dict[tuple[int, tuple[str, ...]], _Sender] = {}


def _sender() -> _Sender:
    key = (os.getpid(), tuple(settings.HTTP_CACHE_BAN_URLS))
    with _lock:
        if key not in _senders:
            _senders[key] = _Sender(key[1])
        return _senders[key]
