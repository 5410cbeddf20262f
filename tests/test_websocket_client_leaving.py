"""Against a real uvicorn process: a client that leaves while the server is
still answering its subscribe (a phone losing signal during the catch-up, a
tab closed) is an ordinary event, not a server error. uvicorn raises
`ClientDisconnected` (an OSError) on the first write to the closed socket;
the consumer used to log it as a failed frame, with a traceback, at ERROR."""

import asyncio
import json

import pytest
import websockets

from forum.models import Event
from tests.factories import make_answer, make_question, make_user
from tests.support.server import ServerProcess

pytestmark = pytest.mark.server

TIMEOUT = 10
LEAVERS = 12


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    yield server
    server.stop()


def test_clients_leaving_during_their_catch_up_leave_no_error_in_the_log(server):
    asker = make_user(username="ines")
    question = make_question(author=asker, title="Combien de jours de congés en alternance ?")
    cursor = Event.objects.order_by("-id").values_list("id", flat=True).first()
    for n in range(40):
        body = f"Cinq semaines par an, comme tout salarié ({n})."
        make_answer(author=make_user(username=f"alternant{n}"), question=question, body=body)
    url = server.url.replace("http://", "ws://") + "/ws/"
    subscribe = json.dumps({"type": "subscribe", "topic": f"thread:{question.pk}", "since": str(cursor)})

    async def scenario():
        for _ in range(LEAVERS):
            leaver = await websockets.connect(url)
            await leaver.send(subscribe)
            # Gone without a closing handshake, as a phone losing signal.
            leaver.transport.abort()
        # The server goes on serving: a full catch-up for a client that stays.
        async with websockets.connect(url) as reader:
            await reader.send(subscribe)
            replayed = 0
            while True:
                frame = json.loads(await asyncio.wait_for(reader.recv(), TIMEOUT))
                if frame["type"] == "subscribed":
                    break
                replayed += frame["type"] == "event"
        return replayed

    assert asyncio.run(scenario()) >= 40
    log = server.log_path.read_text()
    assert "Websocket frame failed" not in log
    assert "Traceback" not in log
