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
each subscribed connection through a plain method call (`on_events`), which
filters it by audience and writes the frame. Events that arrive while the hub
is still writing the previous ones are handed over together, and a client that
asked for batches gets them in one frame: under load, writes per socket grow
slower than events. No database access, no task, no
copy per watcher in the common case; a connection whose socket is slow buffers
its own frames (see `StreamConsumer.push`) without holding up the others.

The layer is a hint and can lose an event while a socket stays open: the
process that committed it died before its on-commit send (SIGKILL, OOM), or
the send timed out (forum.events.LAYER_SEND_TIMEOUT). Catch-up by cursor only
runs when a client (re)subscribes, so a client that stays connected would never
hear of it. So each hub also sweeps the event log every `SWEEP_INTERVAL`
seconds: one range scan of the newest rows' ids and topics for the whole
process (not per socket, nothing on the hot path), and any event of a local
topic that has had a whole interval to arrive live and did not is rebuilt from
its row and delivered like a live one. A lost hint arrives within two
intervals; each event is delivered at most once per process.
"""

import asyncio
import logging
import time
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from config.metrics import FANOUT_LAG, FRAMES_WRITTEN
from forum import events, queries

from . import direct_writes
from .layer_watch import CLOSE_TRY_AGAIN, LayerWatch
from .presence import PRESENCE_INTERVAL, counts_presence, presence_store

logger = logging.getLogger(__name__)

# How often a hub checks the log for events the layer lost, and how long an
# event may take to arrive live before the log delivers it: a lost hint
# reaches its sockets 1 to 2 intervals after its commit, so within the 5 s
# after which clients take a cursor as settled (docs/websocket.md, "Resuming
# after live events arrived out of order"). One range scan per process.
SWEEP_INTERVAL = 2.0
# Rows read per sweep at most; a larger burst (a notification fan-out) is
# read over the next sweeps.
SWEEP_BATCH = 5000
# How long the cursors delivered from the log are kept, to drop their live
# copy if it arrives after all (a publish stuck behind a slow Redis).
RECOVERED_MEMORY = 60.0
# Readers told a new count before the refresh lets the loop run anything
# else: thousands of presence frames in one go held the events that arrived
# meanwhile behind them (bench/live_sessions.py).
PRESENCE_BURST = 200


class Subscriber(Protocol):
    presence_key: str

    def on_events(self, messages: list[dict], shared: dict) -> None: ...

    def on_presence(self, topic: str, count: int) -> None: ...

    async def close_with(self, code: int) -> None: ...


class FailureLog:
    """A warning for a failure that comes in bursts: when 2,500 sockets of a
    live session close at once, each one's presence update can fail (the Redis
    pool runs out), and a traceback apiece buried the log. The first failure of
    a window is logged with its traceback, the others counted into the next."""

    WINDOW = 10.0

    def __init__(self, message: str):
        self.message = message
        self.logged_at = float("-inf")
        self.unlogged = 0

    def note(self) -> None:
        now = time.monotonic()
        if now - self.logged_at < self.WINDOW:
            self.unlogged += 1
            return
        if self.unlogged:
            logger.warning("%s (%d more since the last one logged)", self.message, self.unlogged, exc_info=True)
        else:
            logger.warning(self.message, exc_info=True)
        self.logged_at, self.unlogged = now, 0


@dataclass
class _Topic:
    members: set = field(default_factory=set)
    # How many members each reader (presence key) has here: a reader leaves
    # when their last socket does. Kept as members come and go, because
    # scanning the members at every departure made a live session's
    # reconnections quadratic (a fifth of a server's time at 2,500 viewers).
    readers: Counter = field(default_factory=Counter)
    # The group_add in flight: a second local subscriber must wait for it too,
    # or its catch-up could run before this process receives the topic live.
    joined: asyncio.Future | None = None
    # The reader count last told to this process's members.
    presence: int | None = None

    def add(self, subscriber: Subscriber) -> None:
        if subscriber not in self.members:
            self.members.add(subscriber)
            self.readers[subscriber.presence_key] += 1

    def discard(self, subscriber: Subscriber) -> None:
        if subscriber in self.members:
            self.members.discard(subscriber)
            self.readers[subscriber.presence_key] -= 1
            if not self.readers[subscriber.presence_key]:
                del self.readers[subscriber.presence_key]


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self._presence_failures = FailureLog("Presence unavailable")
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
        # The log sweep (see the module's docstring). Every event at or below
        # `swept` was delivered, live or from the log, or needed by nobody
        # here; `checked_up_to` is the newest cursor the last sweep saw, the
        # bound of the next one (so an event gets a whole interval to arrive
        # live); `delivered` holds the live cursors above `swept`, and
        # `recovered` those the log delivered (with when), so that a live copy
        # arriving even later is dropped.
        self.swept: int | None = None
        self.checked_up_to = 0
        self.delivered: set[int] = set()
        self.recovered: dict[int, float] = {}
        self._sweep_task: asyncio.Task | None = None
        # Received from the layer, not yet handed to the subscribers.
        self.ready: list[dict] = []

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
        entry.add(subscriber)
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
            if not entry or subscriber.presence_key not in entry.readers:
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
            await self._quietly(self.presence.refresh(topic, set(entry.readers)))
            count = await self._quietly(self.presence.count(topic))
            if count is None or count == entry.presence:
                continue
            entry.presence = count
            for n, member in enumerate(tuple(entry.members), 1):
                member.on_presence(topic, count)
                if n % PRESENCE_BURST == 0:
                    await asyncio.sleep(0)

    async def _quietly(self, awaitable):
        try:
            return await awaitable
        except Exception:
            self._presence_failures.note()
            return None

    def _forget(self, topic: str, subscriber: Subscriber) -> bool:
        """Drop a member; True if the topic has no member left in this process."""
        entry = self.topics.get(topic)
        if entry is None:
            return False
        entry.discard(subscriber)
        if entry.members:
            return False
        del self.topics[topic]
        return True

    async def _start(self) -> None:
        if self._task is not None:
            return
        async with self._starting:
            if self._task is None:
                # Before the first group_add, so before any subscriber's
                # catch-up read: what that read misses is above this cursor.
                await self._start_sweeping_from_now()
                self.channel = await self.layer.new_channel(prefix="hub.")
                self._task = asyncio.create_task(self._run(), name="forum-event-hub")
                self._presence_task = asyncio.create_task(self._keep_presence(), name="forum-presence")
                self._sweep_task = asyncio.create_task(self._keep_sweeping(), name="forum-log-sweep")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
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
            cursor = int(message["cursor"])
            if cursor in self.recovered:
                continue  # later than a whole sweep interval: the log delivered it
            if self.swept is not None and cursor > self.swept:
                self.delivered.add(cursor)
            # Delivered once this loop has taken every message already
            # received (`receive` returns those without yielding): one event
            # when the process keeps up, all that arrived meanwhile when it
            # is busy writing, which a subscriber may write as one frame.
            self.ready.append(message)
            if len(self.ready) == 1:
                loop.call_soon(self._deliver_ready)

    def _deliver_ready(self) -> None:
        messages, self.ready = self.ready, []
        self._deliver(messages)

    def _deliver(self, messages: list[dict]) -> None:
        """Hand each local subscriber of a topic that topic's messages, in order."""
        now = time.time()
        by_topic: dict[str, list[dict]] = {}
        for message in messages:
            created_at = message.get("created_at")
            if created_at is not None:
                FANOUT_LAG.observe(max(0.0, now - created_at))
            by_topic.setdefault(message.get("topic"), []).append(message)
        for topic, topic_messages in by_topic.items():
            entry = self.topics.get(topic)
            if entry is None:
                continue
            # What the topic's subscribers share of this delivery (their
            # frames' bytes, when the same for all: StreamConsumer.on_events).
            shared: dict = {}
            for subscriber in tuple(entry.members):
                try:
                    subscriber.on_events(topic_messages, shared)
                except Exception:
                    # One connection's bug must not stop the stream for the others.
                    logger.exception("Could not deliver events %s", [m.get("cursor") for m in topic_messages])
        # Counted per delivery, not per socket (a metric's lock per write).
        direct, through_asgi = direct_writes.take_counts()
        if direct:
            FRAMES_WRITTEN.labels("direct").inc(direct)
        if through_asgi:
            FRAMES_WRITTEN.labels("asgi").inc(through_asgi)

    async def _start_sweeping_from_now(self) -> None:
        try:
            newest = await database_sync_to_async(queries.newest_cursor)()
        except Exception:
            # The database is away: the first sweep that reads it starts there.
            logger.warning("Event log unavailable: the sweep starts later", exc_info=True)
            return
        self.swept = self.checked_up_to = newest

    async def sweep(self) -> None:
        """Deliver the events of local topics that the layer lost: those up to
        the previous sweep's newest cursor that did not arrive live."""
        if self.swept is None:
            await self._start_sweeping_from_now()
            return
        rows = await database_sync_to_async(queries.event_topics_after)(self.swept, limit=SWEEP_BATCH)
        bound = self.checked_up_to
        due = [(cursor, topic) for cursor, topic in rows if cursor <= bound]
        lost = [cursor for cursor, topic in due if topic in self.topics and cursor not in self.delivered]
        if lost:
            for message in await database_sync_to_async(queries.layer_messages)(lost):
                cursor = int(message["cursor"])
                if cursor in self.delivered:
                    continue  # arrived live while the rows were read
                self.delivered.add(cursor)
                self.recovered[cursor] = time.monotonic()
                logger.warning(
                    "Event %s did not arrive through the channel layer: delivered from the log",
                    cursor,
                    extra={"event": "ws.hint_lost"},
                )
                self._deliver([message])
        # Everything up to the bound was read, unless a full batch stopped
        # before it: then up to the last row read.
        if len(rows) < SWEEP_BATCH or rows[-1][0] >= bound:
            self.swept = bound
        else:
            self.swept = rows[-1][0]
        if rows:
            self.checked_up_to = max(self.checked_up_to, rows[-1][0])
        self.delivered = {cursor for cursor in self.delivered if cursor > self.swept}
        if self.recovered:
            # A live copy later than this is not worth remembering for.
            forget_before = time.monotonic() - RECOVERED_MEMORY
            self.recovered = {cursor: at for cursor, at in self.recovered.items() if at >= forget_before}

    async def _keep_sweeping(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_INTERVAL)
            try:
                await self.sweep()
            except Exception:
                # The database is away: the next sweep reads from where this one stopped.
                logger.warning("Could not sweep the event log", exc_info=True)

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
