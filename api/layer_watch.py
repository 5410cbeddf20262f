"""Whether this process can hear events, and what its sockets do when it cannot.

The pub/sub channel layer reconnects to Redis by itself, silently: a socket
open across a Redis outage looks live but never receives what was published
meanwhile (publishing failed, the rows are in the event log). Its client must
learn that it missed something. One watch per process asks Redis for its
`run_id` every `INTERVAL` seconds; when Redis does not answer, or answers as
a new server (restarted, its subscriptions gone), every socket of this process
is closed with 1013 "try again later". Clients show their "reconnecting"
state, reconnect with backoff (refused with 1013 while Redis is still away)
and catch up from their cursors once it is back: nothing is lost, because the
event log, not the layer, is the truth (docs/websocket.md, docs/operations.md).
"""

import asyncio
import logging
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

INTERVAL = 1.0
CLOSE_TRY_AGAIN = 1013
# Answers in a row before sockets are accepted again after an outage: the
# layer's own subscriber reconnects lazily (its receive loop sleeps 1 s after
# an error), and a socket accepted before it has resubscribed would miss the
# events published in between, after its catch-up.
RECOVERY_PROBES = 3


def layer_redis_url() -> str | None:
    layer = settings.CHANNEL_LAYERS["default"]
    if "redis" not in layer["BACKEND"].lower():
        return None
    host = layer["CONFIG"]["hosts"][0]
    return host["address"] if isinstance(host, dict) else host


class LayerWatch:
    def __init__(self, on_lost):
        self.url = layer_redis_url()
        self.on_lost = on_lost
        # Optimistic until a probe says otherwise: a socket is not refused on a guess.
        self.reachable = True
        self._run_id: str | None = None
        self._answers_in_a_row = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.url is None or self._thread is not None:
            return
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, args=(loop,), daemon=True, name="forum-layer-watch")
        self._thread.start()

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        """The probe runs in a thread of its own, with a blocking client: it
        asks whether Redis answers, not whether this process's event loop
        keeps up. Probed from the loop, a reply that waited behind 50,000
        frames a second timed out and closed every socket of a healthy
        process (bench/live_sessions.py at 5,000 viewers, docs/known-traps.md)."""
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1, retry=None)
        while not loop.is_closed():
            try:
                report = (self._answered, client.info("server")["run_id"])
            except Exception as exc:
                report = (self._lost, f"{type(exc).__name__}: {exc}")
            try:
                # State changes and on_lost run in the loop, never in this thread.
                loop.call_soon_threadsafe(*report)
            except RuntimeError:  # the loop has closed
                return
            time.sleep(INTERVAL)

    def _lost(self, reason: str) -> None:
        self._answers_in_a_row = 0
        if not self.reachable:
            return
        self.reachable = False
        logger.warning(
            "Channel layer unreachable (%s): closing this process's websockets, clients will catch up",
            reason,
            extra={"event": "layer.unreachable"},
        )
        self.on_lost()

    def _answered(self, run_id: str) -> None:
        if self._run_id is not None and run_id != self._run_id and self.reachable:
            # Restarted between two probes: its subscriptions were lost too.
            logger.warning(
                "Channel layer restarted: closing this process's websockets", extra={"event": "layer.restarted"}
            )
            self.reachable = False
            self._answers_in_a_row = 0
            self.on_lost()
        self._run_id = run_id
        self._answers_in_a_row += 1
        if not self.reachable and self._answers_in_a_row >= RECOVERY_PROBES:
            logger.warning("Channel layer reachable again", extra={"event": "layer.recovered"})
            self.reachable = True
