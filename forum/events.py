"""Event names, topics and publishing.

`publish()` writes the event row inside the caller's transaction (so the log
and the change commit or roll back together) and defers the channel-layer send
with `transaction.on_commit`, so no event ever announces a rolled-back change.
The layer is only a hint: clients catch up from `Event` rows by cursor.
"""

import asyncio
import json
import logging
import time

from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q

from config import request_id
from forum import charter, http_cache, layer_loop, page_versions
from forum.models import Answer, Event, Question, Visibility
from forum.presenters import (
    answer_data,
    iso,
    live_question_data,
    question_summary_data,
    review_item_summary,
)

logger = logging.getLogger(__name__)

# Event names: the public contract documented in docs/websocket.md.
# Threads and answers, on public topics (thread:<id>, tag:<slug>, feed).
QUESTION_CREATED = "question.created"
QUESTION_UPDATED = "question.updated"
QUESTION_REMOVED = "question.removed"
THREAD_ACTIVITY = "thread.activity"
THREAD_MODERATED = "thread.moderated"
ANSWER_CREATED = "answer.created"
ANSWER_UPDATED = "answer.updated"
ANSWER_REMOVED = "answer.removed"
ANSWER_VOTED = "answer.voted"
ANSWER_ACCEPTED = "answer.accepted"
ANSWER_UNACCEPTED = "answer.unaccepted"
# The review queue, on the moderators' topic.
REVIEW_ADDED = "review.added"
REVIEW_UPDATED = "review.updated"
REVIEW_RESOLVED = "review.resolved"
# To one member, on their user:<id> topic.
MODERATION_DECISION = "moderation.decision"
MODERATION_WARNING = "moderation.warning"
# The member's unread notification count changed (forum.notifications).
NOTIFICATION_COUNT = "notification.count"
# The consumer closes every socket of the member on this one (suspension, ban).
SESSION_REVOKED = "session.revoked"
# The consumer closes (4401) the sockets opened with a credential that ended:
# a device token revoked, a web session logged out, every one on a password change.
CREDENTIALS_REVOKED = "credentials.revoked"
# Live sessions, on live:<id> (docs/websocket.md, "Live sessions").
LIVE_QUESTION_CREATED = "live.question.created"
LIVE_VOTES = "live.votes"
LIVE_QUESTION_ANSWERING = "live.question.answering"
LIVE_QUESTION_ANSWERED = "live.question.answered"
LIVE_QUESTION_REMOVED = "live.question.removed"
LIVE_SESSION_UPDATED = "live.session.updated"

# Events that only add to what a search finds (a new question or answer, one
# approved), reorder it (votes, an accepted answer) or change nothing it shows
# (notifications, the review queue, live-session questions before they are
# removed): the shared search results may show them late, within
# settings.HTTP_CACHE_SECONDS and a grace (http_cache.SEARCH_GRACE_SECONDS),
# instead of being searched again for each. Every other event (an edit, a
# removal, a moderation decision, anything new) empties them at once: text
# that was hidden must never be found (forum/http_cache.py).
SEARCH_MAY_LAG = frozenset(
    {
        QUESTION_CREATED,
        THREAD_ACTIVITY,
        ANSWER_CREATED,
        ANSWER_VOTED,
        ANSWER_ACCEPTED,
        ANSWER_UNACCEPTED,
        REVIEW_ADDED,
        REVIEW_UPDATED,
        REVIEW_RESOLVED,
        NOTIFICATION_COUNT,
        LIVE_QUESTION_CREATED,
        LIVE_VOTES,
        LIVE_QUESTION_ANSWERING,
        LIVE_QUESTION_ANSWERED,
    }
)

# Topics without an id.
FEED = "feed"
MODERATION = "moderation"
CONSUMER_MESSAGE_TYPE = "forum.event"


def thread_topic(question_id: int) -> str:
    return f"thread:{question_id}"


def live_topic(session_id: int) -> str:
    return f"live:{session_id}"


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
    _commit_events_in_cursor_order()
    event = Event.objects.create(
        topic=topic,
        name=name,
        payload=payload,
        audience=audience,
        recipient_id=recipient_id,
        request_id=request_id.get(),
    )
    # The HTTP cache's ban first: a client that hears of the change fetches
    # the page's new parts at once (forum/http_cache.py).
    if http_cache.enabled():
        every = name not in SEARCH_MAY_LAG
        transaction.on_commit(lambda: http_cache.ban_topics([topic], every=every), robust=True)
    transaction.on_commit(lambda: send_to_layer(event))
    return event


