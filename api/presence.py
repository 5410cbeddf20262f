"""Who is reading a thread right now ("12 personnes lisent cette question").

Counted across every server process, so it lives where they all see it: a
Redis sorted set per thread, one member per reader (the member id for a
logged-in reader, so two tabs count once; the connection for an anonymous
one), scored by an expiry time. Each process refreshes its own readers every
PRESENCE_INTERVAL seconds; a process that dies stops refreshing and its readers
expire after PRESENCE_TTL. Without Redis (the embedded default) there is one
process, and its own connections are everyone.

Presence is a courtesy, never a reason to fail: any error is logged and the
count is skipped.
"""

import logging
import time
import uuid

from django.conf import settings

logger = logging.getLogger(__name__)

PRESENCE_TTL = 30
PRESENCE_INTERVAL = 10
_PROCESS = uuid.uuid4().hex[:12]


def presence_key(user_id: int | None, connection: object) -> str:
    return f"u{user_id}" if user_id else f"c{_PROCESS}.{id(connection):x}"


def counts_presence(topic: str) -> bool:
    # Threads show "N readers"; live sessions their viewer count.
    return topic.startswith(("thread:", "live:"))


class LocalPresence:
    """One process: count the distinct readers among the hub's own members."""

    def __init__(self, hub):
        self.hub = hub

    async def enter(self, topic: str, key: str) -> None:
        return None

    async def leave(self, topic: str, key: str) -> None:
        return None

    async def refresh(self, topic: str, keys: set[str]) -> None:
        return None

    async def count(self, topic: str) -> int:
        entry = self.hub.topics.get(topic)
        return len(entry.readers) if entry else 0


class RedisPresence:
    def __init__(self, url: str):
        from redis import asyncio as aioredis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError

        # Short timeouts: a Redis that hangs (rather than refusing) must not
        # hold a subscription's presence frame or the refresh loop for long.
        self.redis = aioredis.Redis.from_url(
            url,
            socket_connect_timeout=1,
            socket_timeout=1,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        # Several sites (or test databases) may share one Redis.
        self.prefix = f"presence:{settings.DATABASES['default']['NAME']}:"

    async def enter(self, topic: str, key: str) -> None:
        await self.refresh(topic, {key})

    async def leave(self, topic: str, key: str) -> None:
        await self.redis.zrem(self.prefix + topic, key)

    async def refresh(self, topic: str, keys: set[str]) -> None:
        if not keys:
            return
        name = self.prefix + topic
        expires = time.time() + PRESENCE_TTL
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(name, dict.fromkeys(keys, expires))
            pipe.expire(name, PRESENCE_TTL * 2)
            await pipe.execute()

    async def count(self, topic: str) -> int:
        name = self.prefix + topic
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(name, "-inf", time.time())
            pipe.zcard(name)
            _removed, count = await pipe.execute()
        return int(count)


def presence_store(hub):
    url = settings.REDIS_URL
    return RedisPresence(url) if url else LocalPresence(hub)
