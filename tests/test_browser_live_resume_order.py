"""Events reach a socket from whichever process committed them, so two
committed a moment apart can arrive in either order. The page's transport
(live-transport.js) must then resume from a cursor that everything below has
reached, and apply a replayed event once: here a scripted websocket peer sends
cursor 102 before 101 and drops the connection in between, as a real server
can (docs/websocket.md, "Resuming")."""

import asyncio
import contextlib
import json
import threading
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.browser import chromium_browser
from tests.support.server import free_port

pytestmark = [pytest.mark.browser]

TRANSPORT = Path(__file__).resolve().parents[1] / "frontend" / "static" / "frontend" / "live-transport.js"


class ScriptedPeer:
    """Connection 1: subscribed at 100, then 102 alone, then 1001 (going
    away). Connection 2: replays what follows the client's `since`."""

    def __init__(self):
        self.port = free_port()
        self.since: list = []
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()

    async def handle(self, socket):
        subscribe = json.loads(await socket.recv())
        self.since.append(subscribe["since"])
        topic = subscribe["topic"]

        def event(cursor):
            return json.dumps(
                {"type": "event", "topic": topic, "event": "test.ping", "cursor": str(cursor), "data": {"n": cursor}}
            )

        if len(self.since) == 1:
            await socket.send(json.dumps({"type": "subscribed", "topic": topic, "cursor": "100"}))
            await socket.send(event(102))
            await asyncio.sleep(0.3)
            await socket.close(1001, "going away")
            return
        for cursor in (101, 102):
            if cursor > int(subscribe["since"]):
                await socket.send(event(cursor))
        await socket.send(json.dumps({"type": "subscribed", "topic": topic, "cursor": "102"}))
        with contextlib.suppress(ConnectionClosed):  # the browser leaves when the test is done
            await socket.wait_closed()

    def run(self):
        from websockets.asyncio.server import serve

        async def main():
            async with serve(self.handle, "127.0.0.1", self.port):
                self.ready.set()
                await self.done

        asyncio.set_event_loop(self.loop)
        # Ended by the test through `stop`: the server closes inside its
        # loop (stopping the loop instead left it to close at collection,
        # on a closed loop: an "Exception ignored" in every run's output).
        self.done = self.loop.create_future()
        self.loop.run_until_complete(main())

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.done.set_result, None)


def test_a_reconnect_gets_back_an_event_that_arrived_after_a_larger_cursor():
    peer = ScriptedPeer()
    thread = threading.Thread(target=peer.run, daemon=True)
    thread.start()
    assert peer.ready.wait(10)
    html = f"""<!DOCTYPE html><html><head><title>t</title></head>
<body data-live-topics="thread:1" data-live-cursor="100" data-ws-url="ws://127.0.0.1:{peer.port}/">
<script>{TRANSPORT.read_text()}</script>
<script>
  window.applied = [];
  LiveTransport.on({{"test.ping": function (data) {{ window.applied.push(data.n); }}}});
</script></body></html>"""
    try:
        with chromium_browser() as browser:
            page = browser.new_page()
            page.set_content(html)
            page.wait_for_function("window.applied.length >= 2", timeout=15000)
            page.wait_for_timeout(500)  # a third, duplicate application would show here
            applied = page.evaluate("window.applied")
    finally:
        peer.stop()
        thread.join(10)

    # 102 had arrived alone, within the settle time: the resume starts below
    # it, so 101 comes back, and 102 is not applied a second time.
    assert peer.since == ["100", "100"]
    assert applied == [102, 101]
