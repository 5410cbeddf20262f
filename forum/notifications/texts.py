"""The sentence each notification shows, in the page, the API and the email
(one place, translated with gettext; French is the source language)."""

from datetime import date

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from forum import charter, permissions
from forum.models import Notification, NotificationKind
from forum.presenters import masked_name

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"


def actor_name(notification: Notification) -> str:
    actor = notification.actor
    if actor is None:
        return _("Someone")
    question = notification.question if notification.question_id else None
    # The asker of a discreet thread answering or mentioning someone there: the
    # recipient (the row's reader, in the page, the API, the email and the push)
    # may be one of those they hide from. Only then is the recipient loaded.
    if (
        question is not None
        and question.is_discreet
        and actor.pk == question.author_id
        and not permissions.can_see_person(notification.recipient, actor.pk, question)
    ):
        return masked_name()
    return actor.display_name or actor.username


def describe(notification: Notification) -> str:
    kind = notification.kind
    title = notification.question.title if notification.question_id else ""
    name = actor_name(notification)
    n = notification.count
    if kind == NotificationKind.ANSWER_ON_MY_QUESTION:
        if n > 1:
            return ngettext(
                "%(count)d new answer to your question “%(title)s”",
                "%(count)d new answers to your question “%(title)s”",
                n,
            ) % {"count": n, "title": title}
        return _("%(name)s answered your question “%(title)s”") % {"name": name, "title": title}
    if kind in (NotificationKind.ANSWER_IN_FOLLOWED, NotificationKind.VERIFIED_ANSWER):
        if n > 1:
            return ngettext("%(count)d new answer in “%(title)s”", "%(count)d new answers in “%(title)s”", n) % {
                "count": n,
                "title": title,
            }
        if kind == NotificationKind.VERIFIED_ANSWER:
            return _("%(name)s (verified) answered in “%(title)s”") % {"name": name, "title": title}
        return _("%(name)s answered in “%(title)s”") % {"name": name, "title": title}
    if kind == NotificationKind.ACCEPTED:
        return _("Your answer in “%(title)s” was accepted") % {"title": title}
    if kind == NotificationKind.HELPFUL:
        people = notification.actor_count
        return ngettext(
            "%(count)d person found your answer helpful", "%(count)d people found your answer helpful", people
        ) % {"count": people}
    if kind == NotificationKind.MENTION:
        return _("%(name)s mentioned you in “%(title)s”") % {"name": name, "title": title}
    if kind == NotificationKind.ORGANISATION_QUESTION:
        return _("A question is addressed to your organisation: “%(title)s”") % {"title": title}
    if kind == NotificationKind.TAG_QUESTION:
        return _("New question in a tag you follow: “%(title)s”") % {"title": title}
    if kind == NotificationKind.MODERATION:
        decision = notification.data.get("decision", "")
        if decision == "hide":
            return _("A moderator hid your post in “%(title)s”") % {"title": title}
        return _("A moderator reviewed your post in “%(title)s”") % {"title": title}
    if kind == NotificationKind.BADGE:
        organisation = notification.data.get("organisation", "")
        if notification.data.get("outcome") == "expiring":
            return _("Your verified badge at %(organisation)s expires soon: renew it") % {"organisation": organisation}
        if notification.data.get("outcome") == "approved":
            return _("Your verified badge at %(organisation)s was approved") % {"organisation": organisation}
        return _("Your badge request at %(organisation)s was refused") % {"organisation": organisation}
    if kind == NotificationKind.LIVE_STARTING:
        return _("The live session “%(title)s” is starting now") % {"title": notification.data.get("title", "")}
    if kind == NotificationKind.LIVE_CHANGED:
        title = notification.data.get("title", "")
        if notification.data.get("change") == "cancelled":
            return _("The live session “%(title)s” is cancelled") % {"title": title}
        starts_at = parse_datetime(notification.data.get("starts_at") or "")
        when = date_format(timezone.localtime(starts_at), "DATETIME_FORMAT") if starts_at else ""
        return _("The live session “%(title)s” moves to %(when)s") % {"title": title, "when": when}
    if kind == NotificationKind.DEADLINE_REMINDER:
        return _deadline_reminder(notification)
    return _("New notification")


def _deadline_reminder(notification: Notification) -> str:
    data = notification.data
    language = (get_language() or "fr").split("-")[0]
    window = data.get("name_fr" if language == "fr" else "name_en") or data.get("name_fr", "")
    try:
        ends = date_format(date.fromisoformat(data.get("ends_on", "")), "j F")
    except ValueError:
        ends = ""
    count = data.get("new_answers") or 0
    if count:
        return ngettext(
            "%(window)s until %(date)s: %(count)d new answer to your questions since you last looked",
            "%(window)s until %(date)s: %(count)d new answers to your questions since you last looked",
            count,
        ) % {"window": window, "date": ends, "count": count}
    title = notification.question.title if notification.question_id else ""
    text = _("%(window)s until %(date)s: your question “%(title)s” is still open. A precise title and details help.")
    return text % {"window": window, "date": ends, "title": title}


def link(notification: Notification) -> str:
    """The exact place: the answer's anchor when there is one. Opening it
    through this view marks the notification read."""
    return reverse("frontend:notification_open", kwargs={"pk": notification.pk})


def target_url(notification: Notification) -> str:
    if notification.kind == NotificationKind.MODERATION and isinstance(notification.data.get("review_item_id"), int):
        # The page that explains the decision (it links the post).
        return charter.outcome_url(notification.data["review_item_id"])
    if notification.answer_id:
        return notification.answer.get_absolute_url()
    if notification.question_id:
        return notification.question.get_absolute_url()
    if notification.kind in (NotificationKind.LIVE_STARTING, NotificationKind.LIVE_CHANGED) and notification.data.get(
        "url"
    ):
        return notification.data["url"]
    if notification.kind == NotificationKind.BADGE:
        return reverse("frontend:notifications")
    return reverse("frontend:notifications")


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("u"), int)
        or value.get("k") not in NotificationKind.values
    ):
        return None
    return value["u"], value["k"]
