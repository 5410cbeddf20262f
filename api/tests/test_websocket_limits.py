"""Bad frames get an error frame and the socket stays usable; a flood gets the
socket closed with 4008; neither disturbs other clients."""

import json

import pytest

from api import consumers
from api.tests.websocket_support import in_thread, open_socket, receive, subscribe, subscribed
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)


async def assert_still_usable(ws):
    await ws.send_json_to({"type": "ping"})
    assert await receive(ws) == {"type": "pong"}


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ("", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('"subscribe"', "invalid_frame"),
        ("{}", "unknown_type"),
        ('{"type": "delete_everything"}', "unknown_type"),
        ('{"type": ["ping"]}', "unknown_type"),
        ('{"type": "subscribe"}', "invalid_topic"),
        ('{"type": "subscribe", "topic": "thread:abc"}', "invalid_topic"),
        ('{"type": "subscribe", "topic": "thread:0"}', "invalid_topic"),
        ('{"type": "subscribe", "topic": "user:42"}', "invalid_topic"),
        ('{"type": "subscribe", "topic": "tag:Pas Un Slug"}', "invalid_topic"),
        ('{"type": "subscribe", "topic": 42}', "invalid_topic"),
        ('{"type": "unsubscribe", "topic": null}', "invalid_topic"),
    ],
)
async def test_a_bad_frame_gets_an_error_frame_and_the_socket_stays_open(frame, code):
    ws = await open_socket()
    # The communicator refuses to send an empty text frame; a raw message does.
    await ws.send_input({"type": "websocket.receive", "text": frame})

    error = await receive(ws)

    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    await assert_still_usable(ws)
    await ws.disconnect()


async def test_binary_frames_are_refused():
    ws = await open_socket()
    await ws.send_to(bytes_data=b'{"type": "ping"}')
    assert (await receive(ws))["code"] == "invalid_frame"
    await assert_still_usable(ws)
    await ws.disconnect()


async def test_a_frame_over_16_kib_is_refused_even_when_valid():
    ws = await open_socket()
    await ws.send_json_to({"type": "ping", "padding": "é" * 9000})  # 18,000 bytes in UTF-8
    assert (await receive(ws))["code"] == "frame_too_large"
    await ws.send_json_to({"type": "ping", "padding": "e" * 16000})
    assert await receive(ws) == {"type": "pong"}
    await ws.disconnect()


async def test_subscribing_twice_to_a_topic_is_an_error_not_a_second_stream(question, other_student):
    ws = await open_socket()
    await subscribed(ws, f"thread:{question.pk}")
    [error] = await subscribe(ws, f"thread:{question.pk}")
    assert error["code"] == "already_subscribed"

    await in_thread(make_answer)(author=other_student, question=question)
    assert (await receive(ws))["event"] == "answer.created"
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_connection_follows_a_bounded_number_of_topics(monkeypatch):
    monkeypatch.setattr(consumers, "MAX_TOPICS", 3)
    ws = await open_socket()
    for slug in ("bts", "licence", "master"):
        await subscribed(ws, f"tag:{slug}")

    [error] = await subscribe(ws, "tag:doctorat")
    assert (error["code"], error["topic"]) == ("too_many_topics", "tag:doctorat")

    await ws.send_json_to({"type": "unsubscribe", "topic": "tag:bts"})
    assert (await receive(ws))["type"] == "unsubscribed"
    await subscribed(ws, "tag:doctorat")
    await ws.disconnect()


async def test_a_client_may_resubscribe_to_every_topic_at_once_after_a_reconnect():
    ws = await open_socket()
    for n in range(consumers.MAX_TOPICS):
        await ws.send_json_to({"type": "subscribe", "topic": f"tag:t{n}", "since": None})
    acks = [await receive(ws) for _ in range(consumers.MAX_TOPICS)]
    assert {a["type"] for a in acks} == {"subscribed"}
    await ws.disconnect()


async def test_a_flood_closes_that_socket_with_4008_and_leaves_others_alone(question, other_student):
    flooder = await open_socket()
    bystander = await open_socket()
    await subscribed(bystander, f"thread:{question.pk}")

    for _ in range(200):
        await flooder.send_to(text_data=json.dumps({"type": "ping"}))
    frames = []
    while True:
        output = await flooder.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
        frames.append(json.loads(output["text"]))

    assert output["code"] == 4008
    assert frames[-1]["type"] == "error"
    assert frames[-1]["code"] == "rate_limited"
    pongs = [f for f in frames if f["type"] == "pong"]
    assert consumers.FRAME_BURST <= len(pongs) < 200
    await flooder.disconnect(code=4008)

    await assert_still_usable(bystander)
    await in_thread(make_answer)(author=other_student, question=question)
    assert (await receive(bystander))["event"] == "answer.created"
    await bystander.disconnect()
