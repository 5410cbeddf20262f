"""Events never carry content to someone who may not see it: held posts reach
only their author and moderators, live and on catch-up."""

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
from forum import events, queries
from forum.models import Event, Question, Visibility
from forum.services.answers import withdraw_answer
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def newcomer():
    """A brand-new account: its first posts wait for a moderator (screening)."""
    return make_user(username="nouvelle", date_joined=timezone.now())


async def test_a_held_answer_reaches_its_author_and_moderators_only(question, moderator):
    topic = f"thread:{question.pk}"
    author = await in_thread(newcomer)()
    author_ws = await open_socket_as(author)
    modo = await open_socket_as(moderator)
    asker = await open_socket_as(question.author)
    anonymous = await open_socket()
    for ws in (author_ws, modo, asker, anonymous):
        await subscribed(ws, topic)

    answer = await in_thread(make_answer)(author=author, question=question)

    assert answer.visibility == Visibility.PENDING
    for ws in (author_ws, modo):
        frame = await receive(ws)
        assert (frame["event"], frame["data"]["id"], frame["data"]["visibility"]) == (
            "answer.created",
            answer.pk,
            "pending",
        )
    for ws in (asker, anonymous):
        assert await ws.receive_nothing(timeout=0.3)
    for ws in (author_ws, modo, asker, anonymous):
        await ws.disconnect()


async def test_catch_up_leaves_out_what_the_subscriber_may_not_see(question, moderator):
    topic = f"thread:{question.pk}"
    before = await in_thread(queries.topic_cursor)(topic)
    author = await in_thread(newcomer)()
    await in_thread(make_answer)(author=author, question=question)

    replayed = {}
    for name, user in (("author", author), ("moderator", moderator), ("asker", question.author)):
        ws = await open_socket_as(user)
        replayed[name] = [f["event"] for f in events_in(await subscribe(ws, topic, since=before))]
        await ws.disconnect()
    ws = await open_socket()
    replayed["anonymous"] = [f["event"] for f in events_in(await subscribe(ws, topic, since=before))]
    await ws.disconnect()

    assert replayed == {"author": ["answer.created"], "moderator": ["answer.created"], "asker": [], "anonymous": []}


async def test_a_removal_reaches_everyone_so_the_answer_disappears(question, answer, other_student):
    ws = await open_socket()
    await subscribed(ws, f"thread:{question.pk}")

    await in_thread(withdraw_answer)(user=other_student, answer=answer)

    frame = await receive(ws)
    assert (frame["event"], frame["data"]) == (
        "answer.removed",
        {"id": answer.pk, "question_id": question.pk, "reason": "withdrawn"},
    )
    await ws.disconnect()


async def test_the_moderation_topic_is_for_moderators(student, moderator):
    ws = await open_socket_as(student)
    [error] = await subscribe(ws, "moderation")
    assert (error["type"], error["code"], error["topic"]) == ("error", "forbidden", "moderation")
    await ws.disconnect()

    modo = await open_socket_as(moderator)
    await subscribed(modo, "moderation")
    author = await in_thread(newcomer)()
    await in_thread(make_question)(author=author)

    frame = await receive(modo)
    assert (frame["topic"], frame["event"]) == ("moderation", "review.added")
    await modo.disconnect()


async def test_user_me_needs_a_logged_in_member():
    ws = await open_socket()
    [error] = await subscribe(ws, "user:me")
    assert (error["code"], error["topic"]) == ("unauthorized", "user:me")
    await ws.disconnect()


async def test_a_thread_that_is_not_visible_is_not_found_and_not_joined(student, other_student, moderator):
    def pending_question():
        question = make_question(author=student)
        Question.objects.filter(pk=question.pk).update(visibility=Visibility.PENDING)
        return question

    question = await in_thread(pending_question)()
    topic = f"thread:{question.pk}"

    for socket in (await open_socket(), await open_socket_as(other_student)):
        [error] = await subscribe(socket, topic)
        assert (error["code"], error["topic"]) == ("not_found", topic)
        await socket.disconnect()
    for user in (student, moderator):
        socket = await open_socket_as(user)
        await subscribed(socket, topic)
        await socket.disconnect()

    ws = await open_socket()
    [error] = await subscribe(ws, "thread:99999999")
    assert error["code"] == "not_found"
    await ws.disconnect()


# --- the rule itself, in its two forms --------------------------------------------

VIEWERS = {
    "anonymous": lambda recipient, someone: (None, False),
    "recipient": lambda recipient, someone: (recipient.pk, False),
    "someone else": lambda recipient, someone: (someone.pk, False),
    "a moderator": lambda recipient, someone: (someone.pk, True),
}
SEES = {
    "anonymous": {"public"},
    "recipient": {"public", "restricted", "private"},
    "someone else": {"public"},
    "a moderator": {"public", "restricted", "moderators"},
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_live_filter_and_the_catch_up_query_agree_on_every_audience(db, viewer):
    recipient, someone = make_user(), make_user()
    for audience in Event.Audience.values:
        Event.objects.create(topic="parity", name=audience, payload={}, audience=audience, recipient_id=recipient.pk)
    user_id, is_moderator = VIEWERS[viewer](recipient, someone)

    live = {
        event.name
        for event in Event.objects.filter(topic="parity")
        if events.may_receive(
            audience=event.audience, recipient_id=event.recipient_id, user_id=user_id, is_moderator=is_moderator
        )
    }
    caught_up = {
        name
        for _cursor, name, _payload in queries.events_since(
            topic="parity", since=0, user_id=user_id, is_moderator=is_moderator, limit=100
        )
    }

    assert live == caught_up == SEES[viewer]
