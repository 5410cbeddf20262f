"""The version of what a page or an API read shows, for shared caches and
conditional responses (docs/architecture.md, "Caching").

A public page is a function of (a) the events of its topics, whose newest
cursor changes with every change the page shows; (b) the things every page
shows that no event announces (names, verified badges, organisations, tag
synonyms, edited titles in lists): one *generation* stamp kept in the cache
and bumped after each such write commits; (c) the code and catalogues that
render it (`release()`); (d) the language. The first costs one indexed query,
the second one cache read.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from forum import compiled_sql, http_cache, legal_dates
from forum.models import Event

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"


@dataclass(frozen=True)
class Version:
    cursor: int
    generation: int
    # When the newest of the two changed (None when nothing ever did).
    modified_at: datetime | None
    # The reference date of dated legal answers (forum/legal_dates.py): when
    # it passes, answers show "to check" with no event, so pages change.
    reference: date | None = None

    def token(self, *parts: object) -> str:
        """A short opaque digest of this version and whatever else decides the
        output (language, path, viewer): cache keys and ETags."""
        return digest(release(), self.cursor, self.generation, self.reference, *parts)

    def last_modified(self) -> float | None:
        """For a Last-Modified header. Its resolution is one second, so a
        second change within the same second would pass If-Modified-Since
        unseen: a version younger than a second is sent with its ETag only."""
        if self.modified_at is None or self.modified_at > timezone.now() - timedelta(seconds=1):
            return None
        return float(int(self.modified_at.timestamp()))


def digest(*parts: object) -> str:
    raw = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


# For version(): every topic, for reads that may show any thread (search).
EVERY_TOPIC = None


def topics_cursor(topics: list[str] | None):
    """An expression for the newest cursor over `topics`: one backward index
    scan of (topic, id) per topic, each `LIMIT 1`. A `topic IN (...)` with
    MAX() would read every event of the busy `feed` topic instead. EVERY_TOPIC:
    the newest event of all (the primary key's last entry)."""
    if topics is EVERY_TOPIC:
        return Coalesce(Subquery(Event.objects.order_by("-id").values("id")[:1]), Value(0))
    newest = [
        Coalesce(Subquery(Event.objects.filter(topic=topic).order_by("-id").values("id")[:1]), Value(0))
        for topic in topics
    ]
    return newest[0] if len(newest) == 1 else Greatest(*newest)


def version(topics: list[str] | None) -> Version:
    """One query (the newest event of the topics, with its time) and one cache read."""
    cursor, event_at = newest_event(topics)
    return _version(cursor, event_at, generation(), legal_dates.current_reference_date())


def of_generation() -> Version:
    """The version of what only a generation bump changes (an account menu):
    no query, one cache read."""
    return _version(0, None, generation(), legal_dates.current_reference_date())


def _version(cursor: int, event_at: datetime | None, stamp: int, reference: date) -> Version:
    generation_at = datetime.fromtimestamp(stamp / 1e9, tz=UTC)
    modified_at = max(event_at, generation_at) if event_at else generation_at
    # Not before the reference day began: If-Modified-Since must not 304 a
    # page whose answers turned "to check" at midnight in Paris.
    modified_at = max(modified_at, legal_dates.reference_start(reference))
    return Version(cursor=cursor, generation=stamp, modified_at=modified_at, reference=reference)


def version_and_entry(topics: list[str] | None, *key_parts: object) -> tuple[Version, str, object]:
    version, key, entry, _others = version_and_entries(topics, key_parts)
    return version, key, entry


def version_and_entries(
    topics: list[str] | None, key_parts: tuple, others: tuple[str, ...] = ()
) -> tuple[Version, str, object, dict]:
    """For a shared cache of whole responses (frontend/page_cache.py): the
    version, the key of the entry for these topics' cursor and `key_parts`,
    and that entry if it was stored under the current generation (else None).

    The generation is not in the key but in the entry, so that the stamp and
    the entry come back in one cache round trip, the cost of a page-cache hit
    besides the query. `store_entry` tags the entry with the generation read
    *before* rendering: a bump during a render leaves that entry unusable.
    `others`: more keys read in the same round trip, returned as found
    (`stamped_value` tells whether one holds for the generation)."""
    cursor, event_at = newest_event(topics)
    # The reference date is in the key, like the cursor: answers turn "to check"
    # at midnight in Paris with no event (forum/legal_dates.py).
    reference = legal_dates.current_reference_date()
    key = "page:" + digest(release(), cursor, reference, *key_parts)
    found = cache.get_many([GENERATION_KEY, key, *others])
    stamp = found.get(GENERATION_KEY)
    if stamp is None:
        stamp = generation()
    entry = found.get(key)
    if entry is not None and (not isinstance(entry, tuple) or entry[0] != stamp):
        entry = None
    version = _version(cursor, event_at, stamp, reference)
    return version, key, entry[1:] if entry else None, {other: found.get(other) for other in others}


def stamped_value(found: object, version: Version) -> object:
    """What `store_stamped` stored, if stored under `version`'s generation, else None."""
    if isinstance(found, tuple) and len(found) == 2 and found[0] == version.generation:
        return found[1]
    return None


def store_stamped(key: str, version: Version, value: object, *, timeout: int) -> None:
    """A value shared under a key without the generation (so that it can be
    read with the version, `version_and_entries`), valid for this generation only."""
    cache.set(key, (version.generation, value), timeout=timeout)


def still_current(made_from: Version, topics: list[str] | None, *, may_lag: frozenset[str] = frozenset()) -> bool:
    """Whether nothing a response shows changed while it was made from
    `made_from`: one that ends after a change's commit may reach the HTTP
    cache in front after that change's ban (forum/http_cache.py), so it is
    not offered to it. `version()` again; False if it fails."""
    try:
        now = version(topics)
        if now.generation != made_from.generation:
            return False
        if now.cursor == made_from.cursor:
            return True
        # Search results (every topic) may lag what only adds to them: the
        # cache keeps them through such events (`may_lag`: the callers pass
        # forum.events.SEARCH_MAY_LAG, which imports this module), so one made
        # while a new answer committed may be kept as well. Under one answer a
        # second, nearly every search would otherwise be refused (and each
        # term searched again for every reader for a while).
        return topics is EVERY_TOPIC and bool(may_lag) and _only(may_lag, made_from.cursor, now.cursor)
    except Exception:
        logger.warning("Could not read the version again; not sharing the response", exc_info=True)
        return False


def _only(names: frozenset[str], after: int, upto: int) -> bool:
    """Whether every event in (after, upto] is one of `names`: a range of the
    primary key, a few rows (those of one render)."""
    return not Event.objects.filter(id__gt=after, id__lte=upto).exclude(name__in=names).exists()


def store_entry(key: str, version: Version, entry: tuple, *, timeout: int) -> None:
    cache.set(key, (version.generation, *entry), timeout=timeout)


def newest_event(topics: list[str] | None) -> tuple[int, datetime | None]:
    """The newest event of `topics` (id, time), or (0, None): one query,
    compiled once per shape (vendor, number of topics) on PostgreSQL, since
    building it with the ORM cost as much CPU as running it, on every
    cache hit (docs/benchmarks.md)."""
    row = _newest_event_query(None if topics is EVERY_TOPIC else len(topics)).first(*(topics or ()))
    return (row["id"], row["created_at"]) if row else (0, None)


@memoize
def _newest_event_query(count: int | None) -> compiled_sql.CompiledQuery:
    markers = () if count is None else tuple(compiled_sql.marker_text(i) for i in range(count))
    return compiled_sql.CompiledQuery(
        lambda *topics: (
            Event.objects.filter(pk=topics_cursor(list(topics) if count is not None else None))
            .values("id", "created_at")
            .order_by("pk")[:1]
        ),
        markers,
    )


def generation() -> int:
    """The current generation: nanoseconds since the epoch at the last bump.
    Initialised to "now" when missing (first start, eviction, flush), never to
    a constant, so that an evicted stamp cannot come back to a value under
    which older pages were stored."""
    stamp = cache.get(GENERATION_KEY)
    if stamp is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        stamp = cache.get(GENERATION_KEY) or time.time_ns()
    return stamp


def bump_generation() -> None:
    """Every shared page and ETag changes, once the current transaction
    commits (a page rendered before the commit must not be stored under the
    new stamp). For changes that no topic's event announces."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:
        # The cache is unreachable, so it serves nothing stale either.
        logger.warning("Could not bump the page generation", exc_info=True)
    http_cache.ban_everything()


# What renders a page besides data: a deploy changes these files.
_RELEASE_DIRS = ("config", "forum", "frontend", "api", "locale")
_RELEASE_SUFFIXES = {".py", ".html", ".mo", ".js", ".css"}


@memoize
def release() -> str:
    """The deployed code's stamp: `settings.PAGE_CACHE_RELEASE` when set, else
    a digest of the names, sizes and times of the files that render pages (the
    same in every worker of one deployment; computed once per process)."""
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    digest = hashlib.blake2b(digest_size=8)
    base = Path(settings.BASE_DIR)
    for folder in _RELEASE_DIRS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES and "tests" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
