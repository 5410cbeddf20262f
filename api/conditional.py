"""Conditional GETs for the REST reads of threads (docs/api.md, "Conditional
requests"; docs/architecture.md, "Caching").

Anonymous readers get an ETag computed from the version of the topics the
response shows (`forum.page_versions`), *before* anything is read or
serialised: a revalidation that matches costs one small query, and the body
of that version is shared through the cache by every anonymous reader (its
view count may lag by PAGE_CACHE_SECONDS). So do the members whose thread
list is anyone's (`Conditional(..., lists=True)`). Other signed-in members
see per-member state that no single version covers (their flags, the
policy's flags, rate limits, their own held threads), so theirs is a digest
of the serialised body: exact, and it still saves the transfer, not the work,
unless the read says what it shows of them (`reader=`): a thread read by a
member who took no part in it shows them what it shows every such member,
so they share one body per version too.
"""

import hashlib
import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from rest_framework.response import Response

from forum import events, http_cache, page_versions, queries

logger = logging.getLogger(__name__)

# The view count changes on every read and no event announces it: it is left
# out of every comparison (a 304 may carry an older count).
IGNORED_FIELDS = {"view_count"}


class Conditional:
    """One conditional read: `check()` first, then `finish(response)`.

    `lists`: the response is a list of threads, which a member whose lists
    are anyone's (`queries.sees_lists_as_any_member`: no held or discreet
    question of theirs, no badge, not a moderator) sees exactly as an
    anonymous reader does: they share the anonymous body and its ETag.

    `reader`: the response shows the member's own flags, but `reader()`
    tells what it shows of them when that is the same for every member it
    returns it for (a tuple; None when the body is theirs alone: a thread
    they took part in, or their lists are not anyone's): they share one
    members' body per version and tuple."""

    def __init__(
        self, request, topics: list[str] | None, *, lists: bool = False, reader: Callable[[], tuple | None] = None
    ):
        self.request = request
        self.anonymous = not request.user.is_authenticated
        self.lists = lists
        # Reads the version's body: anonymous readers, members whose list is
        # anyone's, and the members a `reader` read vouches for (their own key).
        self.reader = None if self.anonymous or lists else reader
        self.variant: tuple | None = ()
        if not self.anonymous:
            self.variant = None
            if self.reader is not None:
                self.variant = self._reader_variant()
            elif lists and queries.sees_lists_as_any_member(request.user):
                self.variant = ()
        self.shared = self.variant is not None
        self.etag = None
        self.last_modified = None
        self.key = None
        self.topics = topics
        self.version = None
        if self.shared:
            version = self.version = page_versions.version(topics)
            parts = (get_language(), request.get_host(), request.get_full_path(), request.headers.get("Accept", ""))
            token = version.token(*parts, *self.variant)
            self.etag = f'W/"{token}"'
            self.key = f"api:{token}"
            self.last_modified = version.last_modified()

    def unshare(self) -> None:
        """This reader's body is theirs alone after all (a read found them to
        be the thread's asker): revalidated against its digest, never stored."""
        self.shared = False
        self.reader = None
        self.etag = self.key = self.last_modified = None

    def cached(self):
        """The body stored for this exact version (its readers share it), or None."""
        if self.key is None:
            return None
        try:
            return cache.get(self.key)
        except Exception:
            logger.warning("API cache unreachable; serialising", exc_info=True)
            return None

    def _reader_variant(self) -> tuple | None:
        shown = self.reader()
        return None if shown is None else ("member", *shown)

    def store(self, data) -> None:
        """Keep `data` for the version's other readers. A members' body is kept
        only if what it shows of its reader still holds: one made while they
        took part (a vote from another device) is theirs alone."""
        if self.key is None:
            return
        if self.reader is not None and self._reader_variant() != self.variant:
            return
        try:
            cache.set(self.key, data, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Could not store an API response in the cache", exc_info=True)

    def check(self) -> Response | None:
        """A 304 for a reader of the shared body whose copy is current, else None."""
        if (
            not self.shared
            or get_conditional_response(self.request, etag=self.etag, last_modified=self.last_modified, response=None)
            is None
        ):
            return None
        return self.finish(Response(status=304))

    def finish(self, response: Response, data=None, *, shared: bool = False, members: bool = False) -> Response:
        """Sets the validators; for a member, compares the digest of `data`.
        `shared`: an anonymous 200 the HTTP cache in front may keep for every
        anonymous reader (forum/http_cache.py): a body from the cache, or one
        made from data that did not change meanwhile. Not for a read with a
        side effect per reader, unless the cache asks the application about
        each reader first (the thread detail's view count: api/edge_reader.py).
        A list is the same for the members whose lists are anyone's: the cache
        may answer them from it, and keep theirs for everyone. `members`: a
        body every member the `reader` read vouches for shares, the cache may
        keep for them (a copy of its own: the cache asks which it is)."""
        # Anonymous, or a body every such member shares (read before the check
        # below, which needs the version those bodies are read at).
        for_members = not self.anonymous and self.shared and (self.lists or (members and self.reader is not None))
        if (
            shared
            and (self.anonymous or for_members)
            and response.status_code == 200
            and http_cache.enabled()
            and (data is None or page_versions.still_current(self.version, self.topics, may_lag=events.SEARCH_MAY_LAG))
        ):
            http_cache.share(response, self.topics, members=self.lists or for_members)
        if not self.shared and data is not None:
            self.etag = _digest(data, self.request.user.pk)
            if self.etag in _if_none_match(self.request):
                response = Response(status=304)
        if self.etag:
            response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        # Members' responses hold their own flags.
        patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
        return response


def thread_reader(request, pk: int) -> tuple | None:
    """What a thread's answers (REST) show of a member,
    for `Conditional(reader=...)`: nothing of their own when their lists are
    anyone's and they took part in the thread in no way (did not ask, answer,
    vote or report there: `queries.thread_reader_state`, one query), so every
    such member reads the same body; None otherwise. Following is not in
    these bodies."""
    return None if queries.thread_reader_state(request.user, pk) is None else ()


def _digest(data, user_id) -> str:
    def strip(value):
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key not in IGNORED_FIELDS}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    raw = json.dumps([strip(data), user_id], sort_keys=True, default=str)
    return f'W/"{hashlib.sha256(raw.encode()).hexdigest()[:32]}"'


def _if_none_match(request) -> list[str]:
    header = request.headers.get("If-None-Match", "")
    return [tag.strip() for tag in header.split(",") if tag.strip()]
