"""A client that subscribes with `since` gets what it missed from the event log,
in order, exactly once, before live events."""

import pytest

from api import consumers
from api.tests.websocket_support import events_in, in_thread, open_socket, receive, subscribe, subscribed
from forum import events, queries
from forum.models import Event
from forum.services.answers import edit_answer
from forum.services.votes import cast_vote
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_after_a_gap_each_missed_event_arrives_once_and_in_order_then_live_events(
    question, other_student, third_student
):
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()

    # Missed while offline: two answers, an edit, a vote.
    first = await in_thread(make_answer)(author=other_student, question=question)
    second = await in_thread(make_answer)(author=third_student, question=question)
    await in_thread(edit_answer)(
        editor=other_student, answer=first, body="Version corrigée : passe par la plateforme de ton CFA."
    )
    await in_thread(cast_vote)(user=third_student, answer=first)

    ws = await open_socket()
    frames = await subscribe(ws, topic, since=cursor)

    missed = events_in(frames)
    assert [(f["event"], f["data"]["id"]) for f in missed] == [
        ("answer.created", first.pk),
        ("answer.created", second.pk),
        ("answer.updated", first.pk),
        ("answer.voted", first.pk),
    ]
    cursors = [int(f["cursor"]) for f in missed]
    assert cursors == sorted(cursors)
    assert len(set(cursors)) == 4
    assert frames[-1] == {"type": "subscribed", "topic": topic, "cursor": missed[-1]["cursor"]}

    # And live from there, with nothing replayed twice.
    third = await in_thread(make_answer)(
        author=third_student, question=question, body="Et regarde aussi la Bonne Alternance."
    )
    live = await receive(ws)
    assert (live["event"], live["data"]["id"]) == ("answer.created", third.pk)
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_catch_up_replays_only_the_topic_asked_for(question, other_student):
    ws = await open_socket()
    cursor = (await subscribed(ws, "feed"))["cursor"]
    await ws.disconnect()
    await in_thread(make_answer)(author=other_student, question=question)

    ws = await open_socket()
    frames = await subscribe(ws, "feed", since=cursor)

    assert [(f["topic"], f["event"]) for f in events_in(frames)] == [("feed", "thread.activity")]
    await ws.disconnect()


async def test_an_event_committed_between_joining_and_reading_the_log_arrives_once(
    question, other_student, monkeypatch
):
    """The race the consumer is built around: the event is both in the
    catch-up query and on its way through the channel layer."""
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    read_log = queries.events_since
    racing = []

    def answer_then_read_log(**kwargs):
        racing.append(make_answer(author=other_student, question=question))
        return read_log(**kwargs)

    monkeypatch.setattr(queries, "events_since", answer_then_read_log)

    ws = await open_socket()
    frames = await subscribe(ws, topic, since=cursor)

    assert [(f["event"], f["data"]["id"]) for f in events_in(frames)] == [("answer.created", racing[0].pk)]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_subscribing_without_since_replays_nothing_and_gives_the_current_cursor(question, other_student):
    answer = await in_thread(make_answer)(author=other_student, question=question)
    latest = await in_thread(queries.topic_cursor)(f"thread:{question.pk}")

    ws = await open_socket()
    frames = await subscribe(ws, f"thread:{question.pk}", since=None)

    assert frames == [{"type": "subscribed", "topic": f"thread:{question.pk}", "cursor": str(latest)}]
    assert answer.pk  # the answer exists, and was not replayed
    await ws.disconnect()


async def test_too_much_to_replay_asks_the_client_to_resync_then_follows_live(
    question, other_student, third_student, monkeypatch
):
    monkeypatch.setattr(consumers, "CATCH_UP_LIMIT", 2)
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    for _ in range(3):
        await in_thread(make_answer)(author=other_student, question=question)
    latest = await in_thread(queries.topic_cursor)(topic)

    ws = await open_socket()
    frames = await subscribe(ws, topic, since=cursor)

    assert frames == [
        {"type": "resync", "topic": topic, "cursor": str(latest)},
        {"type": "subscribed", "topic": topic, "cursor": str(latest)},
    ]
    live = await in_thread(make_answer)(author=third_student, question=question)
    assert (await receive(ws))["data"]["id"] == live.pk
    await ws.disconnect()


async def test_a_cursor_as_a_number_works_like_the_string(question, other_student):
    ws = await open_socket()
    cursor = (await subscribed(ws, f"thread:{question.pk}"))["cursor"]
    await ws.disconnect()
    await in_thread(make_answer)(author=other_student, question=question)

    ws = await open_socket()
    frames = await subscribe(ws, f"thread:{question.pk}", since=int(cursor))

    assert [f["event"] for f in events_in(frames)] == ["answer.created"]
    await ws.disconnect()


@pytest.mark.parametrize("since", ["abc", -1, "-3", 1.5, True, {"id": 1}, "9" * 40])
async def test_a_malformed_cursor_gets_an_error_frame_and_no_subscription(question, since):
    ws = await open_socket()
    frames = await subscribe(ws, f"thread:{question.pk}", since=since)

    assert frames[0]["type"] == "error"
    assert (frames[0]["code"], frames[0]["topic"]) == ("invalid_cursor", f"thread:{question.pk}")
    # Not subscribed: subscribing now works.
    assert (await subscribe(ws, f"thread:{question.pk}"))[-1]["type"] == "subscribed"
    await ws.disconnect()


async def test_a_late_live_copy_of_a_replayed_event_is_dropped(question, other_student):
    """The layer may deliver an event after the catch-up already replayed it
    (Redis lag): the client must not see it twice."""
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    await in_thread(make_answer)(author=other_student, question=question)
    replayed = await in_thread(lambda: Event.objects.filter(topic=topic, id__gt=int(cursor)).get())()

    ws = await open_socket()
    frames = await subscribe(ws, topic, since=cursor)
    assert [f["cursor"] for f in events_in(frames)] == [str(replayed.pk)]

    await in_thread(events.send_to_layer)(replayed)
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()
