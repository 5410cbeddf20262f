"""Catch-up is a read path: over a real `/ws/` socket, what it replays passes
today's visibility policy for this viewer (the exhaustive comparison with REST
is in test_catch_up_matches_rest.py), and cursors it cannot honour get `resync`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.websocket_support import (
    events_in,
    in_thread,
    open_socket,
    open_socket_as,
    receive,
    subscribe,
    subscribed,
)
from forum import events
from forum.models import Event
from forum.services import moderation
from forum.services.answers import edit_answer
from forum.services.event_log import prune_events
from tests.factories import make_answer

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Le numéro direct de la RH est dans ma réponse cachée."
FIRST_VERSION = "Première version : appelle l'entreprise directement."
CURRENT_VERSION = "Version actuelle : passe plutôt par ton CFA."


async def test_an_answer_hidden_since_is_replayed_as_a_tombstone_to_readers_and_as_is_to_moderators(
    question, other_student, moderator
):
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    answer = await in_thread(make_answer)(author=other_student, question=question, body=SECRET)
    await in_thread(moderation.hide_post)(moderator=moderator, post=answer, clause="respect")

    reader = await open_socket()
    replayed = events_in(await subscribe(reader, topic, since=cursor))
    modo = await open_socket_as(moderator)
    seen_by_moderator = events_in(await subscribe(modo, topic, since=cursor))

    assert "RH" not in str(replayed)
    assert {(f["event"], f["data"]["id"]) for f in replayed} == {("answer.removed", answer.pk)}
    assert replayed[0]["data"]["reason"] == "moderation"
    # The same cursors, another viewer, another frame (the shared frame cache
    # must not hand one viewer's replay to the other).
    assert [f["cursor"] for f in seen_by_moderator][:1] == [replayed[0]["cursor"]]
    assert seen_by_moderator[0]["data"]["body_html"].count("RH") == 1
    assert {f["data"]["visibility"] for f in seen_by_moderator if "visibility" in f["data"]} == {"hidden"}
    await reader.disconnect()
    await modo.disconnect()


async def test_an_edited_answer_replays_only_its_current_version(question, other_student):
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    answer = await in_thread(make_answer)(author=other_student, question=question, body=FIRST_VERSION)
    await in_thread(edit_answer)(editor=other_student, answer=answer, body=CURRENT_VERSION)

    ws = await open_socket()
    replayed = events_in(await subscribe(ws, topic, since=cursor))

    assert [f["event"] for f in replayed] == ["answer.created", "answer.updated"]
    assert all("Version actuelle" in f["data"]["body_html"] for f in replayed)
    assert "Première version" not in str(replayed)
    await ws.disconnect()


async def test_a_cursor_newer_than_the_log_gets_resync_and_then_live_events(question, other_student):
    """After a database restore, clients hold cursors the log never reached:
    accepting them would drop every live event until the log caught up."""
    topic = f"thread:{question.pk}"
    newest = await in_thread(lambda: Event.objects.order_by("-id").values_list("id", flat=True).first())()
    ws = await open_socket()

    frames = await subscribe(ws, topic, since=newest + 1000)

    assert [f["type"] for f in frames] == ["resync", "subscribed"]
    assert int(frames[0]["cursor"]) <= newest
    answer = await in_thread(make_answer)(author=other_student, question=question)
    live = await receive(ws)
    assert (live["event"], live["data"]["id"]) == ("answer.created", answer.pk)
    await ws.disconnect()


async def test_a_cursor_older_than_the_pruned_horizon_gets_resync(question, other_student):
    topic = f"thread:{question.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]
    await ws.disconnect()
    await in_thread(make_answer)(author=other_student, question=question)
    await in_thread(make_answer)(author=other_student, question=question)
    # Everything so far becomes older than the horizon and is pruned.
    await in_thread(lambda: Event.objects.update(created_at=timezone.now() - timedelta(days=40)))()
    assert await in_thread(prune_events)(older_than=timedelta(days=30)) > 0

    ws = await open_socket()
    frames = await subscribe(ws, topic, since=cursor)

    assert [f["type"] for f in frames] == ["resync", "subscribed"]
    await ws.disconnect()


async def test_a_question_removed_since_leaves_feed_catch_up_without_its_title(student, moderator):
    from tests.factories import make_question

    ws = await open_socket()
    cursor = (await subscribed(ws, "feed"))["cursor"]
    await ws.disconnect()
    question = await in_thread(make_question)(author=student, title="Titre qui sera retiré par la modération ?")
    await in_thread(moderation.hide_post)(moderator=moderator, post=question, clause="respect")

    ws = await open_socket()
    replayed = events_in(await subscribe(ws, "feed", since=cursor))

    assert "retiré" not in str(replayed)
    assert {f["event"] for f in replayed} == {events.QUESTION_REMOVED}
    await ws.disconnect()
