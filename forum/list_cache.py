"""Shared, version-keyed caches of the expensive parts of question lists that
signed-in members would otherwise recompute on every request (anonymous
pages are already whole in the page cache, frontend/page_cache.py):

- the facet counts below a list, counted on the *public* list (published
  questions only) and keyed by the version of the list's topics
  (forum.page_versions): asking, hiding or restoring a question publishes an
  event on `feed`, so the next read counts again, exactly;
- the top ids of "popular this week" (forum.queries.with_hot_score).

A member's own pending questions are left out of the counts: counting them
would need a count per member, which is the cost this module removes, and a
facet count is a hint for refining the list, not a total anyone relies on.
The list itself still shows them.

The cache is an optimisation: when it is unreachable, the value is computed.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache

from config.unavailable import is_database_unavailable
from forum import events, page_versions
from forum.validation import normalise_tag

logger = logging.getLogger(__name__)

# "Popular this week" slides with time as well as with events: its top ids
# are also recounted at least this often.
HOT_IDS_SECONDS = 60


def list_topics(tag: str | None = None) -> list[str]:
    """The topics whose events change a question list: every question change
    is announced on `feed`; a tag's list also on its tag topic."""
    slug = normalise_tag(tag) if tag else ""
    return [events.tag_topic(slug), events.FEED] if slug else [events.FEED]


def cached(kind: str, topics: list[str], parts: tuple, compute: Callable[[], object], *, timeout: int):
    """`compute()`, shared by every reader under the current version of
    `topics` and `parts` (what else decides the value)."""
    try:
        key = f"list:{kind}:" + page_versions.version(topics).token(*parts)
        value = cache.get(key)
    except Exception as exc:
        if is_database_unavailable(exc):
            raise  # the version is read from the database: a 503, not a cache problem
        logger.warning("List cache unreachable; computing", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=timeout)
        except Exception:
            logger.warning("Could not store a list value in the cache", exc_info=True)
    return value
