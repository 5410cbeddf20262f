"""The Redis cache backend fails open (or counts locally) while Redis is away,
and starts afresh when it is back (config/resilient_cache.py), on a real,
private redis-server that the test stops and starts."""

import logging
import time

import pytest
import redis

from config.resilient_cache import ResilientRedisCache
from tests.support.private_services import PrivateRedis

pytestmark = pytest.mark.redis


@pytest.fixture
def private_redis():
    server = PrivateRedis().start()
    yield server
    server.close()


def make_cache(server: PrivateRedis, fallback: str, **options) -> ResilientRedisCache:
    return ResilientRedisCache(
        server.url(),
        {
            # A prefix of its own per test: breakers are shared by location.
            "KEY_PREFIX": f"{fallback}-{time.monotonic_ns()}",
            "OPTIONS": {"FALLBACK": fallback, "RETRY_SECONDS": 1, "socket_connect_timeout": 0.5, "socket_timeout": 1}
            | options,
        },
    )


def test_it_fails_open_while_redis_is_down_and_says_so_once(private_redis, caplog):
    cache = make_cache(private_redis, "open")
    cache.set("page", "stored")
    assert cache.get("page") == "stored"

    private_redis.stop()
    caplog.set_level(logging.WARNING, logger="config.resilient_cache")
    started = time.monotonic()
    assert cache.get("page") is None
    assert cache.get("page", "default") == "default"
    assert cache.set("page", "new") is None
    assert cache.add("views", 1) is True  # counted, as record_view chose for an outage
    assert cache.get_many(["a", "b"]) == {}
    elapsed = time.monotonic() - started
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1
    # One failed attempt, then the breaker answers without asking Redis.
    assert elapsed < 2


def test_it_counts_locally_while_redis_is_down_for_the_throttles(private_redis):
    cache = make_cache(private_redis, "local")
    private_redis.stop()
    cache.set("throttle_anon_1.2.3.4", [1.0, 2.0])
    assert cache.get("throttle_anon_1.2.3.4") == [1.0, 2.0]


def test_the_throttles_window_counts_go_to_redis_and_locally_while_it_is_down(private_redis):
    cache = make_cache(private_redis, "local")
    assert cache.window_counts("throttle:7", "throttle:6", 120) == (0, 1)
    cache.set("throttle:6", 4)
    assert cache.window_counts("throttle:7", "throttle:6", 120) == (4, 2)
    assert 0 < redis.Redis.from_url(private_redis.url()).ttl(cache.make_and_validate_key("throttle:7")) <= 120

    private_redis.stop()
    assert cache.window_counts("throttle:7", "throttle:6", 120) == (0, 1)
    assert cache.window_counts("throttle:7", "throttle:6", 120) == (0, 2)


def test_it_uses_redis_again_and_forgets_the_generation_when_redis_is_back(private_redis, caplog):
    cache = make_cache(private_redis, "open", FORGET_ON_RECOVERY=["pages:generation"])
    private_redis.stop()
    assert cache.get("pages:generation") is None

    private_redis.start()
    # A stamp another process wrote while this one could not reach Redis (this
    # one may have missed a bump): it must not be trusted after the outage.
    redis.Redis(port=private_redis.port).set(cache.make_key("pages:generation"), 111)
    time.sleep(1.1)  # the breaker's pause
    caplog.set_level(logging.WARNING, logger="config.resilient_cache")
    cache.set("other", "x")
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    assert cache.get("other") == "x"
    assert cache.get("pages:generation") is None


def resilient_caches(server: PrivateRedis) -> dict:
    options = {"RETRY_SECONDS": 1, "socket_connect_timeout": 0.5, "socket_timeout": 1}
    return {
        alias: {
            "BACKEND": "config.resilient_cache.ResilientRedisCache",
            "LOCATION": server.url(),
            "OPTIONS": options | {"FALLBACK": fallback},
        }
        for alias, fallback in (("default", "open"), ("throttles", "local"))
    }


@pytest.mark.django_db
def test_with_redis_down_pages_answer_and_api_reads_are_still_limited_per_process(
    settings, private_redis, client, caplog
):
    settings.CACHES = resilient_caches(private_redis)
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] | {"anon_read": "5/min"}
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": rates}
    private_redis.stop()
    caplog.set_level(logging.WARNING, logger="config.resilient_cache")

    assert client.get("/").status_code == 200
    statuses = [client.get("/api/v1/threads/").status_code for _ in range(7)]

    # The local count still stops a client past its rate: no 500, no free pass.
    assert statuses == [200] * 5 + [429] * 2
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 2  # one per alias, not one per request


def test_reads_share_one_redis_client_and_one_connection_and_still_recover(private_redis):
    """Django's backend builds a redis-py client per operation; ours keeps one
    per pool (a third of a page-cache hit's CPU), through an outage too."""
    cache = make_cache(private_redis, "open")
    before = redis.Redis(port=private_redis.port).info("stats")["total_connections_received"]
    for number in range(20):
        cache.set(f"key{number}", number)
        assert cache.get(f"key{number}") == number
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    assert redis.Redis(port=private_redis.port).info("stats")["total_connections_received"] - before <= 2

    private_redis.stop()
    assert cache.get("key1") is None
    private_redis.start()
    time.sleep(1.1)  # RETRY_SECONDS
    cache.set("key1", "again")
    assert cache.get("key1") == "again"
