"""Discreet mode on the websocket: a live broadcast goes to a public topic, so
it carries the asker masked for every watcher; the catch-up replay is a read
like any other and re-presents each event for its reader (forum/replay.py):
masked for the organisations the asker hides from, named for moderators and
the asker."""

import json

import pytest

from api.tests.websocket_support import (
    events_in,
    in_thread,
    open_socket,
    open_socket_as,
    receive,
    subscribe,
    subscribed,
)
from forum import queries
from tests.discreet_factories import ASKER_NAME, ASKER_USERNAME, make_discreet_world
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)


def names_asker(frame) -> bool:
    text = json.dumps(frame, ensure_ascii=False)
    return ASKER_USERNAME in text or ASKER_NAME in text


async def test_a_live_answer_by_the_asker_reaches_every_watcher_masked():
    world = await in_thread(make_discreet_world)(answers=False)
    topic = f"thread:{world.question.pk}"
    sockets = {
        "hr_hidden": await open_socket_as(world.hr_hidden),
        "moderator": await open_socket_as(world.moderator),
        "member": await open_socket_as(world.member),
        "anonymous": await open_socket(),
    }
    for ws in sockets.values():
        await subscribed(ws, topic)

    answer = await in_thread(make_answer)(author=world.asker, question=world.question, body="Merci pour vos conseils !")

    for name, ws in sockets.items():
        frame = await receive(ws)
        assert (frame["event"], frame["data"]["id"]) == ("answer.created", answer.pk), name
        assert not names_asker(frame), name
        author = frame["data"]["author"]
        assert (author["username"], author["id"], author["web_url"], author["discreet"]) == (None, None, None, True)
    for ws in sockets.values():
        await ws.disconnect()


async def test_catch_up_names_the_asker_only_to_those_allowed_to_know():
    world = await in_thread(make_discreet_world)(answers=False)
    thread = f"thread:{world.question.pk}"
    before = await in_thread(queries.topic_cursor)(thread)
    feed_before = await in_thread(queries.topic_cursor)("feed") - 1
    await in_thread(make_answer)(author=world.hr_hidden, question=world.question, body="Voyez avec votre CFA.")
    await in_thread(make_answer)(author=world.asker, question=world.question, body="Merci, je vais le faire !")

    replayed = {}
    for name, user in world.viewers().items():
        ws = await open_socket_as(user) if user is not None else await open_socket()
        frames = events_in(await subscribe(ws, thread, since=before))
        frames += events_in(await subscribe(ws, "feed", since=feed_before))
        await ws.disconnect()
        # The asker's question (on feed) and their answer (on the thread).
        asker_frames = [f for f in frames if f["event"] == "question.created"] + [
            f for f in frames if f["event"] == "answer.created" and "Merci" in f["data"]["body_html"]
        ]
        assert [f["event"] for f in asker_frames] == ["question.created", "answer.created"], name
        replayed[name] = all(names_asker(f) for f in asker_frames)
        if name == "hr_hidden":
            assert not any(names_asker(f) for f in frames)

    assert replayed == {
        "anonymous": True,
        "member": True,
        "hr_hidden": False,
        "hr_other": True,
        "hr_former": True,
        "moderator": True,
        "asker": True,
    }
