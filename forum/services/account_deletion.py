"""A member deletes their account (RGPD article 17).

The user row stays, because the posts they keep need an author and the
counters, votes and moderation history point at it; but every personal value
on it is erased and it reads "Deleted member" everywhere (`User.public_name`),
with a random username nobody can sign up with. Everything that exists only
for the member (email addresses, tokens, devices, sessions, subscriptions,
notifications, verification requests, badges, login-limit rows) is deleted;
rows that *quote* them (event payloads, audit entries, moderators' notes) are
redacted (forum/redaction.py).

Posts are kept unless the member asks to remove some or all of them: removal
goes through the same services as a withdrawal (counters, search, events and
notifications stay right), then the removed text and its revisions are
emptied, since nobody may read them any more.

One write path: the settings page and `POST /api/v1/me/delete/` both call
`delete_account`."""

import re
import secrets
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import events, permissions
from forum.exceptions import InvalidInput
from forum.models import (
    Answer,
    Badge,
    CalendarReminder,
    DeviceToken,
    Event,
    Flag,
    LiveSessionFollow,
    LoginThrottle,
    MemberSession,
    Notification,
    NotificationEmail,
    NotificationPreference,
    PostRevision,
    PushDevice,
    Question,
    ReviewItem,
    Sanction,
    TagSubscription,
    ThreadSubscription,
    User,
    UserRole,
    VerificationRequest,
    Visibility,
)
from forum.redaction import MARK, Redactor
from forum.search import index_thread, reindex_answers_of
from forum.services import answers, audit, audit_retention, login_limits, review_queue

# What a removed post keeps of its text: nothing a reader could link to the member.
REMOVED_TITLE = "—"
# What a mention of the member becomes in other members' posts.
REDACTED_MENTION = MARK

# Free text written by others that may quote the member (a moderator's note
# "@julie92 insulted..."), redacted rather than deleted: the decision stays.
QUOTING_COLUMNS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (Sanction, ("message",)),
    (ReviewItem, ("note", "appeal_text", "details")),
    (Flag, ("text",)),
    (Question, ("moderation_note",)),
    (Answer, ("moderation_note",)),
    (Notification, ("data",)),
    (NotificationEmail, ("last_error",)),
    (Event, ("payload",)),
    (LogEntry, ("object_repr", "change_message")),
)


def _check_password(member: User, password) -> None:
    if not isinstance(password, str) or not password:
        raise InvalidInput(fields={"password": [_("Enter your password to confirm.")]})
    # Counted like a login: a stolen session must not guess the password here.
    with login_limits.attempt(login=member.username):
        if not member.check_password(password):
            raise InvalidInput(fields={"password": [_("This password is not correct.")]})


def _posts_to_remove(member: User, *, remove_all: bool, question_ids, answer_ids):
    questions = Question.objects.filter(author=member)
    answers_qs = Answer.objects.filter(author=member)
    if remove_all:
        return list(questions.order_by("pk")), list(answers_qs.order_by("pk"))
    errors = {}
    chosen = []
    for name, queryset, ids in (("questions", questions, question_ids), ("answers", answers_qs, answer_ids)):
        try:
            wanted = {int(i) for i in ids or ()}
        except (TypeError, ValueError):
            errors[name] = [_("Choose posts among yours.")]
            chosen.append([])
            continue
        found = list(queryset.filter(pk__in=wanted).order_by("pk"))
        if len(found) != len(wanted):
            errors[name] = [_("Choose posts among yours.")]
        chosen.append(found)
    if errors:
        raise InvalidInput(fields=errors)
    return chosen[0], chosen[1]


def _remove_answer(member: User, answer: Answer) -> None:
    if answer.visibility != Visibility.WITHDRAWN:
        answers.withdraw_answer(user=member, answer=answer)
    answer.revisions.all().delete()
    Answer.objects.filter(pk=answer.pk).update(body="", body_html="")
    index_thread(answer.question_id)


