"""Live events reach subscribers of a topic, and only while they are subscribed."""

import pytest

from api.tests.websocket_support import in_thread, open_socket, open_socket_as, receive, subscribed
from forum.services.answers import accept_answer
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_watcher_of_a_thread_receives_a_new_answer_after_the_service_commits(question, other_student):
    ws = await open_socket()
    ack = await subscribed(ws, f"thread:{question.pk}")

    answer = await in_thread(make_answer)(
        author=other_student, question=question, body="Regarde les offres de la **CCI** de ta région."
    )

    frame = await receive(ws)
    assert frame["type"] == "event"
    assert frame["topic"] == f"thread:{question.pk}"
    assert frame["event"] == "answer.created"
    assert int(frame["cursor"]) > int(ack["cursor"])
    data = frame["data"]
    assert data["id"] == answer.pk
    assert data["author"]["username"] == "bob"
    assert "<strong>CCI</strong>" in data["body_html"]
    await ws.disconnect()


async def test_votes_and_acceptance_follow_on_the_thread_topic(question, answer, student, third_student):
    ws = await open_socket()
    await subscribed(ws, f"thread:{question.pk}")

    await in_thread(cast_vote)(user=third_student, answer=answer)
    voted = await receive(ws)
    await in_thread(accept_answer)(user=student, answer=answer)
    accepted = await receive(ws)

    assert (voted["event"], voted["data"]["vote_count"]) == ("answer.voted", 1)
    assert accepted["event"] == "answer.accepted"
    assert accepted["data"] == {"question_id": question.pk, "answer_id": answer.pk, "previous_answer_id": None}
    await ws.disconnect()


async def test_the_feed_and_tag_topics_announce_new_questions(student):
    ws = await open_socket()
    await subscribed(ws, "feed")
    await subscribed(ws, "tag:rupture-de-contrat")

    question = await in_thread(make_question)(author=student, tags=("rupture-de-contrat",))

    frames = [await receive(ws), await receive(ws)]
    assert sorted((f["topic"], f["event"]) for f in frames) == [
        ("feed", "question.created"),
        ("tag:rupture-de-contrat", "question.created"),
    ]
    assert {f["data"]["id"] for f in frames} == {question.pk}
    assert frames[0]["cursor"] != frames[1]["cursor"]
    await ws.disconnect()


async def test_an_answer_also_moves_the_thread_on_the_feed(question, other_student):
    ws = await open_socket()
    await subscribed(ws, "feed")

    await in_thread(make_answer)(author=other_student, question=question)

    frame = await receive(ws)
    assert (frame["event"], frame["data"]["id"], frame["data"]["answer_count"]) == ("thread.activity", question.pk, 1)
    await ws.disconnect()


async def test_unsubscribing_stops_the_events_of_that_topic_only(question, other_student):
    ws = await open_socket()
    await subscribed(ws, f"thread:{question.pk}")
    await subscribed(ws, "feed")

    await ws.send_json_to({"type": "unsubscribe", "topic": f"thread:{question.pk}"})
    assert await receive(ws) == {"type": "unsubscribed", "topic": f"thread:{question.pk}"}
    await in_thread(make_answer)(author=other_student, question=question)

    frame = await receive(ws)
    assert (frame["topic"], frame["event"]) == ("feed", "thread.activity")
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_private_topic_carries_the_members_own_events_under_user_me(student, other_student):
    from forum import events

    ws = await open_socket_as(student)
    await subscribed(ws, "user:me")
    other = await open_socket_as(other_student)
    await subscribed(other, "user:me")

    def notify():
        events.publish(
            topic=events.user_topic(student.pk),
            name="notification.created",
            data={"text": "Bob a répondu à ta question"},
            audience="private",
            recipient_id=student.pk,
        )

    await in_thread(notify)()

    frame = await receive(ws)
    assert (frame["topic"], frame["event"], frame["data"]) == (
        "user:me",
        "notification.created",
        {"text": "Bob a répondu à ta question"},
    )
    assert await other.receive_nothing(timeout=0.3)
    await ws.disconnect()
    await other.disconnect()


async def test_ping_gets_pong():
    ws = await open_socket()
    await ws.send_json_to({"type": "ping"})
    assert await receive(ws) == {"type": "pong"}
    await ws.disconnect()
