"""Who hears of what, written in bulk.

Runs in a task after the change committed, so it reads the post as it is
*now*: a post hidden or withdrawn between the commit and the task notifies
nobody. Only published posts notify, so a post's audience is every active
member; the recipient filter below removes the actor, suspended and
deactivated members, and the muted. Private events (moderation, badges) go
to the one member concerned.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from forum import events, permissions
from forum.models import (
    Answer,
    Badge,
    Channel,
    LiveQuestion,
    LiveSession,
    LiveSessionFollow,
    Notification,
    NotificationEmail,
    NotificationKind,
    NotificationPreference,
    Question,
    QuestionAddressee,
    TagSubscription,
    ThreadSubscription,
    User,
    Visibility,
)
from forum.models.organisations import STAFF_ROLES

PARIS = ZoneInfo("Europe/Paris")
# At most one email per member and thread in this window: later news joins the pending one.
EMAIL_BATCH_WINDOW = timedelta(minutes=15)
CHUNK = 2000
MENTION_RE = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")
MAX_MENTIONS = 10


@dataclass
class Report:
    """What one fan-out did (the benchmark prints it)."""

    rows_written: int = 0
    live_events: int = 0
    emails_queued: int = 0
    email_due: list[datetime] = field(default_factory=list)

    def add(self, other: "Report") -> None:
        self.rows_written += other.rows_written
        self.live_events += other.live_events
        self.emails_queued += other.emails_queued
        self.email_due += other.email_due


# --- Recipients ----------------------------------------------------------------------


def eligible(user_ids: Iterable[int], *, actor_id: int | None) -> list[int]:
    """Active, not suspended, not the actor: one query per chunk."""
    ids = {uid for uid in user_ids if uid and uid != actor_id}
    if not ids:
        return []
    now = timezone.now()
    result: list[int] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        result += (
            User.objects.filter(pk__in=chunk, is_active=True)
            .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
            .values_list("pk", flat=True)
        )
    return sorted(result)


def preferences_of(user_ids: list[int]) -> dict[int, NotificationPreference]:
    prefs: dict[int, NotificationPreference] = {}
    for start in range(0, len(user_ids), CHUNK):
        for pref in NotificationPreference.objects.filter(user_id__in=user_ids[start : start + CHUNK]):
            prefs[pref.user_id] = pref
    return prefs


# Read-only stand-in for members who never changed a setting (most of them):
# one instance, not one per follower (measured: 30,000 model inits per 10,000).
DEFAULT_PREFERENCE = NotificationPreference()


def preference(prefs: dict[int, NotificationPreference], user_id: int) -> NotificationPreference:
    return prefs.get(user_id) or DEFAULT_PREFERENCE


def quiet_until(pref: NotificationPreference, now: datetime) -> datetime | None:
    """The end of the member's quiet hours if `now` falls inside them (Europe/Paris)."""
    if pref.quiet_start is None or pref.quiet_end is None or pref.quiet_start == pref.quiet_end:
        return None
    local = now.astimezone(PARIS)
    t = local.time()
    start, end = pref.quiet_start, pref.quiet_end
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=PARIS)


# --- Writing grouped rows -----------------------------------------------------------


@dataclass
class Delivery:
    kind: str
    group_key: str
    question: Question | None = None
    answer: Answer | None = None
    actor_id: int | None = None
    data: dict = field(default_factory=dict)
    # Counted as one more event in the group (answers); helpful votes count actors instead.
    counts: bool = True
    # False when the news already has its own email (the badge expiry reminder).
    email: bool = True


def deliver(delivery: Delivery, user_ids: Iterable[int]) -> Report:
    """Write or update one unread row per recipient for `delivery.group_key`,
    publish each recipient's new unread count, queue emails. Recipients are
    filtered here (actor, suspended, inactive, muted, channel off)."""
    report = Report()
    recipients = eligible(user_ids, actor_id=delivery.actor_id)
    prefs = preferences_of(recipients)
    recipients = [
        uid
        for uid in recipients
        if not preference(prefs, uid).muted and preference(prefs, uid).channel(delivery.kind) != Channel.OFF
    ]
    for start in range(0, len(recipients), CHUNK):
        chunk = recipients[start : start + CHUNK]
        for attempt in range(3):
            try:
                with transaction.atomic():
                    report.add(_deliver_chunk(delivery, chunk, prefs))
                break
            except IntegrityError:
                # Two fan-outs created the same unread row at once: the
                # constraint is the arbiter; the retry finds the row and updates it.
                if attempt == 2:
                    raise
    return report


