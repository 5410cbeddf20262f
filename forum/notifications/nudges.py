"""Calendar reminders, from the worker's minute sweep (tasks.periodic).

Before a window with a reminder ends (`reminder_days` before its end day,
forum.alternance_calendar), the askers of published questions in its
reminder tags get ONE notification: the new answers on those questions since
they last looked (the last time they read a notification about the thread,
which opening the thread does; since asking otherwise), or, with no new
answer, that a question is still open and how to improve it. A member whose
questions have neither (all solved, nothing new) is not reminded.

Once per member, window and year: the `CalendarReminder` row is written in
the transaction that writes the notification, and its unique constraint
settles two workers (or a restart) racing for the same member. Never to a
muted member, one who unfollowed the thread, a suspended, deactivated or
erased account (fanout.deliver and `eligible`), never to verified HR or
school staff (they do not look for a company), and never about a question
that is not published."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from taggit.models import TaggedItem

from forum.alternance_calendar import Occurrence, reminder_due
from forum.models import (
    Answer,
    Badge,
    CalendarReminder,
    CalendarWindow,
    Notification,
    NotificationKind,
    Question,
    ThreadSubscription,
    Visibility,
)
from forum.models.organisations import STAFF_ROLES
from forum.notifications import fanout

# Questions asked up to this long before the window starts still count: the
# search for a company starts in spring for a September start.
LOOKBACK = timedelta(days=183)
# The questions a reminder lists (the ones with the most news first).
MAX_QUESTIONS = 5


def send_due_reminders(*, now: datetime) -> fanout.Report:
    report = fanout.Report()
    for window in CalendarWindow.objects.filter(enabled=True, reminder_days__isnull=False):
        occurrence = reminder_due(window, window.reminder_days, now)
        if occurrence is not None and window.reminder_tags:
            report.add(remind(window, occurrence, now=now))
    return report


def group_key(window: CalendarWindow, occurrence: Occurrence) -> str:
    return f"calendar:{window.pk}:{occurrence.year}"


def remind(window: CalendarWindow, occurrence: Occurrence, *, now: datetime) -> fanout.Report:
    report = fanout.Report()
    tagged = TaggedItem.objects.filter(
        content_type_id=ContentType.objects.get_for_model(Question).pk,
        object_id=OuterRef("pk"),
        tag__slug__in=window.reminder_tags,
    )
    already = CalendarReminder.objects.filter(user_id=OuterRef("author_id"), window=window, year=occurrence.year)
    # The reminder is for students: HR and school staff asking (about a live
    # session, say) are not looking for a company.
    staff = Badge.objects.active().filter(user_id=OuterRef("author_id"), role__in=STAFF_ROLES)
    unfollowed = ThreadSubscription.objects.filter(
        user_id=OuterRef("author_id"), question_id=OuterRef("pk"), following=False
    )
    questions = list(
        Question.objects.filter(
            visibility=Visibility.PUBLISHED,
            created_at__gte=occurrence.starts_at - LOOKBACK,
            created_at__lte=now,
        )
        .filter(Exists(tagged))
        .exclude(Exists(already))
        .exclude(Exists(unfollowed))
        .exclude(Exists(staff))
        .only("pk", "title", "author_id", "created_at", "accepted_answer_id", "answer_count")
        .order_by("created_at", "pk")
    )
    if not questions:
        return report
    # Muted, suspended, deactivated and erased members are left out here
    # already (and again by fanout.deliver), so that nothing is recorded for them.
    authors = set(fanout.eligible({q.author_id for q in questions}, actor_id=None))
    prefs = fanout.preferences_of(sorted(authors))
    authors = {uid for uid in authors if not fanout.preference(prefs, uid).muted}
    questions = [q for q in questions if q.author_id in authors]
    if not questions:
        return report
    question_ids = [q.pk for q in questions]
    looked = {
        (row["recipient_id"], row["question_id"]): row["last"]
        for row in Notification.objects.filter(
            recipient_id__in=authors, question_id__in=question_ids, read_at__isnull=False
        )
        .values("recipient_id", "question_id")
        .annotate(last=Max("read_at"))
    }
    new_answers: dict[int, list[Answer]] = defaultdict(list)
    by_pk = {q.pk: q for q in questions}
    for answer in (
        Answer.objects.filter(question_id__in=question_ids, visibility=Visibility.PUBLISHED)
        .only("pk", "question_id", "author_id", "created_at")
        .order_by("created_at", "pk")
    ):
        question = by_pk[answer.question_id]
        since = looked.get((question.author_id, question.pk), question.created_at)
        if answer.author_id != question.author_id and answer.created_at > since:
            new_answers[question.pk].append(answer)
    by_author: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        by_author[question.author_id].append(question)
    for author_id, asked in sorted(by_author.items()):
        report.add(_remind_one(window, occurrence, author_id, asked, new_answers))
    return report


def _remind_one(
    window: CalendarWindow,
    occurrence: Occurrence,
    author_id: int,
    asked: list[Question],
    new_answers: dict[int, list[Answer]],
) -> fanout.Report:
    with_news = sorted((q for q in asked if new_answers[q.pk]), key=lambda q: -len(new_answers[q.pk]))
    still_open = [q for q in asked if q.accepted_answer_id is None]
    if not with_news and not still_open:
        return fanout.Report()  # everything solved and nothing new: nothing worth a nudge
    listed = (with_news or still_open)[:MAX_QUESTIONS]
    count = sum(len(new_answers[q.pk]) for q in with_news)
    newest = max((a for q in with_news for a in new_answers[q.pk]), key=lambda a: (a.created_at, a.pk), default=None)
    summary = [{"id": q.pk, "title": q.title[:200], "new_answers": len(new_answers[q.pk])} for q in listed]
    try:
        with transaction.atomic():
            CalendarReminder.objects.create(user_id=author_id, window=window, year=occurrence.year, questions=summary)
            return fanout.deliver(
                fanout.Delivery(
                    kind=NotificationKind.DEADLINE_REMINDER,
                    group_key=group_key(window, occurrence),
                    question=listed[0],
                    answer=newest,
                    data={
                        "window_id": window.pk,
                        "name_fr": window.name_fr,
                        "name_en": window.name_en,
                        "ends_on": occurrence.end.isoformat(),
                        "new_answers": count,
                        "questions": summary,
                    },
                ),
                [author_id],
            )
    except IntegrityError:
        # Another worker reminded this member first: the row is the arbiter.
        return fanout.Report()
