"""Sending the queued emails, from the worker.

Never twice: each `NotificationEmail` row is locked (`SELECT ... FOR UPDATE
SKIP LOCKED`), checked still PENDING, sent, and marked SENT in that one
transaction. A second worker skips the locked row; a worker killed before the
commit leaves it PENDING and unlocked, and the next run sends it (nothing
lost). The one window left is a crash after the mail server accepted the
message and before COMMIT: the next run sends it again. The Message-ID is
derived from the row, so the receiving side sees the same message twice, not
two different ones. Closing that window would need the SMTP server to take
part in our transaction; we keep it to the few microseconds between two calls.

Failures (the server refusing, a timeout) retry with exponential backoff, and
the row is FAILED after MAX_ATTEMPTS.
"""

import email.policy
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forum import permissions
from forum.models import Notification, NotificationEmail, NotificationPreference
from forum.notifications import texts

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
MAX_PER_RUN = 500


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, 16 minutes: a mail server outage is not hammered."""
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def deliver_due(*, limit: int = MAX_PER_RUN) -> int:
    sent = 0
    for _ in range(limit):
        outcome = deliver_one()
        if outcome is None:
            break
        sent += outcome
    return sent


def deliver_one() -> int | None:
    """Send the oldest due email. None when nothing is due, else 1 if sent, 0 if not."""
    with transaction.atomic():
        row = (
            NotificationEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=NotificationEmail.Status.PENDING, send_after__lte=timezone.now())
            .select_related("recipient", "question")
            .order_by("send_after", "id")
            .first()
        )
        if row is None:
            return None
        message = build(row)
        if message is None:
            row.status = NotificationEmail.Status.SKIPPED
            row.save(update_fields=["status"])
            return 0
        try:
            message.send()
        except Exception as error:
            logger.warning("Email %s failed (attempt %s): %s", row.pk, row.attempts + 1, error)
            row.attempts += 1
            row.last_error = str(error)[:1000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = NotificationEmail.Status.FAILED
            else:
                row.send_after = timezone.now() + backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "send_after"])
            return 0
        row.status = NotificationEmail.Status.SENT
        row.sent_at = timezone.now()
        row.attempts += 1
        row.save(update_fields=["status", "sent_at", "attempts"])
        return 1


# RFC 2369 headers hold a URL in angle brackets, which must reach the mail
# client as is. The default policy folds a line over 78 characters, and a
# signed URL has no space to fold at, so it would be RFC 2047-encoded, which
# clients do not decode there. 998 is the hard limit of RFC 5322.
UNFOLDED = email.policy.default.clone(max_line_length=998)


class NotificationMessage(EmailMultiAlternatives):
    def message(self, *, policy=UNFOLDED):
        return super().message(policy=policy)


def build(row: NotificationEmail) -> EmailMultiAlternatives | None:
    """The email as things stand now: only unread notifications the member
    may still see; None when nothing is left to say."""
    user = row.recipient
    if not user.is_active or permissions.is_suspended(user) or not user.email:
        return None
    pref = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    if pref.muted:
        return None
    notifications = [
        n
        for n in Notification.objects.filter(recipient=user, group_key=row.group_key, read_at__isnull=True)
        .select_related("question", "answer__question", "actor")
        .order_by("-updated_at")
        if _still_visible(user, n)
    ]
    if not notifications:
        return None
    site = settings.SITE_URL
    kind = notifications[0].kind
    unsubscribe = site + reverse(
        "frontend:notifications_unsubscribe", kwargs={"token": texts.unsubscribe_token(user_id=user.pk, kind=kind)}
    )
    with translation.override(pref.language or settings.LANGUAGE_CODE):
        items = [{"text": texts.describe(n), "url": site + texts.target_url(n)} for n in notifications]
        context = {
            "user": user,
            "items": items,
            "unsubscribe_url": unsubscribe,
            "preferences_url": site + reverse("frontend:notification_preferences"),
            "kind_label": notifications[0].get_kind_display(),
        }
        subject = " ".join(render_to_string("forum/email/notification_subject.txt", context).split())
        text = render_to_string("forum/email/notification_body.txt", context)
        html = render_to_string("forum/email/notification_body.html", context)
    message = NotificationMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<notification-{row.pk}@{_domain()}>",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    return host.split(":", 1)[0] or "localhost"


def _still_visible(user, notification: Notification) -> bool:
    if notification.answer_id:
        return permissions.can_view_answer(user, notification.answer)
    if notification.question_id:
        return permissions.can_view_question(user, notification.question)
    return True
