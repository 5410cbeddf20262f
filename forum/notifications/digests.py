"""Daily and weekly digests (opt-in), sent at DIGEST_HOUR Europe/Paris.

For HR and school staff: unanswered questions in the tags they follow; for
everyone: new answers in the threads they follow, since the last digest.
Idempotent like the notification emails: the preference row is locked, its
`digest_sent_at` checked and set in the transaction that sends."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from forum import permissions
from forum.models import Answer, NotificationPreference, Question, TagSubscription, ThreadSubscription, Visibility
from forum.notifications.fanout import PARIS

logger = logging.getLogger(__name__)

DIGEST_HOUR = 8
PERIOD = {
    NotificationPreference.Digest.DAILY: timedelta(days=1),
    NotificationPreference.Digest.WEEKLY: timedelta(days=7),
}
MAX_ITEMS = 20


def is_due(pref: NotificationPreference, now: datetime) -> bool:
    period = PERIOD.get(pref.digest)
    if period is None:
        return False
    local = now.astimezone(PARIS)
    if local.hour < DIGEST_HOUR:
        return False
    if pref.digest == NotificationPreference.Digest.WEEKLY and local.weekday() != 0:
        return False  # Mondays
    # A little slack so that 08:00 today follows 08:01 yesterday.
    return pref.digest_sent_at is None or now - pref.digest_sent_at >= period - timedelta(hours=2)


def queue_due_digests(*, now: datetime) -> int:
    sent = 0
    candidates = NotificationPreference.objects.exclude(digest=NotificationPreference.Digest.NONE).values_list(
        "pk", flat=True
    )
    for pk in candidates:
        sent += send_digest(pk, now=now)
    return sent


def send_digest(pref_id: int, *, now: datetime) -> int:
    with transaction.atomic():
        pref = (
            NotificationPreference.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=pref_id)
            .first()
        )
        if pref is None or not is_due(pref, now) or pref.muted:
            return 0
        user = pref.user
        since = pref.digest_sent_at or now - PERIOD[pref.digest]
        items = digest_items(user, since=since)
        pref.digest_sent_at = now
        pref.save(update_fields=["digest_sent_at"])
        if not items or not user.is_active or permissions.is_suspended(user) or not user.email:
            return 0
        with translation.override(pref.language or settings.LANGUAGE_CODE):
            context = {
                "items": items,
                "weekly": pref.digest == NotificationPreference.Digest.WEEKLY,
                "preferences_url": settings.SITE_URL + reverse("frontend:notification_preferences"),
            }
            subject = " ".join(render_to_string("forum/email/digest_subject.txt", context).split())
            text = render_to_string("forum/email/digest_body.txt", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.send()
        return 1


def digest_items(user, *, since: datetime) -> list[dict]:
    site = settings.SITE_URL
    items: list[dict] = []
    tags = TagSubscription.objects.filter(user=user).values_list("tag_id", flat=True)
    unanswered = (
        permissions.visible_questions(user, Question.objects.all())
        .filter(tags__in=tags, answer_count=0, created_at__gte=since, visibility=Visibility.PUBLISHED)
        .exclude(author=user)
        .distinct()
        .order_by("-created_at")[:MAX_ITEMS]
    )
    items += [{"text": q.title, "url": site + q.get_absolute_url(), "unanswered": True} for q in unanswered]
    threads = ThreadSubscription.objects.filter(user=user, following=True).values_list("question_id", flat=True)
    answers = (
        permissions.visible_answers(user, Answer.objects.filter(question_id__in=threads, created_at__gte=since))
        .filter(visibility=Visibility.PUBLISHED, question__visibility=Visibility.PUBLISHED)
        .exclude(author=user)
        .select_related("question")
        .order_by("-created_at")[:MAX_ITEMS]
    )
    items += [{"text": a.question.title, "url": site + a.get_absolute_url(), "unanswered": False} for a in answers]
    return items
