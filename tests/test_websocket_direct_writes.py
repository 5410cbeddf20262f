"""Live frames serialised once and written straight to the transport
(api/direct_writes.py): the bytes are exactly those uvicorn's websocket `send`
would write, the real server takes that path, and anything else goes through
ASGI `send`."""

import asyncio
import json
import re

import httpx
import pytest
import websockets
from websockets.frames import Frame, Opcode

from api import direct_writes
from api.consumers import StreamConsumer, Subscription, batch_frame, event_frame
from api.direct_writes import text_frame
from forum.services.tokens import issue_token
from tests.factories import make_question, make_user
from tests.support.server import ServerProcess
from tests.support.websocket import frames_until

TIMEOUT = 10


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70_000])
def test_a_frame_is_what_the_websockets_library_would_write(size):
    for text in ("a" * size, "é" * (size // 2), "€" * (size // 3) + "x"):
        direct_writes._frames.clear()
        expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
        assert direct_writes.text_frame(text) == expected


def test_only_uvicorns_sans_io_protocol_gets_a_writer():
    async def plain_send(message):
        pass

    class Elsewhere:
        async def send(self, message):
            pass

    assert direct_writes.writer_for(plain_send) is None
    assert direct_writes.writer_for(Elsewhere().send) is None


# --- One delivery's frames, shared by the watchers who get the same bytes --------------------


def message(cursor: int, *, audience: str = "public", topic: str = "live:7") -> dict:
    return {
        "topic": topic,
        "event": "live.question.created",
        "cursor": str(cursor),
        "data": {"id": cursor, "body_html": "<p>Combien gagne un apprenti en BTS ?</p>"},
        "audience": audience,
        "recipient_id": None,
    }


def watcher(*, floor: int = 0, batches: bool = True, held: bool = False, topic: str = "live:7") -> StreamConsumer:
    """A consumer as the hub sees it, whose socket takes every write."""
    consumer = StreamConsumer()
    consumer.closing = False
    consumer.outbox = None
    consumer.batches = batches
    consumer.user_id = None
    consumer.is_moderator = False
    consumer.own_topic = None
    subscription = Subscription(client_topic=topic, topic=topic, floor=floor)
    subscription.held = [] if held else None
    consumer.subscriptions = {topic: subscription}
    consumer.written = []
    consumer.write_now = lambda frames: consumer.written.append(frames) or True
    return consumer


def test_watchers_of_one_delivery_write_the_same_bytes_built_once():
    delivery = [message(41), message(42)]
    batched, also_batched, single = watcher(), watcher(), watcher(batches=False)
    shared: dict = {}
    for consumer in (batched, also_batched, single):
        consumer.on_events(delivery, shared)

    texts = [event_frame("live:7", "live.question.created", m["cursor"], m["data"]) for m in delivery]
    assert batched.written == [text_frame(batch_frame(texts))]
    assert also_batched.written[0] is batched.written[0]
    # One write of two frames for a client without batches.
    assert single.written == [text_frame(texts[0]) + text_frame(texts[1])]


def test_a_watcher_the_shared_bytes_do_not_fit_gets_its_own_frames():
    delivery = [message(41), message(42)]
    shared: dict = {}
    ahead = watcher(floor=41)  # caught up to 41 by its replay: 42 only
    catching_up = watcher(held=True)  # its replay is running: both wait
    plain = watcher()
    for consumer in (plain, ahead, catching_up):
        consumer.on_events(delivery, shared)

    assert ahead.written == [text_frame(event_frame("live:7", "live.question.created", "42", delivery[1]["data"]))]
    assert catching_up.written == []
    assert [cursor for cursor, _text in catching_up.subscriptions["live:7"].held] == [41, 42]
    texts = [event_frame("live:7", "live.question.created", m["cursor"], m["data"]) for m in delivery]
    assert plain.written == [text_frame(batch_frame(texts))]


def test_events_not_for_everyone_are_never_shared():
    delivery = [message(41), message(42, audience="moderators")]
    shared: dict = {}
    reader = watcher()
    reader.on_events(delivery, shared)

    assert shared[True] == (0, b"")
    assert reader.written == [text_frame(event_frame("live:7", "live.question.created", "41", delivery[0]["data"]))]


# --- The real server ----------------------------------------------------------------------------


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    yield server
    server.stop()


def frames_written(server: ServerProcess, path: str) -> float:
    metrics = httpx.get(f"{server.url}/metrics", timeout=TIMEOUT).text
    match = re.search(rf'^forum_websocket_frames_written_total\{{path="{path}"\}} (\S+)$', metrics, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.mark.server
def test_the_real_server_writes_live_frames_directly_and_they_arrive_whole(server):
    asker = make_user(username="ines")
    answerer = make_user(username="yanis")
    question = make_question(author=asker, title="Combien de jours d'école par semaine en BTS ?")
    _token, secret = issue_token(user=answerer, device_name="Pixel 8")
    body = "Deux jours à l'école, trois en entreprise : c'est le rythme le plus fréquent. " * 4
    topic = f"thread:{question.pk}"
    url = server.url.replace("http://", "ws://") + "/ws/"

    async def scenario():
        async with websockets.connect(url) as first, websockets.connect(url + "?batch=1") as second:
            for ws in (first, second):
                await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
                await frames_until(ws, "subscribed")
            async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
                response = await api.post(
                    f"/api/v1/threads/{question.pk}/answers/",
                    json={"body": body},
                    headers={"Authorization": f"Bearer {secret}"},
                )
                assert response.status_code == 201, response.text
            return [await frames_until(ws, "event") for ws in (first, second)]

    received = asyncio.run(scenario())

    answer = question.answers.get()
    for frames in received:
        created = [f for f in frames if f["type"] == "event"]
        assert [(f["event"], f["data"]["id"]) for f in created] == [("answer.created", answer.pk)]
        assert "Deux jours à l'école, trois en entreprise" in created[0]["data"]["body_html"]
    assert frames_written(server, "direct") >= 2
