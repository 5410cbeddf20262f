"""Against a real uvicorn process and a real websocket client (`websockets`):
catch-up after moderation hid an answer shows a tombstone, not the answer, and
revoking a device token through the REST API closes the socket opened with it
(4401) while another device of the same member stays connected."""

import asyncio
import json

import httpx
import pytest
import websockets

from forum.models import Event
from forum.services import moderation
from forum.services.tokens import issue_token
from tests.factories import make_answer, make_moderator, make_question, make_user
from tests.support.server import ServerProcess
from tests.support.websocket import close_code, frames_until

pytestmark = pytest.mark.server

TIMEOUT = 10
SECRET = "Le numéro perso du recruteur : voir ma réponse."


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    yield server
    server.stop()


def ws_url(server: ServerProcess) -> str:
    return server.url.replace("http://", "ws://") + "/ws/"


def test_catch_up_and_credentials_end_over_a_real_server(server):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    modo = make_moderator(username="modo")
    question = make_question(author=alice, title="Peut-on changer d'entreprise en cours d'alternance ?")
    cursor = Event.objects.order_by("-id").values_list("id", flat=True).first()
    answer = make_answer(author=bob, question=question, body=SECRET)
    moderation.hide_post(moderator=modo, post=answer, clause="respect")
    _phone, phone_secret = issue_token(user=bob, device_name="Pixel 8")
    _tablet, tablet_secret = issue_token(user=bob, device_name="iPad")
    topic = f"thread:{question.pk}"

    async def scenario():
        async with websockets.connect(ws_url(server)) as reader:
            await reader.send(json.dumps({"type": "subscribe", "topic": topic, "since": str(cursor)}))
            frames = await frames_until(reader, "subscribed")
        replayed = [f for f in frames if f["type"] == "event"]
        assert "recruteur" not in json.dumps(frames, ensure_ascii=False)
        assert {(f["event"], f["data"]["id"]) for f in replayed} == {("answer.removed", answer.pk)}

        def bearer(secret):
            return {"Authorization": f"Bearer {secret}"}

        async with (
            websockets.connect(ws_url(server), additional_headers=bearer(phone_secret)) as phone,
            websockets.connect(ws_url(server), additional_headers=bearer(tablet_secret)) as tablet,
        ):
            for ws in (phone, tablet):
                await ws.send(json.dumps({"type": "subscribe", "topic": "user:me", "since": None}))
                assert (await frames_until(ws, "subscribed"))[-1]["type"] == "subscribed"
            async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT) as api:
                response = await api.delete("/api/v1/auth/token/", headers=bearer(phone_secret))
                assert response.status_code == 204, response.text

            assert await close_code(phone) == 4401
            await tablet.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(tablet.recv(), TIMEOUT)) == {"type": "pong"}

    asyncio.run(scenario())
