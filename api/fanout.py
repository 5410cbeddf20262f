"""Process-local fan-out of forum events to the websocket connections of this
process.

The stock Channels shape gives every connection its own layer channel: on
RedisPubSubChannelLayer that is one Redis subscription per connection, and
every event is then deserialised, queued, woken up and dispatched once per
watcher (with, since Channels 4.2, a thread hop per message; docs/known-traps.md).
Fan-out to thousands of watchers is bound by that per-watcher CPU.

Here one `Hub` per process (per event loop) holds the layer channel instead:
it joins the group of each topic that at least one local connection follows,
receives each event once per process, and hands the already-decoded message to
each subscribed connection through a plain method call (`on_event`), which
filters it by audience and writes the frame. No database access, no task, no
copy per watcher in the common case; a connection whose socket is slow buffers
its own frames (see `StreamConsumer.push`) without holding up the others.
"""

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field
from typing import Protocol

from channels.layers import get_channel_layer

from config.metrics import FANOUT_LAG
from forum import events

from .layer_watch import CLOSE_TRY_AGAIN, LayerWatch
from .presence import PRESENCE_INTERVAL, counts_presence, presence_store

logger = logging.getLogger(__name__)


class Subscriber(Protocol):
    presence_key: str

    def on_event(self, message: dict) -> None: ...

    def on_presence(self, topic: str, count: int) -> None: ...

    async def close_with(self, code: int) -> None: ...


@dataclass
class _Topic:
    members: set = field(default_factory=set)
    # The group_add in flight: a second local subscriber must wait for it too,
    # or its catch-up could run before this process receives the topic live.
    joined: asyncio.Future | None = None
    # The reader count last told to this process's members.
    presence: int | None = None


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.topics: dict[str, _Topic] = {}
        self._task: asyncio.Task | None = None
        self._presence_task: asyncio.Task | None = None
        self._starting = asyncio.Lock()
        self.presence = presence_store(self)
        # Every open socket of this process, subscribed or not: what a layer
        # outage (api/layer_watch.py) or a shutdown (api/going_away.py) closes.
        self.connections: weakref.WeakSet[Subscriber] = weakref.WeakSet()
        self.watch = LayerWatch(on_lost=lambda: asyncio.ensure_future(self.close_all(CLOSE_TRY_AGAIN)))

    def attach(self, connection: Subscriber) -> bool:
        """Count an open socket; False when the layer is known to be
        unreachable (the socket should be refused with CLOSE_TRY_AGAIN)."""
        self.watch.start()
        self.connections.add(connection)
        return self.watch.reachable

    def detach(self, connection: Subscriber) -> None:
        self.connections.discard(connection)

    async def close_all(self, code: int) -> None:
        closing = list(self.connections)
        if closing:
            logger.warning("Closing %d websockets with %d", len(closing), code, extra={"event": "ws.close_all"})
        await asyncio.gather(*(connection.close_with(code) for connection in closing), return_exceptions=True)

    async def join(self, topic: str, subscriber: Subscriber) -> None:
        """Returns once this process receives `topic` live."""
        await self._start()
        entry = self.topics.get(topic)
        if entry is None:
            entry = self.topics[topic] = _Topic()
            entry.joined = asyncio.ensure_future(self.layer.group_add(events.group_name(topic), self.channel))
        entry.members.add(subscriber)
        try:
            await asyncio.shield(entry.joined)
        except BaseException:
            self._forget(topic, subscriber)
            if entry.joined.done() and not entry.joined.cancelled() and entry.joined.exception():
                # The next subscriber retries the group_add instead of inheriting the failure.
                self.topics.pop(topic, None)
            raise

    async def leave(self, topic: str, subscriber: Subscriber) -> None:
        last = self._forget(topic, subscriber)
        if counts_presence(topic):
            entry = self.topics.get(topic)
            if not entry or all(m.presence_key != subscriber.presence_key for m in entry.members):
                await self._quietly(self.presence.leave(topic, subscriber.presence_key))
        if last:
            await self.layer.group_discard(events.group_name(topic), self.channel)

    async def enter_presence(self, topic: str, subscriber: Subscriber) -> int | None:
        """Count `subscriber` as a reader of `topic`; the count, for it alone
        (the others hear of it at the next refresh)."""
        await self._quietly(self.presence.enter(topic, subscriber.presence_key))
        count = await self._quietly(self.presence.count(topic))
        entry = self.topics.get(topic)
        if entry is not None and entry.members == {subscriber}:
            entry.presence = count  # the only local reader, told right now
        return count

    async def refresh_presence(self) -> None:
        """Keep this process's readers alive and tell them how many they are,
        when that changed."""
        for topic, entry in list(self.topics.items()):
            if not counts_presence(topic):
                continue
            await self._quietly(self.presence.refresh(topic, {m.presence_key for m in entry.members}))
            count = await self._quietly(self.presence.count(topic))
            if count is None or count == entry.presence:
                continue
            entry.presence = count
            for member in tuple(entry.members):
                member.on_presence(topic, count)

    async def _quietly(self, awaitable):
        try:
            return await awaitable
        except Exception:
            logger.warning("Presence unavailable", exc_info=True)
            return None

    def _forget(self, topic: str, subscriber: Subscriber) -> bool:
        """Drop a member; True if the topic has no member left in this process."""
        entry = self.topics.get(topic)
        if entry is None:
            return False
        entry.members.discard(subscriber)
        if entry.members:
            return False
        del self.topics[topic]
        return True

    async def _start(self) -> None:
        if self._task is not None:
            return
        async with self._starting:
            if self._task is None:
                self.channel = await self.layer.new_channel(prefix="hub.")
                self._task = asyncio.create_task(self._run(), name="forum-event-hub")
                self._presence_task = asyncio.create_task(self._keep_presence(), name="forum-presence")

    async def _run(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The layer reconnects by itself; what is missed meanwhile is
                # caught up from the event log by the clients' cursors.
                logger.exception("Event hub could not receive; retrying")
                await asyncio.sleep(1)
                continue
            created_at = message.get("created_at")
            if created_at is not None:
                FANOUT_LAG.observe(max(0.0, time.time() - created_at))
            entry = self.topics.get(message.get("topic"))
            if entry is None:
                continue
            for subscriber in tuple(entry.members):
                try:
                    subscriber.on_event(message)
                except Exception:
                    # One connection's bug must not stop the stream for the others.
                    logger.exception("Could not deliver event %s", message.get("cursor"))

    async def _keep_presence(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_INTERVAL)
            await self.refresh_presence()


_hubs: dict = {}


def hub() -> Hub:
    """The hub of the running event loop (uvicorn runs one loop per process;
    tests run one loop per test)."""
    loop = asyncio.get_running_loop()
    current = _hubs.get(loop)
    if current is None:
        for old_loop in [old for old in _hubs if old.is_closed()]:
            del _hubs[old_loop]
        current = _hubs[loop] = Hub(get_channel_layer())
    return current
