"""Event names, topics and publishing.

`publish()` writes the event row inside the caller's transaction (so the log
and the change commit or roll back together) and defers the channel-layer send
with `transaction.on_commit`, so no event ever announces a rolled-back change.
The layer is only a hint: clients catch up from `Event` rows by cursor.
"""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from forum.models import Answer, Event, Question, Visibility
from forum.presenters import answer_data, question_summary_data

logger = logging.getLogger(__name__)

# Event names: the public contract documented in docs/websocket.md.
QUESTION_CREATED = "question.created"
QUESTION_UPDATED = "question.updated"
THREAD_ACTIVITY = "thread.activity"
ANSWER_CREATED = "answer.created"
ANSWER_UPDATED = "answer.updated"
ANSWER_REMOVED = "answer.removed"
ANSWER_VOTED = "answer.voted"
ANSWER_ACCEPTED = "answer.accepted"
ANSWER_UNACCEPTED = "answer.unaccepted"

FEED = "feed"
CONSUMER_MESSAGE_TYPE = "forum.event"


def thread_topic(question_id: int) -> str:
    return f"thread:{question_id}"


def tag_topic(slug: str) -> str:
    return f"tag:{slug}"


def user_topic(user_id: int) -> str:
    return f"user:{user_id}"


def group_name(topic: str) -> str:
    """Channel-layer group names allow only ASCII letters, digits, '-', '_' and '.'."""
    return "t." + topic.replace(":", ".")


def publish(
    *,
    topic: str,
    name: str,
    data: dict,
    audience: str = Event.Audience.PUBLIC,
    recipient_id: int | None = None,
) -> Event:
    # Round-trip through JSON now so an unserialisable payload fails where it
    # is made, not later in a consumer.
    payload = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    event = Event.objects.create(topic=topic, name=name, payload=payload, audience=audience, recipient_id=recipient_id)
    transaction.on_commit(lambda: send_to_layer(event))
    return event


def send_to_layer(event: Event) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": CONSUMER_MESSAGE_TYPE,
        "topic": event.topic,
        "event": event.name,
        "cursor": str(event.id),
        "data": event.payload,
        "audience": event.audience,
        "recipient_id": event.recipient_id,
    }
    try:
        async_to_sync(layer.group_send)(group_name(event.topic), message)
    except Exception:
        # The change is committed and the event row exists: clients will catch
        # up from the database. A broken layer must not turn a write into a 500.
        logger.exception("Could not send event %s to the channel layer", event.id)


def _audience_for(post: Question | Answer) -> dict:
    if post.visibility == Visibility.PUBLISHED:
        return {"audience": Event.Audience.PUBLIC}
    return {"audience": Event.Audience.RESTRICTED, "recipient_id": post.author_id}


# --- Domain events --------------------------------------------------------------


def question_created(question: Question, tags: list[str]) -> None:
    data = question_summary_data(question, tags)
    audience = _audience_for(question)
    publish(topic=FEED, name=QUESTION_CREATED, data=data, **audience)
    for tag in tags:
        publish(topic=tag_topic(tag), name=QUESTION_CREATED, data=data, **audience)


def question_updated(question: Question, tags: list[str]) -> None:
    data = question_summary_data(question, tags) | {"body_html": question.body_html}
    publish(topic=thread_topic(question.pk), name=QUESTION_UPDATED, data=data, **_audience_for(question))


def thread_activity(question: Question) -> None:
    """Counters and status for lists (home page, tag pages)."""
    data = {
        "id": question.pk,
        "answer_count": question.answer_count,
        "status": str(question.status),
        "last_activity_at": question.last_activity_at.isoformat(),
    }
    publish(topic=FEED, name=THREAD_ACTIVITY, data=data, **_audience_for(question))


def answer_created(answer: Answer) -> None:
    publish(
        topic=thread_topic(answer.question_id),
        name=ANSWER_CREATED,
        data=answer_data(answer),
        **_audience_for(answer),
    )


def answer_updated(answer: Answer) -> None:
    publish(
        topic=thread_topic(answer.question_id),
        name=ANSWER_UPDATED,
        data=answer_data(answer),
        **_audience_for(answer),
    )


def answer_removed(answer: Answer, reason: str) -> None:
    # Public on purpose: everyone who saw the answer must see it disappear.
    publish(
        topic=thread_topic(answer.question_id),
        name=ANSWER_REMOVED,
        data={"id": answer.pk, "question_id": answer.question_id, "reason": reason},
    )


def answer_voted(answer: Answer) -> None:
    publish(
        topic=thread_topic(answer.question_id),
        name=ANSWER_VOTED,
        data={"id": answer.pk, "question_id": answer.question_id, "vote_count": answer.vote_count},
    )


def answer_accepted(question: Question, answer: Answer, previous_id: int | None) -> None:
    publish(
        topic=thread_topic(question.pk),
        name=ANSWER_ACCEPTED,
        data={"question_id": question.pk, "answer_id": answer.pk, "previous_answer_id": previous_id},
    )


def answer_unaccepted(question: Question, answer_id: int) -> None:
    publish(
        topic=thread_topic(question.pk),
        name=ANSWER_UNACCEPTED,
        data={"question_id": question.pk, "answer_id": answer_id},
    )