def _deliver_chunk(delivery: Delivery, chunk: list[int], prefs) -> Report:
    now = timezone.now()
    report = Report()
    existing = {
        n.recipient_id: n
        for n in Notification.objects.select_for_update().filter(
            recipient_id__in=chunk, group_key=delivery.group_key, read_at__isnull=True
        )
    }
    to_update, to_create = [], []
    for uid in chunk:
        row = existing.get(uid)
        if row is None:
            to_create.append(
                Notification(
                    recipient_id=uid,
                    kind=delivery.kind,
                    group_key=delivery.group_key,
                    question=delivery.question,
                    answer=delivery.answer,
                    actor_id=delivery.actor_id,
                    actor_ids=[delivery.actor_id] if delivery.actor_id else [],
                    data=delivery.data,
                    created_at=now,
                    updated_at=now,
                )
            )
            continue
        if delivery.actor_id and delivery.actor_id not in row.actor_ids:
            row.actor_ids = [*row.actor_ids, delivery.actor_id][-50:]
        elif not delivery.counts:
            continue  # the same voter again: nothing new to say
        if delivery.counts:
            row.count += 1
        row.kind = _stronger(row.kind, delivery.kind)
        row.answer = delivery.answer or row.answer
        row.actor_id = delivery.actor_id or row.actor_id
        row.data = delivery.data or row.data
        row.updated_at = now
        to_update.append(row)
    Notification.objects.bulk_create(to_create)
    if to_update:
        Notification.objects.bulk_update(
            to_update, ["actor_ids", "count", "kind", "answer", "actor", "data", "updated_at"]
        )
    touched = [n.recipient_id for n in to_create] + [n.recipient_id for n in to_update]
    report.rows_written = len(touched)
    report.live_events = publish_counts(touched)
    email_to = [
        uid for uid in touched if delivery.email and preference(prefs, uid).channel(delivery.kind) == Channel.EMAIL
    ]
    queued = queue_emails(delivery, email_to, prefs, now=now)
    report.emails_queued = len(queued)
    report.email_due = sorted({e.send_after for e in queued})
    return report


# A recipient who is both asker and follower hears the asker's version.
_STRENGTH = [
    NotificationKind.ANSWER_IN_FOLLOWED,
    NotificationKind.VERIFIED_ANSWER,
    NotificationKind.ANSWER_ON_MY_QUESTION,
]


def _stronger(a: str, b: str) -> str:
    if a in _STRENGTH and b in _STRENGTH:
        return max(a, b, key=_STRENGTH.index)
    return b


def unread_counts(user_ids: list[int]) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(user_ids, 0)
    counts.update({row["recipient_id"]: row["n"] for row in rows})
    return counts


def publish_counts(user_ids: list[int]) -> int:
    """One `notification.count` event per member on their `user:<id>` topic,
    written in bulk and sent after commit (forum.events.publish_private_many)."""
    if not user_ids:
        return 0
    counts = unread_counts(user_ids)
    events.notification_counts(counts)
    return len(counts)


def queue_emails(delivery: Delivery, user_ids: list[int], prefs, *, now: datetime) -> list[NotificationEmail]:
    """Join the member's pending email for this group, or create one due after
    the batching window since the last one sent and after their quiet hours."""
    if not user_ids:
        return []
    pending = {
        e.recipient_id: e
        for e in NotificationEmail.objects.select_for_update().filter(
            recipient_id__in=user_ids, group_key=delivery.group_key, status=NotificationEmail.Status.PENDING
        )
    }
    last_sent = dict(
        NotificationEmail.objects.filter(
            recipient_id__in=user_ids, group_key=delivery.group_key, status=NotificationEmail.Status.SENT
        )
        .values("recipient_id")
        .annotate(last=Max("sent_at"))
        .values_list("recipient_id", "last")
    )
    to_create, to_update = [], []
    for uid in user_ids:
        email = pending.get(uid)
        if email is not None:
            if delivery.kind not in email.kinds:
                email.kinds = [*email.kinds, delivery.kind]
                to_update.append(email)
            continue
        due = now
        if last_sent.get(uid):
            due = max(due, last_sent[uid] + EMAIL_BATCH_WINDOW)
        quiet = quiet_until(preference(prefs, uid), due)
        if quiet:
            due = quiet
        to_create.append(
            NotificationEmail(
                recipient_id=uid,
                group_key=delivery.group_key,
                question=delivery.question,
                kinds=[delivery.kind],
                send_after=due,
                created_at=now,
            )
        )
    NotificationEmail.objects.bulk_create(to_create)
    if to_update:
        NotificationEmail.objects.bulk_update(to_update, ["kinds"])
    return to_create


