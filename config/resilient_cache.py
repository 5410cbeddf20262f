"""Django's Redis cache, made safe for Redis outages (docs/operations.md, "Failure modes").

Every reader of the cache treats it as an optimisation, so an unreachable Redis
must not turn a request into a 500 (docs/known-traps.md, "Redis unreachable
means 500s"). This backend catches Redis' connection errors in every operation
and then either fails open (`FALLBACK: "open"`, the default: a read misses, a
write is dropped, so pages are computed) or uses an in-process cache in the
meantime (`FALLBACK: "local"`: the API throttles' alias, so that a client is
still limited, per process, while Redis is away).

A circuit breaker, shared by every thread of the process (Django builds one
cache object per thread), stops asking Redis for `RETRY_SECONDS` after a
failure: a dead Redis costs one failed attempt per process per pause, not a
connection timeout per request. One warning is logged when an outage starts and
one line when Redis answers again, not one per request.

Writes lost during an outage may include invalidations (the page generation
of `forum.page_versions`, bumped when a name or a badge changes): the keys in
`FORGET_ON_RECOVERY` are deleted when Redis answers again, so that what
depends on them starts afresh instead of trusting a stamp that missed a bump.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# OSError covers a refused or reset socket that redis-py did not wrap.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class Breaker:
    """Whether to ask Redis now; one per location, shared by every thread."""

    def __init__(self, location: str, retry_seconds: float):
        self.location = location
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._closed_until = 0.0
        self.down_since: float | None = None

    def allows(self) -> bool:
        return time.monotonic() >= self._closed_until

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._closed_until = time.monotonic() + self.retry_seconds
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
        if first:
            logger.warning(
                "Redis cache unreachable (%s: %s); serving without it, retrying every %s s",
                type(exc).__name__,
                exc,
                self.retry_seconds,
                extra={"event": "cache.unreachable", "location": self.location},
            )

    def succeeded(self) -> bool:
        """True for the first success after an outage (once, whichever thread)."""
        if self.down_since is None:
            return False
        with self._lock:
            since, self.down_since = self.down_since, None
        if since is None:
            return False
        logger.warning(
            "Redis cache reachable again after %.1f s",
            time.monotonic() - since,
            extra={"event": "cache.recovered", "location": self.location},
        )
        return True


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_seconds: float) -> Breaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(location, retry_seconds)
        return _breakers[location]


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis-py `Redis` object around its pool for
    every operation (`get_client`): a third of the CPU of a cache read,
    measured on a page-cache hit (docs/benchmarks.md). A `Redis` object holds
    no connection of its own and is safe to share between threads: one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.fallback_mode = options.pop("FALLBACK", "open")
        if self.fallback_mode not in ("open", "local"):
            raise ValueError(f"FALLBACK must be 'open' or 'local', got {self.fallback_mode!r}")
        retry_seconds = float(options.pop("RETRY_SECONDS", 2))
        self.forget_on_recovery = list(options.pop("FORGET_ON_RECOVERY", []))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        # One breaker per alias: each notices the outage and the recovery itself
        # (the default alias must run its FORGET_ON_RECOVERY).
        self.breaker = breaker_for(f"{server}#{params.get('KEY_PREFIX', '')}#{self.fallback_mode}", retry_seconds)
        # LocMemCache shares its store by name across instances and threads.
        self.local = LocMemCache(f"resilient-fallback-{id(self.breaker)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def _guarded(self, name: str, default_result, *args, **kwargs):
        if self.breaker.allows():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                self.breaker.failed(exc)
            else:
                if self.breaker.succeeded():
                    self._forget()
                return result
        if self.fallback_mode == "local":
            return getattr(self.local, name)(*args, **kwargs)
        return default_result

    def _forget(self) -> None:
        if not self.forget_on_recovery:
            return
        try:
            super().delete_many(self.forget_on_recovery)
        except UNREACHABLE as exc:
            self.breaker.failed(exc)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as if added: callers that de-duplicate with `add` (views,
        # forum.services.questions.record_view) chose to count when the cache
        # is down rather than to count nothing.
        return self._guarded("add", True, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded("incr", delta, key, delta, version)

    def clear(self):
        return self._guarded("clear", None)

    def window_counts(self, current_key: str, previous_key: str, timeout: int) -> tuple[int, int]:
        """Add one to the counter at `current_key` (made with `timeout` when
        new) and read the one at `previous_key`: (previous, current), in one
        round trip, atomic as INCR is (api/throttling.py)."""
        if self.breaker.allows():
            try:
                current = self.make_and_validate_key(current_key)
                pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
                pipeline.incr(current)
                pipeline.expire(current, timeout, nx=True)
                pipeline.get(self.make_and_validate_key(previous_key))
                count, _expiry, previous = pipeline.execute()
            except UNREACHABLE as exc:
                self.breaker.failed(exc)
            else:
                if self.breaker.succeeded():
                    self._forget()
                return int(previous or 0), count
        if self.fallback_mode == "local":
            return window_counts(self.local, current_key, previous_key, timeout)
        return 0, 1


def window_counts(cache, current_key: str, previous_key: str, timeout: int) -> tuple[int, int]:
    """`ResilientRedisCache.window_counts` through Django's cache API, for
    the other backends (in-process caches, whose `incr` holds their lock)."""
    if hasattr(cache, "window_counts"):
        return cache.window_counts(current_key, previous_key, timeout)
    cache.add(current_key, 0, timeout)
    return cache.get(previous_key, 0), cache.incr(current_key)
