"""Where sync code runs the channel layer's coroutines (`forum/events.py`).

Inside the ASGI server, sync code runs in a thread of the server's event loop
(asgiref's `sync_to_async`), and `async_to_sync` hands the coroutine back to
that loop: cheap, and the layer's connection of that loop is reused. In a
thread without such a loop (granian's WSGI workers, the notifications
worker, management commands) `async_to_sync` makes a new event loop for every
call, and the channel layer, which keeps one Redis connection per loop, opens
a new connection each time: about 10 ms per event (docs/known-traps.md).

So each process without a server loop gets one long-lived loop in a daemon
thread, started on first use (and again in a forked child: threads do not
survive `fork`, and granian forks its workers from a preloaded main
process). Its Redis connection stays open between events; a send from any
request thread is submitted to it with `run_coroutine_threadsafe`.
"""

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable

from asgiref.sync import SyncToAsync, async_to_sync

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_loop_pid = 0


def run[T](function: Callable[[], Awaitable[T]], *, timeout: float) -> T:
    """Run `function()` to completion from sync code and return its result.
    `timeout` bounds the wait in this thread on the shared loop (the
    coroutine should bound itself too: past it, it is cancelled)."""
    if _server_loop() is not None:
        return async_to_sync(function)()
    future = asyncio.run_coroutine_threadsafe(function(), _shared_loop())
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise


def _server_loop() -> asyncio.AbstractEventLoop | None:
    # asgiref marks the threads of sync_to_async with the loop that called
    # them (and the pid, since a forked child inherits the attribute but not
    # the loop); async_to_sync reads the same two attributes.
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or loop.is_closed():
        return None
    return loop


def _shared_loop() -> asyncio.AbstractEventLoop:
    global _loop, _loop_pid
    with _lock:
        if _loop is None or _loop_pid != os.getpid() or _loop.is_closed():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="channel-layer-loop", daemon=True)
            thread.start()
            _loop, _loop_pid = loop, os.getpid()
        return _loop
