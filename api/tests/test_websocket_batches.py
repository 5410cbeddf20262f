"""Batch frames (docs/websocket.md, "Batches"): live events that reach a
process together go out as one frame to a client that asked with `?batch=1`,
and one frame per event to any other client, in cursor order, each filtered
for its reader as before.

Events reach a busy process together: the hub was still writing the previous
ones. Here that moment is made exact: the services' events are kept off the
layer (as when it is paused after a failure), then their messages, rebuilt
from the log as the hub's sweep does, are handed to the process's hub at
once. The hub's own coalescing (what the layer holds when it wakes) is
tested on channels' in-memory layer at the end."""

import asyncio
import json
from collections import deque

import pytest
from channels.layers import InMemoryChannelLayer
from django.utils import timezone

from api.consumers import MAX_BATCH_CHARS, batch_frame, take_batch
from api.fanout import Hub, hub
from api.tests.websocket_support import in_thread, open_socket, open_socket_as, subscribed
from forum import events, queries
from forum.models import Event
from tests.factories import make_answer, make_user

pytestmark = pytest.mark.django_db(transaction=True)


async def events_arriving_together(monkeypatch, topic: str, *writes) -> list[int]:
    """Run the writes with the layer held back, then hand their events on
    `topic` to the layer in one go; their cursors."""
    before = await in_thread(queries.topic_cursor)(topic)
    monkeypatch.setattr(events, "_layer_paused_until", float("inf"))
    for write in writes:
        await in_thread(write)()
    monkeypatch.setattr(events, "_layer_paused_until", 0.0)
    ids = await in_thread(
        lambda: list(Event.objects.filter(topic=topic, id__gt=before).order_by("id").values_list("id", flat=True))
    )()
    hub()._deliver(await in_thread(queries.layer_messages)(ids))
    return ids


async def test_events_ready_together_are_one_frame_for_a_client_that_asked_and_single_frames_for_others(
    monkeypatch, question, other_student, third_student
):
    topic = f"thread:{question.pk}"
    batched = await open_socket(path="/ws/?batch=1")
    single = await open_socket()
    for ws in (batched, single):
        await subscribed(ws, topic)

    cursors = await events_arriving_together(
        monkeypatch,
        topic,
        lambda: make_answer(author=other_student, question=question, body="Le CFA aide à chercher."),
        lambda: make_answer(author=third_student, question=question, body="Regarde aussi La Bonne Alternance."),
    )

    frames = json.loads(await batched.receive_from(timeout=3))
    assert isinstance(frames, list)
    assert [(f["type"], f["topic"], f["event"], f["cursor"]) for f in frames] == [
        ("event", topic, "answer.created", str(cursor)) for cursor in cursors
    ]
    assert [f["data"]["author"]["username"] for f in frames] == ["bob", "charlie"]
    singles = [json.loads(await single.receive_from(timeout=3)) for _ in cursors]
    assert singles == frames
    for ws in (batched, single):
        assert await ws.receive_nothing(timeout=0.2)
        await ws.disconnect()


async def test_a_batch_holds_only_what_its_reader_may_see_and_one_event_is_a_plain_frame(
    monkeypatch, question, other_student, moderator
):
    """A held answer in the same batch as a public one: the moderator gets
    both in one batch; an anonymous batch client gets the public event alone,
    as an ordinary frame (a batch is never a list of one)."""
    topic = f"thread:{question.pk}"
    newcomer = await in_thread(make_user)(username="nouvelle", date_joined=timezone.now())
    anonymous = await open_socket(path="/ws/?batch=1")
    modo = await open_socket_as(moderator, path="/ws/?batch=1")
    for ws in (anonymous, modo):
        await subscribed(ws, topic)

    public, held = await events_arriving_together(
        monkeypatch,
        topic,
        lambda: make_answer(author=other_student, question=question),
        lambda: make_answer(author=newcomer, question=question),
    )

    seen_by_moderator = json.loads(await modo.receive_from(timeout=3))
    assert [(f["cursor"], f["data"]["visibility"]) for f in seen_by_moderator] == [
        (str(public), "published"),
        (str(held), "pending"),
    ]
    seen_anonymously = json.loads(await anonymous.receive_from(timeout=3))
    assert (seen_anonymously["type"], seen_anonymously["cursor"]) == ("event", str(public))
    assert await anonymous.receive_nothing(timeout=0.2)
    for ws in (anonymous, modo):
        await ws.disconnect()


