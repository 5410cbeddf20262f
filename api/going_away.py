"""Close every websocket with 1001 "going away" when the server is told to stop.

uvicorn answers SIGTERM by closing open websockets with 1012 "service restart"
(`Server.shutdown` -> `connection.shutdown()`, uvicorn 0.54), and an ASGI
lifespan shutdown only runs after that. 1001 tells a client that this server
is leaving, so it reconnects (through the load balancer, to another process)
at once and catches up from its cursors. So, in a process served by uvicorn,
the first websocket installs a signal handler in front of uvicorn's: it closes
this process's sockets with 1001, waits for the close frames to be written
(at most `CLOSE_WAIT` seconds), then hands the signal to uvicorn, whose own
graceful shutdown follows unchanged.

Only a uvicorn `Server.handle_exit` is wrapped: under pytest, a management
command or another server nothing is installed.
"""

import asyncio
import logging
import signal
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

CLOSE_GOING_AWAY = 1001
CLOSE_WAIT = 2.0
SIGNALS = (signal.SIGTERM, signal.SIGINT)

_installed = False
# Set once the process is told to stop: a socket opening in the last moments
# is sent on its way with 1001 too, rather than getting uvicorn's 1012.
leaving = False


def _is_uvicorn_handler(handler) -> bool:
    owner = getattr(handler, "__self__", None)
    return owner is not None and type(owner).__module__.startswith("uvicorn") and callable(handler)


def install(close_all: Callable[[int], "asyncio.Future"]) -> None:
    """Once per process, from the event loop's (main) thread."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    for sig in SIGNALS:
        previous = signal.getsignal(sig)
        if not _is_uvicorn_handler(previous):
            continue
        signal.signal(sig, _handler(loop, close_all, previous))
    _installed = True


def _handler(loop: asyncio.AbstractEventLoop, close_all, previous):
    state = {"closing": False}

    def handle(sig, frame):
        if state["closing"]:
            # A second signal: no more waiting (uvicorn forces its exit on a second Ctrl+C).
            previous(sig, frame)
            return
        state["closing"] = True
        global leaving
        leaving = True

        async def going_away():
            try:
                await asyncio.wait_for(close_all(CLOSE_GOING_AWAY), timeout=CLOSE_WAIT)
            except Exception:
                logger.warning("Could not close every websocket with 1001", exc_info=True)
            finally:
                previous(sig, frame)

        loop.call_soon_threadsafe(lambda: loop.create_task(going_away()))

    return handle