# --- The fan-outs, one per kind of news ---------------------------------------------


def _thread_group(question_id: int) -> str:
    return f"thread:{question_id}"


def fan_out_answer(answer_id: int) -> Report:
    answer = Answer.objects.select_related("question", "author").filter(pk=answer_id).first()
    report = Report()
    if answer is None or answer.visibility != Visibility.PUBLISHED:
        return report
    question = answer.question
    if question.visibility != Visibility.PUBLISHED:
        return report
    followers = set(
        ThreadSubscription.objects.filter(question=question, following=True).values_list("user_id", flat=True)
    )
    unfollowed = set(
        ThreadSubscription.objects.filter(question=question, following=False).values_list("user_id", flat=True)
    )
    mentioned = mentioned_members(answer.body, answer)
    group = _thread_group(question.pk)
    by_verified = Badge.objects.active().filter(user_id=answer.author_id, role__in=STAFF_ROLES).exists()
    # The asker hears of every answer unless they unfollowed their own thread.
    if question.author_id not in unfollowed:
        report.add(
            deliver(
                Delivery(
                    kind=NotificationKind.ANSWER_ON_MY_QUESTION,
                    group_key=group,
                    question=question,
                    answer=answer,
                    actor_id=answer.author_id,
                ),
                [question.author_id],
            )
        )
    others = followers - {question.author_id} - set(mentioned)
    report.add(
        deliver(
            Delivery(
                kind=NotificationKind.VERIFIED_ANSWER if by_verified else NotificationKind.ANSWER_IN_FOLLOWED,
                group_key=group,
                question=question,
                answer=answer,
                actor_id=answer.author_id,
            ),
            others,
        )
    )
    report.add(_mentions(mentioned, question=question, answer=answer, actor_id=answer.author_id))
    return report


def fan_out_question(question_id: int) -> Report:
    question = Question.objects.select_related("author").filter(pk=question_id).first()
    report = Report()
    if question is None or question.visibility != Visibility.PUBLISHED:
        return report
    mentioned = mentioned_members(question.body, question)
    # Verified members of the organisations the question is addressed to.
    addressees = list(QuestionAddressee.objects.filter(question=question, notified_at__isnull=True))
    org_members = set(
        Badge.objects.active()
        .filter(organisation_id__in=[a.organisation_id for a in addressees])
        .values_list("user_id", flat=True)
    )
    tag_ids = list(question.tags.values_list("pk", flat=True))
    tag_followers = set(TagSubscription.objects.filter(tag_id__in=tag_ids).values_list("user_id", flat=True))
    # Verified members of an addressed organisation follow the question for its answers.
    ThreadSubscription.objects.bulk_create(
        [
            ThreadSubscription(user_id=uid, question=question)
            for uid in eligible(org_members, actor_id=question.author_id)
        ],
        ignore_conflicts=True,
    )
    report.add(
        deliver(
            Delivery(
                kind=NotificationKind.ORGANISATION_QUESTION,
                group_key=f"org_question:{question.pk}",
                question=question,
                actor_id=question.author_id,
            ),
            org_members - set(mentioned),
        )
    )
    if addressees:
        QuestionAddressee.objects.filter(pk__in=[a.pk for a in addressees]).update(notified_at=timezone.now())
    report.add(
        deliver(
            Delivery(
                kind=NotificationKind.TAG_QUESTION,
                group_key=f"tag_question:{question.pk}",
                question=question,
                actor_id=question.author_id,
            ),
            tag_followers - org_members - set(mentioned),
        )
    )
    report.add(_mentions(mentioned, question=question, answer=None, actor_id=question.author_id))
    return report


def fan_out_accepted(answer_id: int, actor_id: int) -> Report:
    answer = Answer.objects.select_related("question").filter(pk=answer_id).first()
    if answer is None or answer.question.accepted_answer_id != answer.pk or not _visible_to_author(answer):
        return Report()
    return deliver(
        Delivery(
            kind=NotificationKind.ACCEPTED,
            group_key=f"accepted:{answer.pk}",
            question=answer.question,
            answer=answer,
            actor_id=actor_id,
        ),
        [answer.author_id],
    )


def fan_out_helpful(answer_id: int, voter_id: int) -> Report:
    answer = Answer.objects.select_related("question").filter(pk=answer_id).first()
    if answer is None or not _visible_to_author(answer):
        return Report()
    return deliver(
        Delivery(
            kind=NotificationKind.HELPFUL,
            group_key=f"helpful:{answer.pk}",
            question=answer.question,
            answer=answer,
            actor_id=voter_id,
            counts=False,
        ),
        [answer.author_id],
    )


