"""Websocket catch-up: what a subscriber missed, as it stands *now*.

Catch-up is a read path like any other. An `Event` row keeps the payload its
subject had when it was published: an answer since hidden or withdrawn, the
first version of an answer edited since, the title of a question removed
since, badges revoked since. Replaying those payloads as stored would hand any
socket (anonymous ones too) what REST now answers with a 404. So the replay
never sends a stored payload that shows content: every event about an answer,
a question or a review item is re-presented from the current database state
of its subject, through the same presenters as REST (`forum.presenters`) and
the same visibility policy (`forum.permissions.visible_*`), for this viewer:

- a subject the viewer may still see is replayed with its current data (an
  edited answer replays its current version, authors their current badges);
- an answer the viewer may no longer see becomes `answer.removed` (a tombstone:
  ids and a reason, no content); a question, `question.removed`.

The stored payload of such events is only read for the ids it names. Events
that show no one else's content (a member's own moderation notices) are
replayed as stored. Every batch costs a constant number of queries, however
many events it holds: the subjects of the batch are loaded together.

The live path (`api/fanout.py` -> `StreamConsumer.on_events`) does none of
this: it runs once per watcher and must stay free of database work, and an
event delivered live was true when it was published; a later removal publishes
its own `answer.removed` / `question.removed`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max, OuterRef, prefetch_related_objects

from forum import events, legal_dates, permissions, queries
from forum.models import Answer, Event, LiveQuestion, LiveSession, Notification, Question, Visibility
from forum.models.moderation import ReviewItem
from forum.presenters import answer_data, live_question_data, question_summary_data, review_item_summary

# Where `prune_events` records the newest cursor it deleted. Not a topic anyone
# can subscribe to (consumers only accept their documented topic forms).
HORIZON_TOPIC = "log:horizon"
HORIZON_EVENT = "log.pruned"

Row = tuple[int, str, dict]


@dataclass(frozen=True, slots=True)
class CatchUp:
    """`events` to replay in order, read up to `cursor`; or, when `resync` is
    set, nothing to replay and the client must reload the resource, then follow
    from `cursor`."""

    events: list[Row]
    resync: bool = False
    cursor: int = 0


def pruned_through() -> int:
    """The newest cursor `prune_events` deleted (0 if it never ran)."""
    payload = Event.objects.filter(topic=HORIZON_TOPIC).values_list("payload", flat=True).first()
    return int(payload.get("pruned_through", 0)) if isinstance(payload, dict) else 0


def catch_up(*, topic: str, since: int, user, is_moderator: bool, limit: int) -> CatchUp:
    """What a subscriber to `topic` missed after cursor `since`, re-presented
    for `user`. Resync when the cursor cannot be honoured: older than what the
    log keeps (pruned), newer than anything in the log (a client that saw a
    database since restored from backup), or more than `limit` events behind."""
    newest = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
    if since > newest or since < pruned_through():
        return CatchUp(events=[], resync=True, cursor=queries.topic_cursor(topic))
    rows = queries.events_since(
        topic=topic,
        since=since,
        user_id=user.pk if user.is_authenticated else None,
        is_moderator=is_moderator,
        limit=limit,
    )
    if len(rows) > limit:
        return CatchUp(events=[], resync=True, cursor=queries.topic_cursor(topic))
    # `cursor`: the last row read, replayed or not, so that the live copy of an
    # event the replay left out is not delivered after it either.
    return CatchUp(events=represent(user=user, topic=topic, rows=rows), cursor=rows[-1][0] if rows else since)


# --- Re-presenting a batch ---------------------------------------------------------

ANSWER_EVENTS = {
    events.ANSWER_CREATED,
    events.ANSWER_UPDATED,
    events.ANSWER_REMOVED,
    events.ANSWER_VOTED,
}
ACCEPT_EVENTS = {events.ANSWER_ACCEPTED, events.ANSWER_UNACCEPTED}
QUESTION_EVENTS = {
    events.QUESTION_CREATED,
    events.QUESTION_UPDATED,
    events.QUESTION_REMOVED,
    events.THREAD_ACTIVITY,
    events.THREAD_MODERATED,
}
REVIEW_EVENTS = {events.REVIEW_ADDED, events.REVIEW_UPDATED, events.REVIEW_RESOLVED}
# A member's own notices: nobody else's content, and the member is the only
# recipient (audience PRIVATE). Replayed as stored: they are what was decided then.
AS_STORED = {events.MODERATION_DECISION, events.MODERATION_WARNING}
# The member's unread count: replayed as it is now (one query per batch), never
# the stale number stored, so a client that was away shows the true count.
NOTIFICATION_EVENTS = {events.NOTIFICATION_COUNT}
# Orders to the server, not news for the client (the consumer acts on them live).
NEVER_REPLAYED = {events.SESSION_REVOKED, events.CREDENTIALS_REVOKED}
# Live sessions (topic live:<id>): questions re-presented as they are now.
LIVE_QUESTION_EVENTS = {
    events.LIVE_QUESTION_CREATED,
    events.LIVE_QUESTION_ANSWERING,
    events.LIVE_QUESTION_ANSWERED,
}
# Ids and a reason only, or a phase recomputed from the session's times.
LIVE_OTHER_EVENTS = {events.LIVE_QUESTION_REMOVED, events.LIVE_SESSION_UPDATED, events.LIVE_VOTES}


def _int(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _thread_id(topic: str) -> int | None:
    kind, _, rest = topic.partition(":")
    return int(rest) if kind == "thread" and rest.isdigit() else None


def _tag_slug(topic: str) -> str | None:
    kind, _, rest = topic.partition(":")
    return rest if kind == "tag" else None


class _Batch:
    """The subjects of one batch of rows, loaded at once, as `user` may see them now."""

    def __init__(self, *, user, topic: str, rows: list[Row]):
        self.user = user
        self.thread_id = _thread_id(topic)
        self.tag_slug = _tag_slug(topic)
        question_ids, answer_ids, review_ids = set(), set(), set()
        if self.thread_id:
            question_ids.add(self.thread_id)
        for _cursor, name, payload in rows:
            if name in QUESTION_EVENTS:
                question_ids.add(_int(payload.get("id")))
            elif name in ANSWER_EVENTS:
                answer_ids.add(_int(payload.get("id")))
            elif name in ACCEPT_EVENTS:
                answer_ids.update((_int(payload.get("answer_id")), _int(payload.get("previous_answer_id"))))
            elif name in REVIEW_EVENTS:
                review_ids.add(_int(payload.get("id")))
        question_ids.discard(None)
        review_ids.discard(None)

        # Questions the viewer may see now: the REST policy, one query (plus prefetches).
        self.questions: dict[int, Question] = {}
        if question_ids:
            visible = permissions.visible_questions(user, Question.objects.filter(pk__in=question_ids))
            self.questions = {
                q.pk: q
                for q in visible.select_related("author", "duplicate_of").prefetch_related(
                    "tags", *queries.author_badge_prefetches("author")
                )
            }
        # A duplicate's target is named (title, link) only if the viewer may see it.
        targets = {q.duplicate_of_id for q in self.questions.values() if q.duplicate_of_id}
        self.visible_targets = (
            set(
                permissions.visible_questions(user, Question.objects.filter(pk__in=targets)).values_list(
                    "pk", flat=True
                )
            )
            if targets
            else set()
        )
        for question in self.questions.values():
            if question.accepted_answer_id:
                answer_ids.add(question.accepted_answer_id)
        answer_ids.discard(None)

        # Answers: every one named (for the tombstone's reason), and the ids
        # the viewer may see, by the very policy the thread's answer list uses.
        self.answers: dict[int, Answer] = {}
        self.visible_answers: set[int] = set()
        if answer_ids:
            self.answers = {
                a.pk: a
                for a in legal_dates.with_legal_flag(Answer.objects.filter(pk__in=answer_ids))
                .select_related("author", "question")
                .prefetch_related(*queries.author_badge_prefetches("author"))
            }
            self.visible_answers = set(
                permissions.visible_answers(user, Answer.objects.filter(pk__in=answer_ids)).values_list("pk", flat=True)
            )
        self.reviews = (
            {
                item.pk: item
                for item in ReviewItem.objects.filter(pk__in=review_ids).select_related(
                    "question", "answer__question", "author"
                )
            }
            if review_ids
            else {}
        )

    # --- answers ---

    def answer_if_visible(self, answer_id: int | None) -> Answer | None:
        answer = self.answers.get(answer_id)
        if answer is None or answer.pk not in self.visible_answers:
            return None
        if answer.question_id not in self.questions:
            return None  # a published answer in a question the viewer may not see
        if self.thread_id and answer.question_id != self.thread_id:
            return None  # moved to another thread
        return answer

    def tombstone(self, answer_id: int | None, payload: dict) -> Row:
        answer = self.answers.get(answer_id)
        if answer is None:
            reason = payload.get("reason") if isinstance(payload.get("reason"), str) else "moderation"
        elif self.thread_id and answer.question_id != self.thread_id:
            reason = "moved"
        elif answer.visibility == Visibility.WITHDRAWN:
            reason = "withdrawn"
        else:
            reason = "moderation"
        question_id = self.thread_id or (answer.question_id if answer else _int(payload.get("question_id")))
        return events.ANSWER_REMOVED, {"id": answer_id, "question_id": question_id, "reason": reason}

    def answer_event(self, name: str, payload: dict):
        answer_id = _int(payload.get("id"))
        answer = self.answer_if_visible(answer_id)
        if answer is None:
            if name == events.ANSWER_REMOVED:
                return name, {k: payload.get(k) for k in ("id", "question_id", "reason")}
            return self.tombstone(answer_id, payload)
        if name == events.ANSWER_VOTED:
            return name, {"id": answer.pk, "question_id": answer.question_id, "vote_count": answer.vote_count}
        # Created, updated, or removed but visible again to this viewer (restored,
        # or a moderator who still sees it hidden): its current version.
        return (events.ANSWER_UPDATED if name == events.ANSWER_REMOVED else name), answer_data(answer, viewer=self.user)

    def accept_event(self, name: str, payload: dict):
        question = self.questions.get(self.thread_id or _int(payload.get("question_id")))
        if question is None:
            return None
        accepted = self.answer_if_visible(question.accepted_answer_id)
        if accepted is not None:
            previous = _int(payload.get("previous_answer_id"))
            if previous is None or previous == accepted.pk:
                previous = _int(payload.get("answer_id"))
            return events.ANSWER_ACCEPTED, {
                "question_id": question.pk,
                "answer_id": accepted.pk,
                "previous_answer_id": previous
                if self.answer_if_visible(previous) and previous != accepted.pk
                else None,
            }
        return events.ANSWER_UNACCEPTED, {"question_id": question.pk, "answer_id": _int(payload.get("answer_id"))}

    # --- questions ---

    def question_if_visible(self, question_id: int | None) -> Question | None:
        question = self.questions.get(question_id)
        if question is None:
            return None
        if self.tag_slug and self.tag_slug not in {tag.slug for tag in question.tags.all()}:
            return None  # no longer under this tag
        return question

    def question_event(self, name: str, payload: dict):
        question_id = _int(payload.get("id"))
        question = self.question_if_visible(question_id)
        if question is None:
            reason = payload.get("reason") if name == events.QUESTION_REMOVED else None
            return events.QUESTION_REMOVED, {
                "id": question_id,
                "reason": reason if isinstance(reason, str) else "moderation",
            }
        if name in (events.QUESTION_CREATED, events.QUESTION_REMOVED):
            # Removed but visible to this viewer now (restored, or a moderator):
            # it is in their list, as REST shows it.
            return events.QUESTION_CREATED, question_summary_data(question, viewer=self.user)
        if name == events.QUESTION_UPDATED:
            return name, question_summary_data(question, viewer=self.user) | {"body_html": question.body_html}
        if name == events.THREAD_ACTIVITY:
            return name, events.thread_activity_data(question)
        duplicate = question.duplicate_of if question.duplicate_of_id in self.visible_targets else None
        return name, events.thread_moderated_data(question, duplicate_of=duplicate)

    def review_event(self, name: str, payload: dict):
        item = self.reviews.get(_int(payload.get("id")))
        return (name, review_item_summary(item)) if item is not None else None


def _unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def represent(*, user, topic: str, rows: list[Row]) -> list[Row]:
    """`rows` (cursor, name, stored payload), as `user` may see their subjects now.

    Cursors are kept (a client resumes from the last one it got); an event
    with nothing left to say is dropped."""
    if not rows:
        return []
    batch = _Batch(user=user, topic=topic, rows=rows)
    handlers: dict[str, Callable] = {}
    handlers |= dict.fromkeys(ANSWER_EVENTS, batch.answer_event)
    handlers |= dict.fromkeys(ACCEPT_EVENTS, batch.accept_event)
    handlers |= dict.fromkeys(QUESTION_EVENTS, batch.question_event)
    handlers |= dict.fromkeys(REVIEW_EVENTS, batch.review_event)
    if any(name in LIVE_QUESTION_EVENTS or name in LIVE_OTHER_EVENTS for _c, name, _p in rows):
        live = _LiveBatch(user=user, topic=topic, rows=rows)
        handlers |= dict.fromkeys(LIVE_QUESTION_EVENTS | LIVE_OTHER_EVENTS, live.event)
    replayed: list[Row] = []
    unread = _unread_count(user) if any(name in NOTIFICATION_EVENTS for _c, name, _p in rows) else 0
    for cursor, name, payload in rows:
        if name in NOTIFICATION_EVENTS:
            replayed.append((cursor, name, {"unread_count": unread}))
            continue
        if name in NEVER_REPLAYED:
            continue
        if name in AS_STORED:
            replayed.append((cursor, name, payload))
            continue
        handler = handlers.get(name)
        if handler is None:
            # An event this module does not know: refuse rather than risk
            # replaying content nobody checked (test_replay_has_a_rule_for_every_event).
            continue
        presented = handler(name, payload if isinstance(payload, dict) else {})
        if presented is not None:
            replayed.append((cursor, *presented))
    return replayed


# What `presenters.live_question_data` and `author_data` read of a question
# and of the people on it.
_LIVE_QUESTION_FIELDS = (
    "id",
    "session_id",
    "author_id",
    "body_html",
    "created_at",
    "visibility",
    "status",
    "vote_count",
    "answering_host_id",
    "answer_html",
    "answered_by_id",
    "answered_at",
    "thread_id",
)
_PERSON_FIELDS = ("id", "username", "display_name", "erased_at")
# The people on a question, each with the annotation of their moderator membership.
_PEOPLE = {"author": "author_is_moderator", "answering_host": "host_is_moderator", "answered_by": "by_is_moderator"}


class _LiveBatch:
    """The live questions a batch names, loaded at once, as `user` may see them now."""

    def __init__(self, *, user, topic: str, rows: list[Row]):
        kind, _sep, rest = topic.partition(":")
        self.session = LiveSession.objects.filter(pk=int(rest)).first() if kind == "live" and rest.isdigit() else None
        shown = {
            _int(payload.get("id"))
            for _c, name, payload in rows
            if name in LIVE_QUESTION_EVENTS and isinstance(payload, dict)
        } - {None}
        # Questions a `live.votes` event names are only counted: a vote storm
        # names most of a session's questions, and a catch-up that loaded
        # each with its people would load the session.
        counted: set[int] = set()
        for _c, name, payload in rows:
            if name == events.LIVE_VOTES and isinstance(payload, dict):
                counted |= {_int(item.get("id")) for item in payload.get("questions", []) if isinstance(item, dict)}
        counted -= shown | {None}
        self.visible: dict[int, LiveQuestion] = {}
        # {question id: vote count} of every question named that `user` may see now.
        self.vote_counts: dict[int, int] = {}
        if self.session is not None and shown:
            self._load_shown(user, shown)
        if self.session is not None and counted:
            named = LiveQuestion.objects.filter(session=self.session, pk__in=counted)
            self.vote_counts |= dict(
                permissions.visible_live_questions(user, self.session, named).values_list("pk", "vote_count")
            )
        # A question named by several events of the batch is presented once.
        self.presented: dict[int, dict] = {}

    def _load_shown(self, user, ids: set[int]) -> None:
        # Every reconnecting viewer's catch-up runs this: a query per
        # person per event once made a reconnect cost over a hundred
        # queries, and with the badges prefetched per part, 500 reconnects
        # in a 5,000-viewer session were still a quarter of a server's
        # samples (bench/live_sessions.py). The people's rows hold only
        # what `author_data` reads, their moderator membership comes with
        # them, and their badges are read once for all, whatever their
        # part (a host answers most questions): two queries, not six.
        queryset = (
            LiveQuestion.objects.filter(session=self.session, pk__in=ids)
            .select_related(*_PEOPLE, "thread")
            .only(
                *_LIVE_QUESTION_FIELDS,
                *(f"{part}__{field}" for part in _PEOPLE for field in _PERSON_FIELDS),
                "thread__id",
                "thread__title",
            )
            .annotate(
                **{flag: permissions.moderator_membership(OuterRef(f"{part}_id")) for part, flag in _PEOPLE.items()}
            )
        )
        self.visible = {q.pk: q for q in permissions.visible_live_questions(user, self.session, queryset)}
        self.vote_counts |= {pk: question.vote_count for pk, question in self.visible.items()}
        people = []
        for question in self.visible.values():
            for part, flag in _PEOPLE.items():
                person = getattr(question, part)
                if person is not None:
                    permissions.remember_membership(person, getattr(question, flag))
                    people.append(person)
        prefetch_related_objects(people, queries.active_badges_prefetch(""))

    def event(self, name: str, payload: dict):
        if self.session is None:
            return None
        if name == events.LIVE_SESSION_UPDATED:
            return name, {
                "id": self.session.pk,
                "phase": self.session.phase(),
                "starts_at": payload.get("starts_at"),
                "ends_at": payload.get("ends_at"),
            }
        if name == events.LIVE_VOTES:
            # Today's counts of the questions this viewer may still see.
            named = [_int(item.get("id")) for item in payload.get("questions", []) if isinstance(item, dict)]
            counts = [{"id": pk, "vote_count": self.vote_counts[pk]} for pk in named if pk in self.vote_counts]
            return (name, {"session_id": self.session.pk, "questions": counts}) if counts else None
        question_id = _int(payload.get("id"))
        if name == events.LIVE_QUESTION_REMOVED:
            return name, {
                "id": question_id,
                "session_id": self.session.pk,
                "reason": payload.get("reason", "removed"),
                "merged_into": _int(payload.get("merged_into")),
            }
        question = self.visible.get(question_id)
        if question is None:
            tombstone = {"id": question_id, "session_id": self.session.pk, "reason": "removed", "merged_into": None}
            return events.LIVE_QUESTION_REMOVED, tombstone
        data = self.presented.get(question_id)
        if data is None:
            data = self.presented[question_id] = live_question_data(question)
        return name, data


# Every event name this module has a rule for (checked against forum.events by a test).
KNOWN_EVENTS = (
    NOTIFICATION_EVENTS
    | ANSWER_EVENTS
    | ACCEPT_EVENTS
    | QUESTION_EVENTS
    | REVIEW_EVENTS
    | AS_STORED
    | NEVER_REPLAYED
    | LIVE_QUESTION_EVENTS
    | LIVE_OTHER_EVENTS
)
