"""The author hears of a moderation decision on `user:me` with the way to
its explanation (issue 17); nobody else's socket gets it, and catch-up
replays it to the author with the same links."""

import pytest

from api.tests.websocket_support import events_in, in_thread, open_socket_as, receive, subscribe, subscribed
from forum.models import CharterClause
from forum.services.moderation import hide_post
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_author_gets_the_outcome_link_and_no_one_else(student, other_student, moderator):
    question = await in_thread(make_question)(author=student)
    answer = await in_thread(make_answer)(author=other_student, question=question)
    author = await open_socket_as(other_student)
    cursor = (await subscribed(author, "user:me"))["cursor"]
    bystander = await open_socket_as(student)
    await subscribed(bystander, "user:me")

    item = await in_thread(hide_post)(moderator=moderator, post=answer, clause=CharterClause.PERSONAL_DATA)

    while True:
        frame = await receive(author)
        if frame.get("event") == "moderation.decision":
            break
    data = frame["data"]
    assert data["review_item_id"] == item.pk
    assert data["outcome_url"] == f"/moderation/decisions/{item.pk}/"
    assert data["clause_url"] == "/charte/#clause-personal_data"
    # The asker's socket hears of their notification count, never of the decision.
    frames = []
    while not await bystander.receive_nothing(timeout=0.3):
        frames.append(await receive(bystander))
    assert "moderation.decision" not in {f.get("event") for f in frames}
    await author.disconnect()
    await bystander.disconnect()

    # Away and back: catch-up replays it with the same links.
    later = await open_socket_as(other_student)
    replayed = events_in(await subscribe(later, "user:me", since=cursor))
    [decision] = [f for f in replayed if f["event"] == "moderation.decision"]
    assert decision["data"]["outcome_url"] == f"/moderation/decisions/{item.pk}/"
    await later.disconnect()