def _remove_question(member: User, question: Question) -> None:
    # Authors cannot withdraw a question on the site (others' answers hang on
    # it); leaving the site is the one case, through the same primitive as a
    # moderator's hide, so counts, search and every list stay right.
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.visibility != Visibility.WITHDRAWN:
        review_queue.set_visibility(locked, locked, Visibility.WITHDRAWN, reason="account_deleted")
    locked.revisions.all().delete()
    Question.objects.filter(pk=locked.pk).update(title=REMOVED_TITLE, body="", body_html="")
    index_thread(locked.pk)


REMOVED_TEXT_KEYS = ("title", "body", "body_html", "excerpt")


def _blank_removed_in_events(questions: list[Question], answers_removed: list[Answer]) -> None:
    """Stored payloads of removed posts carried their text (replay re-presents
    from the rows, but the rows of the log still held it)."""
    for prefix, ids in (("answer.", [a.pk for a in answers_removed]), ("question.", [q.pk for q in questions])):
        if not ids:
            continue
        rows = Event.objects.filter(payload__id__in=ids).filter(
            Q(name__startswith=prefix) | Q(name__startswith="thread.")
        )
        if prefix == "answer.":
            rows = rows.filter(name__startswith=prefix)
        for event in rows.iterator():
            payload = {k: ("" if k in REMOVED_TEXT_KEYS else v) for k, v in event.payload.items()}
            Event.objects.filter(pk=event.pk).update(payload=payload)


def _emails_of(member: User) -> list[str]:
    emails = {member.email, *EmailAddress.objects.filter(user=member).values_list("email", flat=True)}
    emails |= set(VerificationRequest.objects.filter(user=member).values_list("work_email", flat=True))
    return sorted(e for e in emails if e)


def _redact_quotes(redactor: Redactor) -> None:
    if not redactor.needles:
        return
    for model, columns in QUOTING_COLUMNS:
        found = Q()
        annotations = {}
        for column in columns:
            as_text = f"_{column}_text"
            annotations[as_text] = Cast(column, TextField())
            found |= Q(**{f"{as_text}__iregex": redactor.sql_pattern})
        for row in model._default_manager.annotate(**annotations).filter(found).iterator():
            values = {}
            for column in columns:
                value = getattr(row, column)
                values[column] = redactor.json(value) if not isinstance(value, str) else redactor.text(value)
            model._default_manager.filter(pk=row.pk).update(**values)


# Posts by others that mention the member ("@julie92, merci !"): the mention is
# the member's username, so it goes; the rest of the other member's text stays.
# (model, the columns searched, the columns rewritten): the HTML is rendered
# from `body`, so searching the source finds every row at half the reading.
POST_TEXT_COLUMNS: tuple[tuple[type[models.Model], tuple[str, ...], tuple[str, ...]], ...] = (
    (Question, ("title", "body"), ("title", "body", "body_html")),
    (Answer, ("body",), ("body", "body_html")),
    (PostRevision, ("title", "body"), ("title", "body")),
)


def _redact_mentions(*, old_username: str, emails: list[str]) -> set[int]:
    """Replace `@username` and the member's email addresses in every post and
    revision; returns the threads whose text changed (to re-index). Only these
    two, not names: a first name in someone else's post is not a reference to
    this member."""
    mention = re.compile(rf"(?<![\w@])@{re.escape(old_username)}(?![\w.+-])", re.IGNORECASE)
    addresses = [e for e in emails if e]
    address = re.compile("|".join(re.escape(e) for e in addresses), re.IGNORECASE) if addresses else None

    def redact(text: str) -> str:
        text = mention.sub(f"@{REDACTED_MENTION}", text)
        return address.sub(MARK, text) if address else text

    # A coarse filter in SQL (the values anywhere), the exact rule in Python.
    coarse = "|".join(re.escape(n) for n in [f"@{old_username}", *addresses])
    threads: set[int] = set()
    for model, searched, columns in POST_TEXT_COLUMNS:
        found = Q()
        for column in searched:
            found |= Q(**{f"{column}__iregex": coarse})
        for row in model._default_manager.filter(found).iterator():
            values = {column: redact(getattr(row, column)) for column in columns}
            if any(values[column] != getattr(row, column) for column in columns):
                model._default_manager.filter(pk=row.pk).update(**values)
                threads.add(_thread_of(row))
    return threads


