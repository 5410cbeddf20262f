"""Scale-out: two real ASGI processes behind one Redis and one PostgreSQL. An
answer posted through the REST API of process B reaches a websocket client
connected to process A, the mobile app's token works on either, and readers
are counted across both."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.factories import make_question, make_user
from tests.support.requirements import require_postgres, require_redis
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

TIMEOUT = 10


@pytest.fixture
def two_servers(start_server_process):
    require_postgres()
    redis_url = require_redis()
    return [start_server_process(name=name, extra_env={"REDIS_URL": redis_url}) for name in ("a", "b")]


async def next_frame(ws, *, kind: str = "event") -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame["type"] == kind:
            return frame
        assert frame["type"] != "error", frame


async def subscribe(ws, topic: str, since=None) -> dict:
    await ws.send(json.dumps({"type": "subscribe", "topic": topic, "since": since}))
    return await next_frame(ws, kind="subscribed")


def ws_url(server: ServerProcess) -> str:
    return server.url.replace("http://", "ws://") + "/ws/"


def test_an_answer_posted_on_one_process_reaches_a_watcher_on_the_other(two_servers):
    server_a, server_b = two_servers
    alice = make_user(username="alice", display_name="Alice")
    make_user(username="bob", display_name="Bob", password="bob-secret-passphrase")
    question = make_question(author=alice, title="Combien de jours de congés en alternance ?")
    topic = f"thread:{question.pk}"

    async def scenario():
        async with httpx.AsyncClient(base_url=server_b.url, timeout=TIMEOUT) as api:
            login = await api.post(
                "/api/v1/auth/token/",
                json={"username": "bob", "password": "bob-secret-passphrase", "device_name": "test"},
            )
            assert login.status_code == 201, login.text
            token = login.json()["token"]
            bearer = {"Authorization": f"Bearer {token}"}

            # A watcher on A (anonymous, like a reader), and Bob's phone on A too.
            async with (
                websockets.connect(ws_url(server_a)) as watcher,
                websockets.connect(ws_url(server_a), additional_headers=bearer) as phone,
            ):
                cursor = (await subscribe(watcher, topic))["cursor"]
                assert (await next_frame(watcher, kind="presence"))["count"] == 1
                await subscribe(phone, "user:me")
                async with websockets.connect(ws_url(server_b)) as reader_on_b:
                    await subscribe(reader_on_b, topic)
                    assert (await next_frame(reader_on_b, kind="presence"))["count"] == 2

                posted = await api.post(
                    f"/api/v1/threads/{question.pk}/answers/",
                    json={"body": "Cinq semaines par an, comme tout salarié, plus les jours d'examen."},
                    headers=bearer,
                )
                assert posted.status_code == 201, posted.text

                frame = await next_frame(watcher)
                assert (frame["topic"], frame["event"]) == (topic, "answer.created")
                assert frame["data"]["id"] == posted.json()["id"]
                assert frame["data"]["author"]["username"] == "bob"
                assert int(frame["cursor"]) > int(cursor)

            # A client that was away catches up from either process: same log.
            async with websockets.connect(ws_url(server_b)) as late:
                await late.send(json.dumps({"type": "subscribe", "topic": topic, "since": cursor}))
                caught_up = await next_frame(late)
                assert (caught_up["event"], caught_up["cursor"]) == ("answer.created", frame["cursor"])
                assert (await next_frame(late, kind="subscribed"))["cursor"] == frame["cursor"]

    asyncio.run(scenario())