# Any constant: the key of the one advisory lock that orders event commits.
EVENT_LOG_LOCK = 7_400_004


def _commit_events_in_cursor_order() -> None:
    """Make cursor order and commit order the same.

    Ids come from a sequence at INSERT time, but transactions may commit in any
    order: a client catching up could see cursor 11 committed while 10 is still
    in flight, move its cursor to 11 and never receive 10. Holding one
    transaction-scoped advisory lock from the first event write until commit
    makes committed event ids increase in commit order. SQLite needs nothing:
    it already serialises writers. Services publish after taking their row
    locks, so the lock is held briefly; keep it that way (a row lock taken
    after publishing would wait while holding this one, and could deadlock).
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: the
            # checks of the rows this transaction wrote (a KEY SHARE lock on
            # each referenced row) would run at COMMIT, after this lock, and
            # wait for a row held by a transaction that waits for this lock:
            # a deadlock, measured by bench/live_sessions.py (docs/known-traps.md).
            # Checking them now keeps every row lock before the event lock.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EVENT_LOG_LOCK])


def may_receive(*, audience: str, recipient_id: int | None, user_id: int | None, is_moderator: bool) -> bool:
    """Whether a connection may receive an event: the live form of `audience_filter`.

    Pure (no database access) because the consumer asks it once per event per watcher."""
    if audience == Event.Audience.PUBLIC:
        return True
    if audience == Event.Audience.MODERATORS:
        return is_moderator
    is_recipient = user_id is not None and recipient_id == user_id
    if audience == Event.Audience.RESTRICTED:
        return is_recipient or is_moderator
    if audience == Event.Audience.PRIVATE:
        return is_recipient
    return False


def audience_filter(*, user_id: int | None, is_moderator: bool) -> Q:
    """The events a member may receive, for catch-up queries; agrees with `may_receive` (tested)."""
    allowed = Q(audience=Event.Audience.PUBLIC)
    if is_moderator:
        allowed |= Q(audience__in=[Event.Audience.MODERATORS, Event.Audience.RESTRICTED])
    if user_id is not None:
        allowed |= Q(audience__in=[Event.Audience.RESTRICTED, Event.Audience.PRIVATE], recipient_id=user_id)
    return allowed


def publish_private_many(*, name: str, payloads: dict[int, dict]) -> list[Event]:
    """`publish` for many members at once, each on their own `user:<id>` topic:
    one INSERT for the rows and one trip to the layer for the sends, so a
    fan-out to 10,000 followers is not 10,000 round trips (bench/notifications_fanout.py)."""
    if not payloads:
        return []
    _commit_events_in_cursor_order()
    rows = Event.objects.bulk_create(
        [
            Event(
                topic=user_topic(user_id),
                name=name,
                payload=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
                audience=Event.Audience.PRIVATE,
                recipient_id=user_id,
                request_id=request_id.get(),
            )
            for user_id, data in payloads.items()
        ]
    )
    transaction.on_commit(lambda: send_many_to_layer(rows))
    return rows


SEND_SLICE = 200
# The layer's connection has no socket timeout (docs/known-traps.md, redis-py 8),
# so a Redis that hangs rather than refusing would hold the request that
# committed forever. Past this, the send is abandoned: clients catch up.
LAYER_SEND_TIMEOUT = 2.0
# After a send that timed out, this process stops trying for a moment: a
# write publishes several events, and each would wait LAYER_SEND_TIMEOUT
# again. (A refused connection fails at once and needs no pause.)
LAYER_PAUSE_AFTER_FAILURE = 2.0
_layer_paused_until = 0.0


def _layer_paused() -> bool:
    return time.monotonic() < _layer_paused_until


def _pause_layer() -> None:
    global _layer_paused_until
    _layer_paused_until = time.monotonic() + LAYER_PAUSE_AFTER_FAILURE


def send_many_to_layer(rows: list[Event]) -> None:
    layer = get_channel_layer()
    if layer is None or _layer_paused():
        return

    async def send_all():
        # Concurrent in slices: one Redis round trip at a time would make
        # 10,000 followers 10,000 sequential trips; a slice bounds what is in flight.
        for start in range(0, len(rows), SEND_SLICE):
            await asyncio.wait_for(
                asyncio.gather(
                    *(
                        layer.group_send(group_name(event.topic), layer_message(event))
                        for event in rows[start : start + SEND_SLICE]
                    )
                ),
                LAYER_SEND_TIMEOUT,
            )

    try:
        layer_loop.run(send_all, timeout=LAYER_SEND_TIMEOUT * (1 + len(rows) // SEND_SLICE) + 1)
    except TimeoutError:
        _pause_layer()
        logger.warning("Channel layer timed out: %s events left to catch-up", len(rows))
    except Exception:
        logger.exception("Could not send %s events to the channel layer", len(rows))


def layer_message(event: Event) -> dict:
    """What the channel layer carries for `event`; also what a process's hub
    rebuilds from the row when the layer lost it (api/fanout.py, `Hub.sweep`)."""
    return {
        "type": CONSUMER_MESSAGE_TYPE,
        "topic": event.topic,
        "event": event.name,
        "cursor": str(event.id),
        "data": event.payload,
        "audience": event.audience,
        "recipient_id": event.recipient_id,
        # For operators only (the consumer never forwards them): the fan-out
        # lag metric and the request that caused it (docs/operations.md).
        "created_at": event.created_at.timestamp(),
        "request_id": event.request_id,
    }


def send_to_layer(event: Event) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    if _layer_paused():
        logger.warning("Channel layer paused after a failure: event %s left to catch-up", event.id)
        return
    message = layer_message(event)

    async def send():
        await asyncio.wait_for(layer.group_send(group_name(event.topic), message), LAYER_SEND_TIMEOUT)

    try:
        layer_loop.run(send, timeout=LAYER_SEND_TIMEOUT + 1)
    except TimeoutError:
        _pause_layer()
        logger.warning("Channel layer timed out: event %s left to catch-up", event.id)
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
    # Lists show the title and tags too, but their topics (feed, tag:<slug>)
    # get no event for an edit: their cached pages go by the generation.
    page_versions.bump_generation()


def thread_activity(question: Question) -> None:
    """Counters and status for lists (home page, tag pages)."""
    publish(topic=FEED, name=THREAD_ACTIVITY, data=thread_activity_data(question), **_audience_for(question))


def thread_activity_data(question: Question) -> dict:
    return {
        "id": question.pk,
        "answer_count": question.answer_count,
        "status": str(question.status),
        "last_activity_at": iso(question.last_activity_at),
    }


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


# --- Moderation events ------------------------------------------------------------


def question_removed(question: Question, reason: str) -> None:
    """Public on purpose, like answer_removed: the thread leaves every list and
    page that showed it. Restoring publishes `question.created` again."""
    data = {"id": question.pk, "reason": reason}
    publish(topic=thread_topic(question.pk), name=QUESTION_REMOVED, data=data)
    publish(topic=FEED, name=QUESTION_REMOVED, data=data)
    for slug in question.tags.values_list("slug", flat=True):
        publish(topic=tag_topic(slug), name=QUESTION_REMOVED, data=data)


def thread_moderated(question: Question) -> None:
    """Lock, pin, close as duplicate: the thread page and lists update their banners."""
    data = thread_moderated_data(question, duplicate_of=question.duplicate_of)
    audience = _audience_for(question)
    publish(topic=thread_topic(question.pk), name=THREAD_MODERATED, data=data, **audience)
    publish(topic=FEED, name=THREAD_MODERATED, data=data, **audience)


def thread_moderated_data(question: Question, *, duplicate_of: Question | None) -> dict:
    return {
        "id": question.pk,
        "status": str(question.status),
        "is_locked": question.is_locked,
        "is_pinned": question.pinned_at is not None,
        "duplicate_of": (
            {"id": duplicate_of.pk, "title": duplicate_of.title, "web_url": duplicate_of.get_absolute_url()}
            if duplicate_of
            else None
        ),
    }


def review_changed(item, name: str) -> None:
    """The review queue of every moderator (topic `moderation`)."""
    publish(topic=MODERATION, name=name, data=review_item_summary(item), audience=Event.Audience.MODERATORS)


def moderation_decision(
    post: Question | Answer, *, decision: str, clause: str, note: str, review_item_id: int | None = None
) -> None:
    """Tells the author, privately, what happened to their post and why. The
    clause's words are not in the payload (it is built once, in the moderator's
    language): `outcome_url` is the page that explains it in the reader's, and
    `GET /api/v1/moderation/decisions/<review_item_id>/` the same for the app."""
    is_question = isinstance(post, Question)
    data = {
        "post_type": "question" if is_question else "answer",
        "id": post.pk,
        "question_id": post.pk if is_question else post.question_id,
        "decision": decision,
        "visibility": post.visibility,
        "clause": clause,
        "note": note,
        "web_url": post.get_absolute_url(),
        "review_item_id": review_item_id,
        "clause_url": charter.CLAUSES[clause].url if clause in charter.CLAUSES else None,
        "outcome_url": charter.outcome_url(review_item_id) if review_item_id else None,
    }
    publish(
        topic=user_topic(post.author_id),
        name=MODERATION_DECISION,
        data=data,
        audience=Event.Audience.PRIVATE,
        recipient_id=post.author_id,
    )


def moderation_warning(sanction) -> None:
    data = {
        "id": sanction.pk,
        "kind": sanction.kind,
        "clause": sanction.clause,
        "message": sanction.message,
        "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
        "clause_url": charter.CLAUSES[sanction.clause].url if sanction.clause in charter.CLAUSES else None,
        "outcome_url": charter.sanction_url(sanction.pk),
    }
    publish(
        topic=user_topic(sanction.user_id),
        name=MODERATION_WARNING,
        data=data,
        audience=Event.Audience.PRIVATE,
        recipient_id=sanction.user_id,
    )


def session_revoked(user_id: int, reason: str) -> None:
    """Every open websocket of this member must close now (the consumer acts on
    it); their device tokens are already revoked in the same transaction."""
    publish(
        topic=user_topic(user_id),
        name=SESSION_REVOKED,
        data={"user_id": user_id, "reason": reason},
        audience=Event.Audience.PRIVATE,
        recipient_id=user_id,
    )


def credentials_revoked(
    user_id: int,
    *,
    token_ids: list[int] | None = None,
    all_tokens: bool = False,
    session: str | None = None,
    all_sessions: bool = False,
    reason: str,
) -> None:
    """The sockets opened with these credentials must close now (4401); the
    member's other sockets stay open. `session` is a session's fingerprint
    (`forum.services.tokens.session_fingerprint`), never the key itself: the
    log and the channel layer must not carry a usable credential."""
    publish(
        topic=user_topic(user_id),
        name=CREDENTIALS_REVOKED,
        data={
            "user_id": user_id,
            "token_ids": sorted(token_ids or []),
            "all_tokens": all_tokens,
            "session": session,
            "all_sessions": all_sessions,
            "reason": reason,
        },
        audience=Event.Audience.PRIVATE,
        recipient_id=user_id,
    )


def ends_credential(data: dict, *, token_id: int | None, session: str | None) -> bool:
    """Whether a `credentials.revoked` payload ends the credential a socket was
    opened with. Pure: the consumer asks it on the live path."""
    if token_id is not None:
        return bool(data.get("all_tokens")) or token_id in data.get("token_ids", ())
    if session is not None:
        return bool(data.get("all_sessions")) or data.get("session") == session
    return False


def notification_counts(counts: dict[int, int]) -> None:
    """Each member's new unread count, on their private topic: the header
    counter follows it live; catch-up replays the count as it is now."""
    publish_private_many(name=NOTIFICATION_COUNT, payloads={uid: {"unread_count": n} for uid, n in counts.items()})


# --- Live sessions ----------------------------------------------------------------


def live_question_changed(question, name: str) -> None:
    """Created, answering, answered: the whole public question, so that 5,000
    watchers need no fetch. A held question only reaches its author and moderators."""
    if question.visibility == Visibility.PUBLISHED:
        audience = {"audience": Event.Audience.PUBLIC}
    else:
        audience = {"audience": Event.Audience.RESTRICTED, "recipient_id": question.author_id}
    publish(topic=live_topic(question.session_id), name=name, data=live_question_data(question), **audience)


def live_votes(session_id: int, counts: dict[int, int]) -> None:
    """The vote counts that changed in a session since its last `live.votes`:
    one event for every question at once, so a vote storm over many questions
    is still at most a few broadcasts per second."""
    publish(
        topic=live_topic(session_id),
        name=LIVE_VOTES,
        data={
            "session_id": session_id,
            "questions": [{"id": pk, "vote_count": count} for pk, count in sorted(counts.items())],
        },
    )


def live_question_removed(question, reason: str, merged_into_id: int | None = None) -> None:
    # Public on purpose, like answer_removed: whoever saw it must see it go.
    publish(
        topic=live_topic(question.session_id),
        name=LIVE_QUESTION_REMOVED,
        data={"id": question.pk, "session_id": question.session_id, "reason": reason, "merged_into": merged_into_id},
    )


def live_session_updated(session) -> None:
    """Its phase changed (started, closed) or its details were edited."""
    publish(
        topic=live_topic(session.pk),
        name=LIVE_SESSION_UPDATED,
        data={
            "id": session.pk,
            "phase": session.phase(),
            "starts_at": iso(session.starts_at),
            "ends_at": iso(session.ends_at),
        },
    )
