"""The sentence each notification shows, in the page, the API and the email
(one place, translated with gettext; French is the source language)."""

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum import charter
from forum.models import Notification, NotificationKind

UNSUBSCRIBE_SALT = "forum.notifications.unsubscribe"


def actor_name(notification: Notification) -> str:
    actor = notification.actor
    if actor is None:
        return _("Someone")
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
    return _("New notification")


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
    if notification.kind == NotificationKind.LIVE_STARTING and notification.data.get("url"):
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