def notify_moderation(
    *, post: Question | Answer, decision: str, clause: str, note: str, moderator_id: int, review_item_id: int
) -> Report:
    """The author of a moderated post; they may always see their own post. The
    review item leads to the page that explains the decision (forum.charter)."""
    is_question = isinstance(post, Question)
    question = post if is_question else post.question
    return deliver(
        Delivery(
            kind=NotificationKind.MODERATION,
            group_key=f"moderation:{'q' if is_question else 'a'}{post.pk}",
            question=question,
            answer=None if is_question else post,
            actor_id=moderator_id,
            data={"decision": decision, "clause": clause, "note": note[:500], "review_item_id": review_item_id},
        ),
        [post.author_id],
    )


def notify_badge(
    *, user_id: int, outcome: str, organisation: str, actor_id: int | None, key: str, email: bool = True
) -> Report:
    return deliver(
        Delivery(
            kind=NotificationKind.BADGE,
            group_key=f"badge:{key}",
            actor_id=actor_id,
            data={"outcome": outcome, "organisation": organisation},
            email=email,
        ),
        [user_id],
    )


def _visible_to_author(answer: Answer) -> bool:
    return answer.visibility == Visibility.PUBLISHED and answer.question.visibility == Visibility.PUBLISHED


def mentioned_members(body: str, post: Question | Answer) -> list[int]:
    """Members named as @username who may see the post (forum.permissions)."""
    names = list(dict.fromkeys(m.lower() for m in MENTION_RE.findall(body)))[:MAX_MENTIONS]
    if not names:
        return []
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    users = User.objects.filter(named)
    viewer_check = permissions.can_view_question if isinstance(post, Question) else permissions.can_view_answer
    return [u.pk for u in users.distinct() if viewer_check(u, post)]


def _mentions(user_ids: list[int], *, question: Question, answer: Answer | None, actor_id: int) -> Report:
    return deliver(
        Delivery(
            kind=NotificationKind.MENTION,
            group_key=f"mention:{question.pk}",
            question=question,
            answer=answer,
            actor_id=actor_id,
        ),
        user_ids,
    )


# --- Withdrawing -----------------------------------------------------------------------


def withdraw_for(post: Question | Answer) -> list[int]:
    """A post hidden or withdrawn: its unread notifications go (inside the
    caller's transaction). Returns the members whose count changed."""
    if isinstance(post, Question):
        unread = Notification.objects.filter(question_id=post.pk, read_at__isnull=True)
    else:
        unread = Notification.objects.filter(answer_id=post.pk, read_at__isnull=True)
    # The author's own moderation notice about this post must stay.
    unread = unread.exclude(kind=NotificationKind.MODERATION)
    recipients = sorted(set(unread.values_list("recipient_id", flat=True)))
    if recipients:
        unread.delete()
        # Pending emails need nothing: they are written from the unread rows
        # when sent, and one with nothing left is skipped (forum.notifications.email).
        publish_counts(recipients)
    return recipients


def fan_out_live_starting(session_id: int) -> Report:
    """The followers of a live session, when it starts. In the site only: by
    the time an email is read the session may be over."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return Report()
    followers = list(LiveSessionFollow.objects.filter(session_id=session_id).values_list("user_id", flat=True))
    return deliver(
        Delivery(
            kind=NotificationKind.LIVE_STARTING,
            group_key=f"live:{session_id}",
            data={"session_id": session_id, "title": session.title[:200], "url": session.get_absolute_url()},
            email=False,
        ),
        followers,
    )


def fan_out_live_changed(session_id: int) -> Report:
    """A session moved or cancelled, as it stands when the worker runs (a move
    then a cancellation is told once, as a cancellation). Followers, and for a
    cancellation the members who sent a question: they were waiting for it."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return Report()
    recipients = set(LiveSessionFollow.objects.filter(session_id=session_id).values_list("user_id", flat=True))
    cancelled = session.cancelled_at is not None
    if cancelled:
        recipients |= set(
            LiveQuestion.objects.filter(session_id=session_id, visibility=Visibility.PUBLISHED).values_list(
                "author_id", flat=True
            )
        )
    return deliver(
        Delivery(
            kind=NotificationKind.LIVE_CHANGED,
            group_key=f"live-changed:{session_id}",
            data={
                "session_id": session_id,
                "title": session.title[:200],
                "url": session.get_absolute_url(),
                "change": "cancelled" if cancelled else "rescheduled",
                "starts_at": session.starts_at.isoformat(),
            },
        ),
        sorted(recipients),
    )
