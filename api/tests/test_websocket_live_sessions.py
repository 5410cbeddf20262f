"""The live:<id> topic: watchers get new questions, coalesced vote counts,
"being answered" markers and answers; a held question reaches only its asker
and moderators; catch-up re-presents questions as they are now."""

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
from forum import queries
from forum.services import live_sessions
from tests.factories import make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock

pytestmark = pytest.mark.django_db(transaction=True)


async def receive_event(ws) -> dict:
    """The next event frame (presence counts of the topic come in between)."""
    while True:
        frame = await receive(ws)
        if frame["type"] == "event":
            return frame


QUESTION = "Comment relancer une entreprise qui ne répond pas à ma candidature ?"


@pytest.fixture
def session(moderator):
    hr = make_verified_hr(moderator=moderator)
    return make_live_session(organiser=hr)


async def test_watchers_see_questions_votes_and_answers_live(session, student, other_student):
    topic = f"live:{session.pk}"
    watcher = await open_socket()
    await subscribed(watcher, topic)

    question = await in_thread(live_sessions.submit_question)(author=student, session=session, body=QUESTION)
    frame = await receive_event(watcher)
    assert (frame["event"], frame["data"]["id"]) == ("live.question.created", question.pk)
    assert "relancer" in frame["data"]["body_html"]

    await in_thread(live_sessions.cast_vote)(user=other_student, question=question)
    frame = await receive_event(watcher)
    assert frame["event"] == "live.votes"
    assert frame["data"]["questions"] == [{"id": question.pk, "vote_count": 1}]

    await in_thread(set_clock)(session, "live")
    host = await in_thread(lambda: session.hosts.get())()
    await in_thread(live_sessions.start_answering)(host=host, question=question)
    assert (await receive_event(watcher))["event"] == "live.question.answering"
    await in_thread(live_sessions.answer_question)(
        host=host, question=question, answer="Relancez par téléphone une semaine après votre envoi."
    )
    frame = await receive_event(watcher)
    assert frame["event"] == "live.question.answered"
    assert "Relancez" in frame["data"]["answer_html"]
    await watcher.disconnect()


async def test_a_vote_storm_reaches_watchers_as_few_frames_with_the_final_count(session, student):
    topic = f"live:{session.pk}"
    watcher = await open_socket()
    await subscribed(watcher, topic)
    question = await in_thread(live_sessions.submit_question)(author=student, session=session, body=QUESTION)
    await receive_event(watcher)
    voters = await in_thread(lambda: [make_user(username=f"storm{n}") for n in range(15)])()
    for voter in voters:
        await in_thread(live_sessions.cast_vote)(user=voter, question=question)
    counts = []
    while True:
        try:
            frame = await receive_event(watcher)
        except Exception:
            break
        counts.append(frame["data"]["questions"][0]["vote_count"])
        if counts[-1] == 15:
            break
    # The trailing flush (VOTE_EVENT_INTERVAL after the last event) publishes the final count.
    assert counts[-1] == 15
    assert len(counts) < 15
    await watcher.disconnect()


async def test_a_held_question_reaches_its_asker_and_moderators_only(session, moderator):
    topic = f"live:{session.pk}"
    newcomer = await in_thread(make_user)(username="nouvelle", date_joined=timezone.now())
    asker, modo, anonymous = await open_socket_as(newcomer), await open_socket_as(moderator), await open_socket()
    for ws in (asker, modo, anonymous):
        await subscribed(ws, topic)
    question = await in_thread(live_sessions.submit_question)(author=newcomer, session=session, body=QUESTION)
    assert question.visibility == "pending"
    for ws in (asker, modo):
        assert (await receive_event(ws))["data"]["visibility"] == "pending"
    while not await anonymous.receive_nothing(timeout=0.3):
        assert (await receive(anonymous))["type"] == "presence"
    for ws in (asker, modo, anonymous):
        await ws.disconnect()


async def test_catch_up_replays_the_current_state_and_tombstones_hidden_questions(session, student, moderator):
    topic = f"live:{session.pk}"
    before = await in_thread(queries.topic_cursor)(topic)
    kept = await in_thread(live_sessions.submit_question)(author=student, session=session, body=QUESTION)
    hidden = await in_thread(live_sessions.submit_question)(
        author=student, session=session, body="Une question hors sujet qui sera masquée par la modération."
    )
    await in_thread(live_sessions.hide_question)(moderator=moderator, question=hidden)

    ws = await open_socket()
    replayed = events_in(await subscribe(ws, topic, since=before))
    await ws.disconnect()
    by_id = [(f["event"], f["data"]["id"]) for f in replayed]
    assert ("live.question.created", kept.pk) in by_id
    assert ("live.question.created", hidden.pk) not in by_id
    assert ("live.question.removed", hidden.pk) in by_id
    assert all("body_html" not in f["data"] for f in replayed if f["data"]["id"] == hidden.pk)


async def test_unknown_sessions_are_refused(db):
    ws = await open_socket()
    frames = await subscribe(ws, "live:999999")
    assert frames[-1]["type"] == "error"
    assert frames[-1]["code"] == "not_found"
    await ws.disconnect()
