"""A socket that cannot keep up (a phone in a tunnel) must not delay the others
in its process, gets its frames in order once it drains, and is closed if it
falls too far behind (it catches up from its cursor when it reconnects)."""

import asyncio
import json

import pytest
from channels.testing import WebsocketCommunicator

from api import consumers
from api.tests.websocket_support import OUR_ORIGIN, TIMEOUT, in_thread, open_socket, receive, subscribed
from config.asgi import application
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)


class SlowNetwork:
    """ASGI middleware standing in for a server whose socket to this client is
    full: writes wait until `drain()`, like uvicorn's send() waits for a
    paused transport."""

    def __init__(self, app):
        self.app = app
        self.open = asyncio.Event()
        self.open.set()
        self.waiting: list[str] = []  # the types of the messages held back

    def stall(self):
        self.open.clear()

    def drain(self):
        self.open.set()

    async def __call__(self, scope, receive, send):
        async def slow_send(message):
            if message["type"] in {"websocket.send", "websocket.close"} and not self.open.is_set():
                self.waiting.append(message["type"])
                await self.open.wait()
            await send(message)

        return await self.app(scope, receive, slow_send)


async def open_slow_socket():
    network = SlowNetwork(application)
    ws = WebsocketCommunicator(network, "/ws/", headers=[(b"origin", OUR_ORIGIN)])
    assert (await ws.connect(timeout=TIMEOUT))[0]
    return ws, network


async def test_a_stalled_socket_does_not_hold_up_the_others_and_gets_its_frames_in_order(question, other_student):
    topic = f"thread:{question.pk}"
    slow, network = await open_slow_socket()
    await subscribed(slow, topic)
    fast = await open_socket()
    await subscribed(fast, topic)

    network.stall()
    posted = [await in_thread(make_answer)(author=other_student, question=question) for _ in range(3)]

    assert [(await receive(fast))["data"]["id"] for _ in posted] == [a.pk for a in posted]
    assert await slow.receive_nothing(timeout=0.3)
    network.drain()
    assert [(await receive(slow))["data"]["id"] for _ in posted] == [a.pk for a in posted]
    await slow.disconnect()
    await fast.disconnect()


async def test_a_socket_too_far_behind_is_closed_with_4009(question, other_student, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_OUTBOX", 2)
    slow, network = await open_slow_socket()
    await subscribed(slow, f"thread:{question.pk}")

    network.stall()
    for _ in range(4):  # one being written, two waiting, the fourth is one too many
        await in_thread(make_answer)(author=other_student, question=question)
    # With Redis the events arrive a moment after the commits: wait for the close.
    async with asyncio.timeout(TIMEOUT):
        while "websocket.close" not in network.waiting:
            await asyncio.sleep(0.02)
    network.drain()

    frames = []
    while (output := await slow.receive_output(timeout=TIMEOUT))["type"] == "websocket.send":
        frames.append(json.loads(output["text"]))
    assert output == {"type": "websocket.close", "code": 4009}
    assert len(frames) == 1
    await slow.disconnect(code=4009)
