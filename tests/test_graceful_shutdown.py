"""SIGTERM closes websockets with 1001 "going away", not uvicorn's 1012, so
that clients reconnect elsewhere at once (api/going_away.py)."""

import asyncio
import json
import signal

import pytest
import websockets

from tests.factories import make_question, make_user
from tests.support.websocket import close_code, frames_until

pytestmark = pytest.mark.server


def test_sigterm_closes_every_websocket_with_going_away(start_server_process):
    server = start_server_process()
    question = make_question(author=make_user(username="alice"))
    url = server.url.replace("http://", "ws://") + "/ws/"

    async def scenario():
        async with websockets.connect(url) as reader, websockets.connect(url) as idle:
            await reader.send(json.dumps({"type": "subscribe", "topic": f"thread:{question.pk}"}))
            await frames_until(reader, "subscribed")
            await idle.send(json.dumps({"type": "ping"}))
            await frames_until(idle, "pong")
            server.process.send_signal(signal.SIGTERM)
            return await asyncio.gather(close_code(reader), close_code(idle))

    assert asyncio.run(scenario()) == [1001, 1001]
    # uvicorn's own graceful shutdown still follows: the process exits by
    # itself (and re-raises the signal it captured, hence -SIGTERM).
    assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
