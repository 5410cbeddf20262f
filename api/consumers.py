"""The multiplexed event stream at /ws/: one socket, many topics.

A public contract like the REST API, documented in docs/websocket.md. The
consumer parses frames, asks `forum.queries` / `forum.permissions` whether a
subscription is allowed, replays what the client missed from the `Event` log,
then forwards live events that the process's hub (api/fanout.py) hands it. The
channel layer is only a hint (it drops messages under load, silently): the log
is what makes "nothing lost" true, through the cursors clients resume from.
"""

import asyncio
import contextlib
import functools
import json
import logging
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.utils import await_many_dispatch
from django.utils.translation import gettext as _

from config.metrics import WEBSOCKETS
from forum import events, queries, replay
from forum.exceptions import NotAllowed, NotFound

from . import direct_writes, going_away
from .direct_writes import text_frame
from .fanout import hub
from .layer_watch import CLOSE_TRY_AGAIN
from .presence import counts_presence, presence_key
from .ws_auth import INVALID_TOKEN

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
MAX_TOPICS = 50
# Catch-up replays at most this many events per topic; past that, re-fetching
# the page (or the REST resource) is cheaper than replaying its history.
CATCH_UP_LIMIT = 500
# Token bucket per connection: 20 frames/s sustained, bursts of 60 so that a
# client re-subscribing to all its MAX_TOPICS at once after a reconnect passes.
FRAME_RATE = 20.0
FRAME_BURST = 60.0

# Live frames a slow socket may have waiting; past that it is closed, and the
# client catches up from its cursor when it reconnects.
MAX_OUTBOX = 1000

# A batch frame (docs/websocket.md, "Batches") is at most this long, unless
# one frame in it is longer on its own.
MAX_BATCH_CHARS = 64 * 1024

# Close codes (4000-4999 are ours; documented in docs/websocket.md).
CLOSE_UNAUTHORIZED = 4401
CLOSE_SESSION_REVOKED = 4403
CLOSE_RATE_LIMITED = 4008
CLOSE_TOO_SLOW = 4009

TOPIC_RE = re.compile(
    r"^(?:feed|moderation|user:me|thread:[1-9][0-9]{0,17}|live:[1-9][0-9]{0,17}|tag:[a-z0-9_-]{1,50})$"
)
CURSOR_RE = re.compile(r"^[0-9]{1,18}$")

# Serialised event frames by (client topic, cursor): a cursor names one
# immutable event, so a thousand watchers of a thread share one json.dumps.
_frame_cache: dict[tuple[str, str], str] = {}
_FRAME_CACHE_SIZE = 1024


