"""The moderation journal as people read it: a label for every action and
target ("Member suspended", "Answer no. 95 to the question “…”") and the
before/after snapshots as a short list of what changed, instead of action
codes and JSON. Used by the journal page through `moderation_ui.journal_rows`;
the CSV export keeps the raw codes for tools."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from forum.models import Answer, AuditLog, CharterClause, Question

ACTION_LABELS = {
    "review.approve": gettext_lazy("Post approved"),
    "review.hide": gettext_lazy("Post hidden"),
    "review.edit_approve": gettext_lazy("Post edited and approved"),
    "review.restore": gettext_lazy("Post restored"),
    "post.hidden_pending_review": gettext_lazy("Post hidden until reviewed (reports)"),
    "appeal.filed": gettext_lazy("Second review requested"),
    "answer.validity_confirmed": gettext_lazy("Answer confirmed still valid"),
    "member.warn": gettext_lazy("Member warned"),
    "member.suspend": gettext_lazy("Member suspended"),
    "member.unsuspend": gettext_lazy("Suspension lifted"),
    "member.ban": gettext_lazy("Member banned"),
    "member.unban": gettext_lazy("Account reactivated"),
    "thread.lock": gettext_lazy("Thread locked or unlocked"),
    "thread.pin": gettext_lazy("Thread pinned or unpinned"),
    "thread.retag": gettext_lazy("Thread tags changed"),
    "thread.close_duplicate": gettext_lazy("Thread closed as a duplicate"),
    "thread.merge": gettext_lazy("Threads merged"),
    "answers.move": gettext_lazy("Answers moved"),
    "tag.described": gettext_lazy("Tag description changed"),
    "organisation.created": gettext_lazy("Organisation created"),
    "organisation.updated": gettext_lazy("Organisation updated"),
    "organisation.domain_added": gettext_lazy("Organisation domain added"),
    "organisation.domain_removed": gettext_lazy("Organisation domain removed"),
    "verification.requested": gettext_lazy("Badge requested"),
    "verification.email_resent": gettext_lazy("Badge confirmation e-mail sent again"),
    "verification.email_confirmed": gettext_lazy("Work e-mail confirmed"),
    "verification.cancelled": gettext_lazy("Badge request cancelled"),
    "verification.renewal_requested": gettext_lazy("Badge renewal requested"),
    "verification.approved": gettext_lazy("Badge request approved"),
    "verification.auto_approved": gettext_lazy("Badge approved automatically"),
    "verification.refused": gettext_lazy("Badge request refused"),
    "badge.renewed": gettext_lazy("Badge renewed"),
    "badge.revoked": gettext_lazy("Badge revoked"),
    "badge.expired": gettext_lazy("Badge expired"),
    "badge.reminder_sent": gettext_lazy("Badge renewal reminder sent"),
    "member.account_deleted": gettext_lazy("Account deleted by its member"),
    "member.data_exported": gettext_lazy("Member's data exported"),
    "profile.names_reset": gettext_lazy("Names reset after the badge ended"),
    "live.schedule": gettext_lazy("Live session scheduled"),
    "live.edit": gettext_lazy("Live session changed"),
    "live.cancel": gettext_lazy("Live session cancelled"),
    "live.hide": gettext_lazy("Live question hidden"),
    "live.approve": gettext_lazy("Live question published"),
    "live.merge": gettext_lazy("Live questions merged"),
    "live.convert": gettext_lazy("Live question turned into a thread"),
    "calendar.window_saved": gettext_lazy("Calendar window saved"),
    "calendar.window_deleted": gettext_lazy("Calendar window deleted"),
}

# Names of the fields of the snapshots the services store (before/after).
FIELD_LABELS = {
    "valid_as_of": gettext_lazy("Valid as of"),
    "visibility": gettext_lazy("Visibility"),
    "moderation_reason": gettext_lazy("Reason"),
    "title": gettext_lazy("Title"),
    "body": gettext_lazy("Text"),
    "is_active": gettext_lazy("Account active"),
    "suspended_until": gettext_lazy("Suspended until"),
    "is_locked": gettext_lazy("Locked"),
    "pinned": gettext_lazy("Pinned"),
    "duplicate_of": gettext_lazy("Duplicate of question"),
    "answer_count": gettext_lazy("Answers"),
    "answers": gettext_lazy("Answers"),
    "question": gettext_lazy("Question"),
    "into": gettext_lazy("Merged into question"),
    "tags": gettext_lazy("Tags"),
    "name": gettext_lazy("Name"),
    "status": gettext_lazy("Status"),
    "role": gettext_lazy("Role"),
    "reasons": gettext_lazy("Reasons"),
    "domain": gettext_lazy("Domain"),
    "slug": gettext_lazy("Web name"),
    "kind": gettext_lazy("Kind"),
    "website": gettext_lazy("Website"),
    "description": gettext_lazy("Description"),
    "expires_at": gettext_lazy("Expires on"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "reminder_tags": gettext_lazy("Reminder tags"),
    "reminder_days": gettext_lazy("Reminder, days before the end"),
    "enabled": gettext_lazy("Enabled"),
}
VALUE_LABELS = {
    "published": pgettext_lazy("visibility", "published"),
    "pending": pgettext_lazy("visibility", "awaiting moderation"),
    "hidden": pgettext_lazy("visibility", "hidden"),
    "withdrawn": pgettext_lazy("visibility", "withdrawn"),
}
# Internal bookkeeping in the snapshots, not decisions a reader needs.
SKIPPED_FIELDS = {"review_item", "appeal"}
LONG_TEXT = 160


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class JournalRow:
    entry: AuditLog
    action_label: str
    target_label: str
    target_url: str = ""
    changes: list[Change] = field(default_factory=list)


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


FAMILIES = {
    "review.": gettext_lazy("Review decisions"),
    "post.": gettext_lazy("Posts held"),
    "appeal.": gettext_lazy("Appeals"),
    "member.": gettext_lazy("Members: sanctions and privacy"),
    "profile.": gettext_lazy("Profiles"),
    "thread.": gettext_lazy("Thread tools"),
    "answers.": gettext_lazy("Answers moved"),
    "answer.": gettext_lazy("Dated answers"),
    "tag.": gettext_lazy("Tags"),
    "organisation.": gettext_lazy("Organisations"),
    "verification.": gettext_lazy("Badge requests"),
    "badge.": gettext_lazy("Verified badges"),
    "live.": gettext_lazy("Live Q&A sessions"),
    "calendar.": gettext_lazy("Alternance calendar"),
}


def action_choices() -> list:
    """For the journal's filter, grouped by family: "all of the family" (the
    query filters by prefix) then each action, by its label."""
    groups = []
    for prefix, family in FAMILIES.items():
        actions = [(code, str(label)) for code, label in ACTION_LABELS.items() if code.startswith(prefix)]
        if len(actions) > 1:
            actions.insert(0, (prefix, _("All: %(family)s") % {"family": family}))
        groups.append((str(family), actions))
    return groups


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(key, item) for item in value) or "—"
    if isinstance(value, str):
        if key == "moderation_reason" and value in CharterClause.values:
            return str(CharterClause(value).label)
        if value in VALUE_LABELS:
            return str(VALUE_LABELS[value])
        moment = parse_datetime(value) if key.endswith(("_until", "_at")) else None
        if isinstance(moment, datetime):
            return date_format(moment, "DATETIME_FORMAT")
        return value if len(value) <= LONG_TEXT else value[: LONG_TEXT - 1] + "…"
    return str(value)


def changes(before: dict | None, after: dict | None) -> list[Change]:
    before, after = before or {}, after or {}
    rows = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key in SKIPPED_FIELDS or before.get(key) == after.get(key):
            continue
        label = FIELD_LABELS.get(key, key.replace("_", " ").capitalize())
        # A creation has nothing before: show the value alone, not "— → value".
        was = _value(key, before.get(key)) if before else ""
        rows.append(Change(label=str(label), before=was, after=_value(key, after.get(key))))
    return rows


def present(entries) -> list[JournalRow]:
    """Rows for one page of the journal: two queries, whatever its length."""
    entries = list(entries)
    answer_ids = [e.target_id for e in entries if e.target_type == "answer" and e.target_id]
    question_ids = [e.target_id for e in entries if e.target_type == "question" and e.target_id]
    answers = Answer.objects.select_related("question").only("id", "question__id", "question__title")
    answers = {a.pk: a for a in answers.filter(pk__in=answer_ids)} if answer_ids else {}
    questions = Question.objects.only("id", "title")
    questions = {q.pk: q for q in questions.filter(pk__in=question_ids)} if question_ids else {}
    rows = []
    for entry in entries:
        label, url = _target(entry, answers, questions)
        rows.append(
            JournalRow(
                entry=entry,
                action_label=action_label(entry.action),
                target_label=label,
                target_url=url,
                changes=changes(entry.before, entry.after),
            )
        )
    return rows


def _target(entry: AuditLog, answers: dict, questions: dict) -> tuple[str, str]:
    kind, pk, name = entry.target_type, entry.target_id, entry.target_repr
    if kind == "answer":
        answer = answers.get(pk)
        if answer is None:
            return _("Answer no. %(id)s") % {"id": pk}, ""
        label = _("Answer no. %(id)s to the question “%(title)s”") % {"id": pk, "title": answer.question.title}
        return label, answer.get_absolute_url()
    if kind == "question":
        question = questions.get(pk)
        title = question.title if question else name
        return _("Question “%(title)s”") % {"title": title}, question.get_absolute_url() if question else ""
    if kind == "user":
        return _("Member @%(name)s") % {"name": name}, ""
    if kind == "tag":
        return _("Tag “%(name)s”") % {"name": name}, ""
    if kind == "organisation":
        return _("Organisation “%(name)s”") % {"name": name}, ""
    if kind == "verificationrequest":
        return _("Badge request no. %(id)s") % {"id": pk}, ""
    if kind in ("verifiedbadge", "badge"):
        return _("Verified badge no. %(id)s") % {"id": pk}, ""
    return f"{kind} {pk or ''}".strip(), ""
