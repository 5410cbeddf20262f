"""Request rates, from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].

Reads count per address ("anon_read") or per member ("user_read"). Writes count
per member in the scope the view names: `write_scope = "vote"`, or per method
`write_scopes = {"post": "ask"}`; "write" otherwise. Logging in counts per
address ("auth").

These protect the servers, not the content: DRF's cache counters are not
atomic (20 parallel requests can pass a limit of 10, see docs/known-traps.md), so the
limits that matter for content (posts per day, duplicates) are the services'
(forum.services.ratelimits), which answer with RateLimited -> 429 as well.
They count rows in PostgreSQL, so a Redis outage leaves them exact; these
throttles then count per process (the "throttles" cache alias).
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


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
