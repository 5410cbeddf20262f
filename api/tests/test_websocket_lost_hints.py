"""A live event the channel layer lost still reaches the sockets that stay
connected: each process's hub sweeps the event log (api/fanout.py).

The loss is simulated where it happens in production: the process that
committed the answer never runs its on-commit send (killed between COMMIT and
PUBLISH, or the send timed out). Catch-up would only bring it on a reconnect,
and a connected client has no reason to reconnect."""

import pytest

from api import fanout
from api.fanout import hub
from api.tests.websocket_support import in_thread, open_socket, receive, subscribed
from forum import events
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)


def lose_every_hint(monkeypatch):
    monkeypatch.setattr(events, "send_to_layer", lambda event: None)


async def watching(question, monkeypatch, *, sweep_interval: float):
    """A socket subscribed to the thread, its hub sweeping every `sweep_interval`
    seconds (an hour: the test drives the sweeps itself)."""
    monkeypatch.setattr(fanout, "SWEEP_INTERVAL", sweep_interval)
    ws = await open_socket()
    await subscribed(ws, f"thread:{question.pk}")
    return ws


async def test_an_answer_whose_hint_was_lost_reaches_a_connected_watcher_from_the_log(
    question, other_student, monkeypatch
):
    ws = await watching(question, monkeypatch, sweep_interval=3600)
    with monkeypatch.context() as lost:
        lose_every_hint(lost)
        answer = await in_thread(make_answer)(author=other_student, question=question)

    # The first sweep gives the event a whole interval to arrive live...
    await hub().sweep()
    assert await ws.receive_nothing(timeout=0.2)
    # ...the next one delivers it from the log, as the live event would have been.
    await hub().sweep()
    frame = await receive(ws)

    assert (frame["type"], frame["topic"], frame["event"]) == ("event", f"thread:{question.pk}", "answer.created")
    assert frame["data"]["id"] == answer.pk
    await hub().sweep()
    assert await ws.receive_nothing(timeout=0.2), "delivered twice"
    await ws.disconnect()


async def test_an_event_that_arrived_live_is_not_delivered_again_by_the_sweep(question, other_student, monkeypatch):
    ws = await watching(question, monkeypatch, sweep_interval=3600)
    answer = await in_thread(make_answer)(author=other_student, question=question)
    frame = await receive(ws)
    assert frame["data"]["id"] == answer.pk

    await hub().sweep()
    await hub().sweep()

    assert await ws.receive_nothing(timeout=0.2), "delivered twice"
    await ws.disconnect()


async def test_the_hub_sweeps_by_itself(question, other_student, monkeypatch):
    ws = await watching(question, monkeypatch, sweep_interval=0.05)
    with monkeypatch.context() as lost:
        lose_every_hint(lost)
        answer = await in_thread(make_answer)(author=other_student, question=question)

    frame = await receive(ws)

    assert (frame["event"], frame["data"]["id"]) == ("answer.created", answer.pk)
    await ws.disconnect()
