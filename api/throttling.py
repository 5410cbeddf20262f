"""Request rates, from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].

Reads count per address ("anon_read") or per member ("user_read"). Writes count
per member in the scope the view names: `write_scope = "vote"`, or per method
`write_scopes = {"post": "ask"}`; "write" otherwise. Logging in counts per
address ("auth").

Counted as a sliding window estimated from two fixed ones (the previous
window's count weighed by how much of it still overlaps the last `duration`
seconds, plus the current one's): one atomic INCR and one read in a single
Redis round trip per request, whatever the rate. DRF's own throttle keeps a
log of every request's time, read, trimmed and written back whole (two round
trips and a list of up to `num_requests` floats each time), and is not atomic
(20 parallel requests could pass a limit of 10: docs/known-traps.md). A
refused request is not counted.

These protect the servers, not the content: the limits that matter for
content (posts per day, duplicates) are the services'
(forum.services.ratelimits), which answer with RateLimited -> 429 as well.
They count rows in PostgreSQL, so a Redis outage leaves them exact; these
throttles then count per process (the "throttles" cache alias).
"""

import contextlib
import math

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from config.resilient_cache import window_counts


class _ScopedThrottle(SimpleRateThrottle):
    # The "throttles" alias falls back to an in-process count while Redis is
    # unreachable (config/resilient_cache.py): still a limit, per process.
    cache = ConnectionProxy(caches, "throttles")

    def __init__(self):
        # The scope depends on the request, so the rate is read in allow_request.
        pass

    def _use_scope(self, scope: str) -> None:
        self.scope = scope
        # Read now, not at import like DRF's THROTTLE_RATES, so a changed
        # setting (tests, a reload) applies.
        self.rate = api_settings.DEFAULT_THROTTLE_RATES[scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view) -> bool:
        """Whether the request fits, its scope set by the subclass first."""
        key = self.get_cache_key(request, view)
        if key is None or self.num_requests is None:
            return True
        window, elapsed = divmod(self.timer(), self.duration)
        current_key, previous_key = f"{key}:{int(window)}", f"{key}:{int(window) - 1}"
        # Kept two windows: the next window reads this one as its previous.
        previous, current = window_counts(self.cache, current_key, previous_key, 2 * self.duration)
        overlap = 1 - elapsed / self.duration
        if previous * overlap + current <= self.num_requests:
            return True
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to take back
            self.cache.decr(current_key)
        self._wait = self._seconds_until_one_fits(previous, current - 1, elapsed)
        return False

    def _seconds_until_one_fits(self, previous: int, current: int, elapsed: float) -> float:
        """When `previous * overlap + current + 1 <= num_requests` holds
        again, no other request counted meanwhile: later in this window as
        the previous one weighs less, or in the next, where this one's count
        is the previous."""
        limit, duration = self.num_requests, self.duration
        if current + 1 <= limit and previous:
            return max(1.0, (1 - (limit - current - 1) / previous) * duration - elapsed)
        in_next = max(0.0, 1 - (limit - 1) / current) if current else 0.0
        return max(1.0, duration - elapsed + in_next * duration)

    def wait(self) -> float:
        return math.ceil(self._wait)

    def get_cache_key(self, request, view) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadRateThrottle(_ScopedThrottle):
    def allow_request(self, request, view) -> bool:
        if request.method not in SAFE_METHODS:
            return True
        self._use_scope("user_read" if request.user and request.user.is_authenticated else "anon_read")
        return super().allow_request(request, view)


class WriteRateThrottle(_ScopedThrottle):
    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        scopes = getattr(view, "write_scopes", {})
        self._use_scope(scopes.get(request.method.lower(), getattr(view, "write_scope", "write")))
        return super().allow_request(request, view)


class LoginRateThrottle(_ScopedThrottle):
    """Per address, whatever the credentials: guessing passwords costs the guesser."""

    def allow_request(self, request, view) -> bool:
        self._use_scope("auth")
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
