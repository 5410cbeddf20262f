"""Everything the site holds about one member, as JSON (RGPD articles 15 and 20).

The export is built from a table of sections, one per model that points at the
member, and each section dumps *every* concrete column of its rows except the
ones listed with the reason they are left out (secrets, derived copies). A new
column on one of these models is therefore exported without anyone thinking of
it; a new model pointing at a member must be added here or to `NOT_EXPORTED`
(forum/tests/test_personal_data_export.py reads every model to enforce it).

Two front doors ask for it: the member (`export_my_data`, from their settings
page and `GET /api/v1/me/export/`) and a moderator answering a data-access
request (`answer_access_request`, audited)."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress, EmailConfirmation
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from forum import permissions
from forum.models import (
    Answer,
    AuditLog,
    Badge,
    CalendarReminder,
    CharterHintsDismissal,
    DeviceToken,
    Flag,
    LiveQuestion,
    LiveSession,
    LiveSessionFollow,
    LiveVote,
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
    VerificationRequest,
    Vote,
)
from forum.services import audit

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    model: type[models.Model]
    # The member's rows: a Q built from the member.
    rows: Callable[[User], Q]
    # Foreign keys to the user model that this section answers for.
    member_fields: tuple[str, ...]
    # Columns left out, each with the reason (shown in the export itself).
    left_out: dict[str, str] = field(default_factory=dict)
    # Extra values per row that are not columns (tags).
    extra: Callable[[models.Model], dict] | None = None


def _tags(question: Question) -> dict:
    return {"tags": sorted(question.tags.names())}


SECRET = "a secret (only its hash is stored); never exported"
RENDERED = "the HTML rendered from `body`, which is exported"
# Who caused a notification is another member, who may have hidden their
# identity from this one (discreet mode, forum.permissions.can_see_author):
# the notification's sentence says what this member may know.
DISCREET_ACTOR = "the other member who caused it, who may be hidden from you (discreet mode); never exported"
LIVE_QUESTION_RENDERED = {"body_html": RENDERED, "answer_html": "the HTML rendered from `answer`, which is exported"}

SECTIONS: tuple[Section, ...] = (
    Section(
        "profile",
        User,
        lambda m: Q(pk=m.pk),
        (),
        left_out={
            "password": "a one-way hash of your password; never exported",
            "username_key": "a folded copy of `username`, used to refuse look-alike names",
        },
    ),
    Section("email_addresses", EmailAddress, lambda m: Q(user=m), ("user",)),
    Section(
        "email_confirmations",
        EmailConfirmation,
        lambda m: Q(email_address__user=m),
        (),
        left_out={"key": SECRET},
    ),
    Section("questions", Question, lambda m: Q(author=m), ("author",), left_out={"body_html": RENDERED}, extra=_tags),
    Section("answers", Answer, lambda m: Q(author=m), ("author",), left_out={"body_html": RENDERED}),
    Section(
        "revisions",
        PostRevision,
        lambda m: Q(question__author=m) | Q(answer__author=m) | Q(editor=m),
        ("editor",),
    ),
    Section("votes", Vote, lambda m: Q(user=m), ("user",)),
    Section("flags_filed", Flag, lambda m: Q(flagger=m), ("flagger",)),
    Section("moderation_of_my_posts", ReviewItem, lambda m: Q(author=m), ("author",)),
    Section("sanctions", Sanction, lambda m: Q(user=m), ("user",)),
    Section("charter_hints_dismissal", CharterHintsDismissal, lambda m: Q(user=m), ("user",)),
    Section("thread_subscriptions", ThreadSubscription, lambda m: Q(user=m), ("user",)),
    Section("tag_subscriptions", TagSubscription, lambda m: Q(user=m), ("user",), extra=lambda s: {"tag": s.tag.name}),
    Section(
        "notifications",
        Notification,
        lambda m: Q(recipient=m),
        ("recipient",),
        left_out={
            "actor": DISCREET_ACTOR,
            "actor_ids": DISCREET_ACTOR,
        },
    ),
    Section("notification_preferences", NotificationPreference, lambda m: Q(user=m), ("user",)),
    Section("notification_emails", NotificationEmail, lambda m: Q(recipient=m), ("recipient",)),
    Section(
        "push_devices",
        PushDevice,
        lambda m: Q(user=m),
        ("user",),
        left_out={"token": "the address the push service gives your phone: a credential, never exported"},
    ),
    Section("device_tokens", DeviceToken, lambda m: Q(user=m), ("user",), left_out={"key_hash": SECRET}),
    Section(
        "verification_requests", VerificationRequest, lambda m: Q(user=m), ("user",), left_out={"token_hash": SECRET}
    ),
    Section("badges", Badge, lambda m: Q(user=m), ("user",)),
    # Live Q&A sessions (issue 13): questions asked, answers given as a host,
    # votes, follows, and the sessions this member scheduled or hosts.
    Section(
        "live_questions",
        LiveQuestion,
        lambda m: Q(author=m),
        ("author",),
        left_out=LIVE_QUESTION_RENDERED,
    ),
    Section(
        "live_answers_given",
        LiveQuestion,
        lambda m: Q(answered_by=m) | Q(answering_host=m),
        ("answered_by", "answering_host"),
        left_out=LIVE_QUESTION_RENDERED,
    ),
    Section("live_votes", LiveVote, lambda m: Q(user=m), ("user",)),
    Section("live_session_follows", LiveSessionFollow, lambda m: Q(user=m), ("user",)),
    Section("calendar_reminders", CalendarReminder, lambda m: Q(user=m), ("user",)),
    Section(
        "live_sessions_scheduled_or_hosted",
        LiveSession,
        lambda m: Q(pk__in=LiveSession.objects.filter(Q(created_by=m) | Q(hosts=m)).values("pk")),
        ("created_by",),
        left_out={"description_html": "the HTML rendered from `description`, which is exported"},
    ),
    Section("login_attempts", LoginThrottle, lambda m: Q(key=f"user:{m.pk}"), ()),
    Section(
        "moderation_log_about_me",
        AuditLog,
        lambda m: Q(target_type="user", target_id=m.pk),
        (),
    ),
)

# Foreign keys to a member that the export leaves out on purpose: they record
# what this member did *to others* as a moderator or an administrator, or they
# are another member's data that merely names this one.
NOT_EXPORTED: dict[str, str] = {
    "admin.LogEntry.user": "changes this member made in the admin as staff",
    "forum.AuditLog.actor": "decisions this member took as a moderator",
    "forum.ReviewItem.decided_by": "decisions this member took as a moderator",
    "forum.Sanction.issued_by": "sanctions this member issued as a moderator",
    "forum.Sanction.lifted_by": "sanctions this member lifted as a moderator",
    "forum.Badge.revoked_by": "badges this member revoked as a moderator",
    "forum.VerificationRequest.decided_by": "requests this member decided as a moderator",
    "forum.OrganisationDomain.added_by": "domains this member added as a moderator",
    "forum.TagDescription.updated_by": "tag descriptions this member wrote as a moderator",
    "forum.Notification.actor": "another member's notification about something this member did",
    # In the export's "sessions" (live_sessions_of): their expiry, never their key or signed data.
    "forum.MemberSession.user": "the member's web sessions, exported as their expiry dates",
}


def _plain(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row(section: Section, row: models.Model) -> dict:
    data = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in section.left_out}
    if section.extra:
        data.update(section.extra(row))
    return data


def live_sessions_of(member: User) -> list[MemberSession]:
    """The member's sessions that have not expired (forum.MemberSession keeps
    their id in a column: one indexed read)."""
    return list(MemberSession.objects.filter(user=member, expire_date__gt=timezone.now()).order_by("expire_date"))


def build_export(member: User) -> dict:
    sections = {}
    for section in SECTIONS:
        queryset = section.model._default_manager.filter(section.rows(member)).order_by("pk")
        sections[section.name] = [_row(section, row) for row in queryset]
    profile = sections.pop("profile")[0]
    profile["is_moderator"] = permissions.is_moderator(member)
    return _plain(
        {
            "format_version": FORMAT_VERSION,
            "generated_at": timezone.now(),
            "member": profile,
            **sections,
            "sessions": [{"expire_date": session.expire_date} for session in live_sessions_of(member)],
            "left_out": {section.name: section.left_out for section in SECTIONS if section.left_out},
        }
    )


def export_my_data(*, member: User) -> dict:
    permissions.check_can_export_data(member, member)
    return build_export(member)


def answer_access_request(*, moderator: User, member: User, reason: str = "") -> dict:
    """A moderator hands a member their data (a request by email or post, when
    the member cannot log in): the same export, and a trace in the audit log."""
    permissions.check_can_export_data(moderator, member)
    with transaction.atomic():
        audit.record(actor=moderator, action="member.data_exported", target=member, reason=reason)
    return build_export(member)