def _thread_of(row) -> int:
    if isinstance(row, Question):
        return row.pk
    if isinstance(row, Answer):
        return row.question_id
    return row.question_id or Answer.objects.values_list("question_id", flat=True).get(pk=row.answer_id)


def delete_account(
    *,
    member: User,
    password: str,
    remove_all_posts: bool = False,
    question_ids: Iterable[int] = (),
    answer_ids: Iterable[int] = (),
) -> User:
    """Erase the member; returns the erased row. Raises InvalidInput (wrong
    password, posts that are not theirs) before anything changes."""
    permissions.check_can_delete_account(member, member)
    _check_password(member, password)
    remove_questions, remove_answers = _posts_to_remove(
        member, remove_all=remove_all_posts, question_ids=question_ids, answer_ids=answer_ids
    )
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        for answer in remove_answers:
            _remove_answer(member, answer)
        for question in remove_questions:
            _remove_question(member, question)
        _blank_removed_in_events(remove_questions, remove_answers)

        old_username = member.username
        emails = _emails_of(member)
        personal = [member.username, member.display_name, member.first_name, member.last_name, *emails]
        had_badge = Badge.objects.filter(user=member).exists()

        member.username = f"deleted-{secrets.token_hex(8)}"
        member.erased_at = timezone.now()
        for name in ("email", "first_name", "last_name", "display_name", "school", "region", "bio"):
            setattr(member, name, "")
        member.role = UserRole.OTHER
        member.is_active = member.is_staff = member.is_superuser = False
        member.last_login = member.charter_accepted_at = member.suspended_until = None
        member.unseen_sanctions = 0
        member.set_unusable_password()
        member.save()
        member.groups.clear()
        member.user_permissions.clear()

        # Close every socket of the member (web sessions and devices) first.
        events.credentials_revoked(member.pk, all_tokens=True, all_sessions=True, reason="account_deleted")
        EmailAddress.objects.filter(user=member).delete()
        DeviceToken.objects.filter(user=member).delete()
        PushDevice.objects.filter(user=member).delete()
        ThreadSubscription.objects.filter(user=member).delete()
        TagSubscription.objects.filter(user=member).delete()
        LiveSessionFollow.objects.filter(user=member).delete()
        CalendarReminder.objects.filter(user=member).delete()
        Notification.objects.filter(recipient=member).delete()
        NotificationEmail.objects.filter(recipient=member).delete()
        NotificationPreference.objects.filter(user=member).delete()
        VerificationRequest.objects.filter(user=member).delete()
        Badge.objects.filter(user=member).delete()
        LoginThrottle.objects.filter(
            key__in=[f"user:{member.pk}", *(login_limits.account_key(v) for v in personal if v)]
        ).delete()
        # Expired ones too: their data is the member's.
        MemberSession.objects.filter(user=member).delete()
        # Staff actions in the admin name the member in their own rows.
        LogEntry.objects.filter(user=member).delete()
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(member.pk)).update(
            object_repr=member.username, change_message=""
        )

        with override("en"):
            deleted_name = _("Deleted member")
        redactor = Redactor(
            member_id=member.pk,
            old_username=old_username,
            new_username=member.username,
            deleted_name=deleted_name,
            web_url=member.get_absolute_url(),
            values=personal,
        )
        _redact_quotes(redactor)
        audit_retention.redact_member_values(redactor)
        mentioned_in = _redact_mentions(old_username=old_username, emails=emails)
        if had_badge:
            # Verified staff answers rank higher: the badge is gone.
            reindex_answers_of(member)
        for question_id in sorted(mentioned_in):
            index_thread(question_id)
        audit.record(
            actor=None,
            action="member.account_deleted",
            target=member,
            after={
                "removed_questions": [q.pk for q in remove_questions],
                "removed_answers": [a.pk for a in remove_answers],
            },
        )
    return member