async def test_a_replay_comes_in_batches_to_a_client_that_asked_and_frame_by_frame_to_others(
    question, other_student, third_student
):
    """A reconnect after a busy minute: what was missed is one write for a
    batch client, the same frames one by one for any other, then `subscribed`."""
    topic = f"thread:{question.pk}"
    since = await in_thread(queries.topic_cursor)(topic)
    await in_thread(make_answer)(author=other_student, question=question, body="Le CFA aide à chercher.")
    await in_thread(make_answer)(author=third_student, question=question, body="Regarde La Bonne Alternance.")
    batched = await open_socket(path="/ws/?batch=1")
    single = await open_socket()

    await batched.send_json_to({"type": "subscribe", "topic": topic, "since": str(since)})
    replay = json.loads(await batched.receive_from(timeout=3))
    acknowledged = json.loads(await batched.receive_from(timeout=3))
    await single.send_json_to({"type": "subscribe", "topic": topic, "since": str(since)})
    singles = [json.loads(await single.receive_from(timeout=3)) for _ in range(3)]

    assert isinstance(replay, list)
    assert [(f["event"], f["data"]["author"]["username"]) for f in replay] == [
        ("answer.created", "bob"),
        ("answer.created", "charlie"),
    ]
    assert singles[:2] == replay
    assert acknowledged["type"] == singles[2]["type"] == "subscribed"
    assert acknowledged["cursor"] == singles[2]["cursor"] == replay[-1]["cursor"]
    for ws in (batched, single):
        await ws.disconnect()


def frame(n: int, size: int = 10) -> str:
    return json.dumps({"type": "event", "cursor": str(n), "data": {"text": "x" * size}}, separators=(",", ":"))


def test_take_batch_takes_what_fits_and_leaves_the_rest_in_order():
    big = MAX_BATCH_CHARS // 3
    waiting = deque([frame(1, big), frame(2, big), frame(3, big), frame(4, big)])

    first = json.loads(take_batch(waiting))
    second = json.loads(take_batch(waiting))

    assert [f["cursor"] for f in first] == ["1", "2"]
    assert [f["cursor"] for f in second] == ["3", "4"]
    assert not waiting


def test_take_batch_sends_a_frame_longer_than_the_limit_alone():
    waiting = deque([frame(1, MAX_BATCH_CHARS), frame(2)])

    assert json.loads(take_batch(waiting))["cursor"] == "1"
    assert json.loads(take_batch(waiting))["cursor"] == "2"


def test_batches_written_late_are_flattened_into_one_list_of_frames():
    """A slow socket's outbox may hold batches: they are merged, not nested."""
    waiting = deque([batch_frame([frame(1), frame(2)]), frame(3), batch_frame([frame(4), frame(5)])])

    merged = json.loads(take_batch(waiting))

    assert [f["cursor"] for f in merged] == ["1", "2", "3", "4", "5"]


class Recorder:
    """A subscriber that keeps what the hub hands it."""

    presence_key = "recorder"

    def __init__(self):
        self.calls: list[list[str]] = []

    def on_events(self, messages: list[dict], shared: dict) -> None:
        self.calls.append([message["cursor"] for message in messages])

    def on_presence(self, topic: str, count: int) -> None:
        pass

    async def close_with(self, code: int) -> None:
        pass


def layer_message(cursor: int, topic: str = "thread:7") -> dict:
    return {"type": "forum.event", "topic": topic, "event": "answer.voted", "cursor": str(cursor), "data": {}}


async def test_the_hub_hands_over_together_what_the_layer_received_while_it_was_busy(monkeypatch):
    """Three messages in the layer when the hub wakes are one call per
    subscriber, in order; one that comes later is a call of its own."""
    layer = InMemoryChannelLayer()
    busy_hub = Hub(layer)
    monkeypatch.setattr(busy_hub, "_start_sweeping_from_now", lambda: asyncio.sleep(0))
    recorder, elsewhere = Recorder(), Recorder()
    await busy_hub.join("thread:7", recorder)
    await busy_hub.join("thread:8", elsewhere)
    group = events.group_name("thread:7")
    try:
        # The in-memory layer writes each message from a task of its own:
        # sent together, they are all queued before the hub's task runs.
        await asyncio.gather(
            *(layer.group_send(group, layer_message(n)) for n in (1, 2)),
            layer.group_send(events.group_name("thread:8"), layer_message(3, "thread:8")),
            layer.group_send(group, layer_message(4)),
        )
        await asyncio.sleep(0.05)
        await layer.group_send(group, layer_message(5))
        await asyncio.sleep(0.05)
    finally:
        for task in (busy_hub._task, busy_hub._presence_task, busy_hub._sweep_task):
            task.cancel()

    assert recorder.calls == [["1", "2", "4"], ["5"]]
    assert elsewhere.calls == [["3"]]