def wants_batches(scope) -> bool:
    """The client asked for batch frames with `?batch=1` on the socket's URL."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("batch", [""])[-1] == "1"


def batch_frame(texts: list[str]) -> str:
    """Frames (some maybe batches already) as one batch: a JSON array of frames."""
    parts = [text[1:-1] if text.startswith("[") else text for text in texts]
    return "[" + ",".join(parts) + "]"


def take_batch(texts: deque[str]) -> str:
    """The first frames of `texts` (removed from it) as one frame: a batch
    of those that fit in MAX_BATCH_CHARS, at least one."""
    taken = [texts.popleft()]
    size = len(taken[0])
    while texts and size + len(texts[0]) < MAX_BATCH_CHARS:
        size += len(texts[0]) + 1
        taken.append(texts.popleft())
    return taken[0] if len(taken) == 1 else batch_frame(taken)


def event_frame(topic: str, name: str, cursor: str, data: dict) -> str:
    key = (topic, cursor)
    frame = _frame_cache.get(key)
    if frame is None:
        if len(_frame_cache) >= _FRAME_CACHE_SIZE:
            _frame_cache.clear()
        frame = json.dumps(
            {"type": "event", "topic": topic, "event": name, "cursor": cursor, "data": data},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        _frame_cache[key] = frame
    return frame


# Events that are orders to this server about a member's sockets, not frames.
ORDERS = frozenset({events.SESSION_REVOKED, events.CREDENTIALS_REVOKED})


@functools.lru_cache(maxsize=256)
def presence_frame(client_topic: str, count: int) -> str:
    """A topic's reader count, the same text for each of its thousands of
    readers at a refresh (`Hub.refresh_presence`): made once."""
    return json.dumps({"type": "presence", "topic": client_topic, "count": count})


def shared_frames(messages: list[dict], *, batches: bool) -> tuple[int, bytes]:
    """For live events of one topic that every subscriber may read: the
    lowest cursor, and the bytes of their frames (as batches, or one frame
    per event, joined for one write). No bytes when one of them is not
    public: each subscriber then filters them (`_live_frame`)."""
    if any(message["audience"] != "public" or message["event"] in ORDERS for message in messages):
        return 0, b""
    texts = deque(
        event_frame(message["topic"], message["event"], message["cursor"], message["data"]) for message in messages
    )
    frames = []
    while texts:
        frames.append(text_frame(take_batch(texts) if batches else texts.popleft()))
    return min(int(message["cursor"]) for message in messages), b"".join(frames)


class FrameError(Exception):
    """A bad client frame: becomes an error frame, the socket stays open."""

    def __init__(self, code: str, message: str, topic: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.topic = topic


@dataclass(slots=True)
class Subscription:
    client_topic: str  # as the client named it ("user:me")
    topic: str  # as events are published ("user:42")
    # Live events at or below this cursor were already replayed by catch-up
    # (or predate a subscription without `since`) and are dropped. Never moved
    # by live events: the layer may deliver two processes' events out of
    # cursor order, and each must still be delivered once.
    floor: int
    # While the catch-up runs, live frames wait here (cursor, frame), so that
    # the replay always comes first; None once live.
    held: list[tuple[int, str]] | None = field(default_factory=list)
    # The reader count this client was last told (thread topics).
    presence: int | None = None


class TokenBucket:
    def __init__(self, rate: float, burst: float):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class StreamConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope, receive, send):
        # No channel-layer channel per connection: live events come from the
        # process's hub (api/fanout.py) through `on_events`, a plain method
        # call. So they skip Channels' dispatch entirely, and with it the
        # per-message aclose_old_connections() thread hop of Channels >= 4.2,
        # measured to cost 2-3x the CPU of the delivery itself (docs/known-traps.md):
        # forwarding an event touches no database. Client frames still go
        # through dispatch; their database work runs in database_sync_to_async,
        # which closes stale connections itself.
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        # Live frames straight to the transport when the server allows it
        # (api/direct_writes.py); None: always through `send`.
        self.write_now = direct_writes.writer_for(send)
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch([receive], self.dispatch)

    async def dispatch(self, message):
        # Channels >= 4.2 runs aclose_old_connections() (a thread hop) before
        # every handler, and websocket_disconnect once more: at a live
        # session's scale, connects, subscribes and departures spent a fifth
        # of a server's time there, contending with the fan-out for the GIL.
        # This consumer touches the database only through
        # database_sync_to_async, which closes stale connections in its own
        # thread (docs/known-traps.md).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message):
        # As AsyncWebsocketConsumer's, without its aclose_old_connections()
        # (see dispatch); this consumer joins no layer group of its own.
        await self.disconnect(message["code"])
        raise StopConsumer()

    # --- connection ------------------------------------------------------------

    async def connect(self):
        user = self.scope["user"]
        self.user_id: int | None = user.pk if user.is_authenticated else None
        self.is_moderator: bool = self.scope.get("is_moderator", False)
        # The credential this socket lives on: it closes (4401) when that ends.
        self.token_id: int | None = self.scope.get("token_id")
        self.session: str | None = self.scope.get("session")
        # Keyed by published topic: that is what events carry.
        self.subscriptions: dict[str, Subscription] = {}
        self.bucket = TokenBucket(FRAME_RATE, FRAME_BURST)
        self.closing = False
        self.hub = hub()
        # Live frames not yet written because the socket is slow (see push).
        self.outbox: deque[str] | None = None
        # Several live frames ready at once go out as one batch frame.
        self.batches = wants_batches(self.scope)
        self.tasks: set[asyncio.Task] = set()
        self.presence_key = presence_key(self.user_id, self)
        going_away.install(self.hub.close_all)
        if going_away.leaving:
            await self.accept()
            await self.close_with(going_away.CLOSE_GOING_AWAY)
            return
        if not self.hub.attach(self):
            # Redis is away: this socket would hear nothing. The client shows
            # "reconnecting", retries with backoff, and catches up once it is back.
            await self.accept()
            await self.close_with(CLOSE_TRY_AGAIN)
            return
        WEBSOCKETS.inc()
        self.counted = True
        # A member's sockets always listen to their private topic, subscribed
        # or not, so that a suspension or a ban (`session.revoked`) closes them,
        # and so does the end of their credential (`credentials.revoked`).
        self.own_topic: str | None = events.user_topic(self.user_id) if self.user_id else None
        if self.own_topic:
            await self.hub.join(self.own_topic, self)
        await self.accept()
        if self.scope.get("auth_error") == INVALID_TOKEN:
            await self.send_error("unauthorized", _("This token is invalid, expired or revoked: log in again."))
            await self.close_with(CLOSE_UNAUTHORIZED)

    async def disconnect(self, code):
        self.closing = True
        if hasattr(self, "hub"):
            self.hub.detach(self)
        if getattr(self, "counted", False):
            self.counted = False
            WEBSOCKETS.dec()
        topics = {subscription.topic for subscription in self.subscriptions.values()}
        if getattr(self, "own_topic", None):
            topics.add(self.own_topic)
        self.subscriptions = {}
        for topic in topics:
            try:
                await self.hub.leave(topic, self)
            except Exception:
                # Redis is away: the subscription ends with the layer's connection anyway.
                logger.warning("Could not leave %s", topic, exc_info=True)

    async def close_with(self, code: int) -> None:
        if self.closing:
            return
        self.closing = True
        await self.close(code=code)

    # --- client frames -----------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing:
            return
        if not self.bucket.take():
            await self.send_error("rate_limited", _("Too many messages: this connection is closed."))
            await self.close_with(CLOSE_RATE_LIMITED)
            return
        try:
            frame = self.parse(text_data, bytes_data)
            kind = frame.get("type")
            handler = self.frame_handlers.get(kind) if isinstance(kind, str) else None
            if handler is None:
                raise FrameError("unknown_type", _("Unknown frame type."))
            await handler(self, frame)
        except FrameError as error:
            await self.send_error(error.code, error.message, topic=error.topic)
        except Exception as error:
            if isinstance(error, OSError) and not isinstance(error, TimeoutError):
                # The client left while we answered (uvicorn raises ClientDisconnected,
                # an OSError, on the first write to a closed socket): nobody to tell,
                # disconnect() cleans up, and the server ends the connection quietly.
                # A TimeoutError is ours (a slow database or Redis), below.
                logger.debug("Client left during a frame: %.40s", text_data, exc_info=True)
                raise
            # A bug or a database outage must not look like a bad frame, nor
            # take the socket down with a 1011: the client may retry.
            logger.exception("Websocket frame failed: %.200s", text_data)
            await self.send_error("server_error", _("Something went wrong on our side. Try again later."))

    def parse(self, text_data: str | None, bytes_data: bytes | None) -> dict:
        if text_data is None:
            raise FrameError("invalid_frame", _("Frames must be JSON text, not binary."))
        if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            raise FrameError("frame_too_large", _("Frames are limited to 16 KiB."))
        try:
            frame = json.loads(text_data)
        except ValueError:
            raise FrameError("invalid_json", _("This frame is not valid JSON.")) from None
        if not isinstance(frame, dict):
            raise FrameError("invalid_frame", _("A frame must be a JSON object with a type."))
        return frame

    async def on_ping(self, frame: dict) -> None:
        await self.send_frame({"type": "pong"})

    async def on_subscribe(self, frame: dict) -> None:
        client_topic = self.parse_topic(frame)
        since = self.parse_since(frame, client_topic)
        if self.published_topic(client_topic) in self.subscriptions:
            raise FrameError("already_subscribed", _("Already subscribed to this topic."), client_topic)
        if len(self.subscriptions) >= MAX_TOPICS:
            raise FrameError(
                "too_many_topics", _("At most %(n)d topics per connection.") % {"n": MAX_TOPICS}, client_topic
            )
        topic = await self.authorise(client_topic)
        # Join first, then read the log: an event committed in between is both
        # in the catch-up and on its way live, and the floor drops the live
        # copy; the other order would lose it. Live frames that arrive during
        # the catch-up are held and written after it, so the replay comes first.
        subscription = Subscription(client_topic=client_topic, topic=topic, floor=since or 0)
        self.subscriptions[topic] = subscription
        try:
            await self.hub.join(topic, self)
            if since is None:
                subscription.floor = await database_sync_to_async(queries.topic_cursor)(topic)
            else:
                await self.catch_up(subscription, since)
            await self.send_frame({"type": "subscribed", "topic": client_topic, "cursor": str(subscription.floor)})
            # Held frames: written in arrival order, minus what the catch-up
            # already sent. Frames may still arrive while these are written;
            # they join the list until it is empty.
            while subscription.held:
                cursor, text = subscription.held.pop(0)
                if cursor > subscription.floor:
                    await self.send(text_data=text)
            subscription.held = None
            if counts_presence(topic):
                count = await self.hub.enter_presence(topic, self)
                if count is not None:
                    subscription.presence = count
                    await self.send_frame({"type": "presence", "topic": client_topic, "count": count})
        except BaseException:
            # No half subscription: the client is told to retry it whole.
            if self.subscriptions.get(topic) is subscription:
                del self.subscriptions[topic]
                if topic != self.own_topic:
                    await self.hub.leave(topic, self)
            raise

    async def catch_up(self, subscription: Subscription, since: int) -> None:
        # Re-presented for this connection from the current state of each
        # event's subject (forum/replay.py): catch-up is a read path, and must
        # not replay what REST would refuse now.
        result = await database_sync_to_async(replay.catch_up)(
            topic=subscription.topic,
            since=since,
            user=self.scope["user"],
            is_moderator=self.is_moderator,
            limit=CATCH_UP_LIMIT,
        )
        if result.resync:
            # Too much to replay, or a cursor the log cannot honour (pruned, or
            # newer than the log itself): the client reloads its state instead,
            # then follows live events from the newest cursor on this topic.
            subscription.floor = result.cursor
            await self.send_frame(
                {"type": "resync", "topic": subscription.client_topic, "cursor": str(subscription.floor)}
            )
            return
        # Not `event_frame`: its cache is shared by every watcher of a topic,
        # and a replayed frame is this viewer's alone.
        texts = deque(
            json.dumps(
                {
                    "type": "event",
                    "topic": subscription.client_topic,
                    "event": name,
                    "cursor": str(cursor),
                    "data": data,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for cursor, name, data in result.events
        )
        # A batch client gets the replay in batches too: a reconnect after a
        # busy minute is then one write, not one per event missed.
        while texts:
            await self.send(text_data=take_batch(texts) if self.batches else texts.popleft())
        if result.events:
            subscription.floor = result.events[-1][0]
        subscription.floor = max(subscription.floor, result.cursor)

    async def on_unsubscribe(self, frame: dict) -> None:
        client_topic = self.parse_topic(frame)
        topic = self.published_topic(client_topic)
        if self.subscriptions.pop(topic, None) is not None and topic != self.own_topic:
            await self.hub.leave(topic, self)
        # Idempotent: unsubscribing twice is not an error.
        await self.send_frame({"type": "unsubscribed", "topic": client_topic})

    frame_handlers = {"ping": on_ping, "subscribe": on_subscribe, "unsubscribe": on_unsubscribe}

    def parse_topic(self, frame: dict) -> str:
        topic = frame.get("topic")
        if not isinstance(topic, str) or not TOPIC_RE.match(topic):
            raise FrameError(
                "invalid_topic",
                _("Unknown topic: use thread:<id>, live:<id>, feed, tag:<slug>, user:me or moderation."),
                topic if isinstance(topic, str) and len(topic) <= 100 else None,
            )
        return topic

    def parse_since(self, frame: dict, topic: str) -> int | None:
        since = frame.get("since")
        if since is None:
            return None
        if isinstance(since, int) and not isinstance(since, bool) and since >= 0:
            return since
        if isinstance(since, str) and CURSOR_RE.match(since):
            return int(since)
        raise FrameError("invalid_cursor", _("`since` must be a cursor received from the server, or null."), topic)

    def published_topic(self, client_topic: str) -> str:
        if client_topic == "user:me":
            return events.user_topic(self.user_id) if self.user_id else client_topic
        return client_topic

    async def authorise(self, client_topic: str) -> str:
        """The published topic for a subscription this connection may make."""
        if client_topic == "user:me":
            if self.user_id is None:
                raise FrameError("unauthorized", _("Log in to follow your own notifications."), client_topic)
            return events.user_topic(self.user_id)
        if client_topic == "moderation":
            if not self.is_moderator:
                raise FrameError("forbidden", _("This topic is reserved for moderators."), client_topic)
            return client_topic
        if client_topic.startswith("thread:"):
            try:
                await database_sync_to_async(queries.get_visible_question)(
                    self.scope["user"], client_topic.partition(":")[2]
                )
            except NotFound:
                raise FrameError(
                    "not_found", _("This question does not exist or is not visible."), client_topic
                ) from None
            except NotAllowed as error:
                raise FrameError("forbidden", str(error), client_topic) from None
        # Sessions are public; held questions reach only their author and
        # moderators through the event audience, like held posts.
        if client_topic.startswith("live:") and not await database_sync_to_async(queries.live_session_exists)(
            client_topic.partition(":")[2]
        ):
            raise FrameError("not_found", _("This live session does not exist."), client_topic)
        return client_topic

    # --- live events -----------------------------------------------------------------

    def on_events(self, messages: list[dict], shared: dict | None = None) -> None:
        """Live events of one topic, from the hub, in cursor order: the ones
        that arrived while the hub was writing the previous ones (one, unless
        the process is busy). The hot path, run once per watcher: synchronous,
        no database, no serialisation for a public event (the frame is
        shared), and no task unless the socket is slow. A client that asked
        for batches gets them in one frame: under load, fewer and larger
        writes are what lets the stream catch up (docs/websocket.md, "Batches").

        `shared`: a dict the hub hands every subscriber of the topic for this
        one delivery. Public events to a subscription that is live and below
        their cursors make the same bytes for every such watcher: the first
        one builds them there, the others write them as they are."""
        if self.closing:
            return
        if shared is not None and self.outbox is None and self.write_now is not None:
            frames = shared.get(self.batches)
            if frames is None:
                frames = shared[self.batches] = shared_frames(messages, batches=self.batches)
            lowest, data = frames
            if data:
                subscription = self.subscriptions.get(messages[0]["topic"])
                if (
                    subscription is not None
                    and subscription.held is None
                    and subscription.floor < lowest
                    and subscription.client_topic == subscription.topic
                    and self.write_now(data)
                ):
                    direct_writes.counts[0] += 1
                    return
        texts = deque(text for message in messages if (text := self._live_frame(message)) is not None)
        while texts:
            self.push(take_batch(texts) if self.batches else texts.popleft())

    def _live_frame(self, message: dict) -> str | None:
        """The frame to write now for this event, if any (one for a
        subscription still catching up waits in its `held` list)."""
        if message["event"] == events.SESSION_REVOKED:
            if message["topic"] == self.own_topic and message["recipient_id"] == self.user_id:
                self.push_task(self.end_session())
            return None
        if message["event"] == events.CREDENTIALS_REVOKED:
            if (
                message["topic"] == self.own_topic
                and message["recipient_id"] == self.user_id
                and events.ends_credential(message["data"], token_id=self.token_id, session=self.session)
            ):
                self.push_task(self.end_credential())
            return None
        subscription = self.subscriptions.get(message["topic"])
        if subscription is None:
            return None  # the own topic, not subscribed as user:me
        cursor = int(message["cursor"])
        if cursor <= subscription.floor:
            return None
        if message["audience"] != "public" and not events.may_receive(
            audience=message["audience"],
            recipient_id=message["recipient_id"],
            user_id=self.user_id,
            is_moderator=self.is_moderator,
        ):
            return None
        text = event_frame(subscription.client_topic, message["event"], message["cursor"], message["data"])
        if subscription.held is not None:
            subscription.held.append((cursor, text))
            return None
        return text

    def push(self, text: str) -> None:
        """Write a live frame without making the hub wait for this socket.

        The write starts eagerly: when the socket accepts it at once (the
        common case) it completes right here, with no task scheduled. Only if
        the socket is slow (its buffer is full) does the write become a task,
        and the frames after it queue in `outbox`, in order, behind it."""
        if self.outbox is not None:
            if len(self.outbox) >= MAX_OUTBOX:
                # Not reading: stop buffering for it. The close frame waits
                # behind the buffered data like everything else; if the client
                # never reads, the server's ping timeout ends the connection.
                self.outbox.clear()
                self.closing = True
                self.push_task(self.close(code=CLOSE_TOO_SLOW))
                return
            self.outbox.append(text)
            return
        if self.write_now is not None and self.write_now(text_frame(text)):
            direct_writes.counts[0] += 1
            return
        self.outbox = deque()
        self.push_task(self._write(text), quiet=False)

    def push_task(self, coroutine, *, quiet: bool = True) -> None:
        """Run `coroutine` now, as a task only if it has to wait. `quiet=False`
        for a coroutine that handles its own errors (one coroutine less on
        the fan-out's path, run once per watcher and event)."""
        task = asyncio.eager_task_factory(asyncio.get_running_loop(), self._quietly(coroutine) if quiet else coroutine)
        if not task.done():
            # Keep a reference until it finishes (asyncio keeps only a weak one).
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _write(self, text: str) -> None:
        # Straight to the server's send: AsyncWebsocketConsumer.send would
        # only build the same message through two more coroutines, per
        # watcher and event.
        send = self.base_send
        try:
            await send({"type": "websocket.send", "text": text})
            direct_writes.counts[1] += 1
            while self.outbox:
                # What queued while the socket was slow goes out in batches.
                batch = take_batch(self.outbox) if self.batches else self.outbox.popleft()
                await send({"type": "websocket.send", "text": batch})
                direct_writes.counts[1] += 1
        except Exception:
            # The socket closed under us; disconnect() cleans up.
            logger.debug("Dropped a write to a closed socket", exc_info=True)
        finally:
            self.outbox = None

    async def _quietly(self, coroutine) -> None:
        try:
            await coroutine
        except Exception:
            # The socket closed under us; disconnect() cleans up.
            logger.debug("Dropped a write to a closed socket", exc_info=True)

    def on_presence(self, topic: str, count: int) -> None:
        subscription = self.subscriptions.get(topic)
        if subscription is None or subscription.held is not None or self.closing:
            return  # a subscription still being set up sends its own count
        if subscription.presence == count:
            return
        subscription.presence = count
        self.push(presence_frame(subscription.client_topic, count))

    async def end_session(self) -> None:
        if self.closing:
            return
        await self.send_error("session_revoked", _("Your session was ended by moderation. Log in again."))
        await self.close_with(CLOSE_SESSION_REVOKED)

    async def end_credential(self) -> None:
        if self.closing:
            return
        await self.send_error("unauthorized", _("You were logged out (or your password changed): log in again."))
        await self.close_with(CLOSE_UNAUTHORIZED)

    # --- server frames -------------------------------------------------------------

    async def send_frame(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def send_error(self, code: str, message: str, *, topic: str | None = None) -> None:
        frame = {"type": "error", "code": code, "message": str(message)}
        if topic is not None:
            frame["topic"] = topic
        await self.send_frame(frame)
