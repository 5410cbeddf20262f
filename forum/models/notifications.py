"""Notifications: who follows what, what each member was told, how they want
to be told, and the emails waiting to be sent.

A `Notification` row is grouped: one *unread* row per member and `group_key`
(a thread and a kind, or an answer for helpful votes) is updated in place, so
ten answers in a thread make one line "10 nouvelles réponses", not ten. Once
read, the next event starts a new row (the partial unique constraint)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ANSWER_ON_MY_QUESTION = "answer_mine", _("New answer to my question")
    ANSWER_IN_FOLLOWED = "answer_followed", _("New answer in a thread I follow")
    VERIFIED_ANSWER = "answer_verified", _("A verified member answered in a thread I follow")
    ACCEPTED = "accepted", _("My answer was accepted")
    HELPFUL = "helpful", _("My answer was found helpful")
    MENTION = "mention", _("I was mentioned")
    ORGANISATION_QUESTION = "org_question", _("A question addressed to my organisation")
    TAG_QUESTION = "tag_question", _("A new question in a tag I follow")
    MODERATION = "moderation", _("A moderation decision about my content")
    BADGE = "badge", _("My verified badge")
    LIVE_STARTING = "live_starting", _("A live session I follow is starting")
    LIVE_CHANGED = "live_changed", _("A live session I follow or asked in was moved or cancelled")
    DEADLINE_REMINDER = "deadline", _("Before a contract deadline: news of my questions")


class Channel(models.TextChoices):
    EMAIL = "email", _("In the site and by email")
    IN_APP = "in_app", _("In the site only")
    OFF = "off", _("Off")


CHANNELS = frozenset(Channel.values)

# Kinds worth an email unless the member says otherwise; the rest stay in the site.
EMAIL_BY_DEFAULT = {
    NotificationKind.ANSWER_ON_MY_QUESTION,
    NotificationKind.ACCEPTED,
    NotificationKind.MENTION,
    NotificationKind.ORGANISATION_QUESTION,
    NotificationKind.MODERATION,
    NotificationKind.BADGE,
    # Members planned their evening around it.
    NotificationKind.LIVE_CHANGED,
    NotificationKind.DEADLINE_REMINDER,
}


class ThreadSubscription(models.Model):
    """Following a thread. `following=False` records an explicit unfollow, so
    answering again does not silently follow the thread again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_subscriptions")
    question = models.ForeignKey("forum.Question", on_delete=models.CASCADE, related_name="subscriptions")
    following = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="one_subscription_per_thread")]
        indexes = [models.Index(fields=["question", "following"], name="thread_followers_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} follows question {self.question_id}: {self.following}"


class TagSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tag_subscriptions")
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="one_subscription_per_tag")]

    def __str__(self) -> str:
        return f"{self.user_id} follows tag {self.tag_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    group_key = models.CharField(max_length=64)
    question = models.ForeignKey("forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The newest answer the notification is about: the link lands on it.
    answer = models.ForeignKey("forum.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Distinct members behind a grouped row ("3 personnes ont trouvé votre réponse utile").
    actor_ids = models.JSONField(default=list)
    # Events grouped into the row (answers in a thread).
    count = models.PositiveIntegerField(default=1)
    # Kind-specific details (a moderation decision, a badge's organisation).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"], condition=Q(read_at__isnull=True), name="one_unread_per_group"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notification_list_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.group_key})"

    @property
    def actor_count(self) -> int:
        return len(self.actor_ids) or 1


class NotificationPreference(models.Model):
    class Digest(models.TextChoices):
        NONE = "none", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    # {kind: channel}; a kind missing here has its default (EMAIL_BY_DEFAULT).
    channels = models.JSONField(default=dict, blank=True)
    muted = models.BooleanField(default=False)
    # Europe/Paris wall-clock hours without email; may wrap midnight (22:00-07:00).
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    digest = models.CharField(max_length=6, choices=Digest.choices, default=Digest.NONE)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    # The language of emails: French unless the member chose another.
    language = models.CharField(max_length=8, default="fr")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def channel(self, kind: str) -> str:
        value = self.channels.get(kind)
        if value in CHANNELS:
            return value
        return Channel.EMAIL if kind in EMAIL_BY_DEFAULT else Channel.IN_APP


class PushDevice(models.Model):
    """A phone that may receive push notifications later (the mobile app
    registers it now; sending is another issue)."""

    class Platform(models.TextChoices):
        IOS = "ios", "iOS"
        ANDROID = "android", "Android"
        WEB = "web", "Web"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    token = models.CharField(max_length=512)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"], condition=Q(revoked_at__isnull=True), name="one_active_device_per_token"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform} device of {self.user_id}"


class NotificationEmail(models.Model):
    """One email to send: the outbox row the worker claims.

    At most one *pending* row per member and group (a thread): notifications
    arriving meanwhile join it, which is the 15-minute batching. `status` is
    set to SENT in the same transaction that holds the row lock during the
    send (forum.notifications.email)."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        SKIPPED = "skipped"  # nothing left to say (read or withdrawn meanwhile)
        FAILED = "failed"  # gave up after the last retry

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group_key = models.CharField(max_length=64)
    question = models.ForeignKey("forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kinds = models.JSONField(default=list)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"], condition=Q(status="pending"), name="one_pending_email_per_group"
            )
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="email_due_idx"),
            models.Index(fields=["recipient", "group_key", "-sent_at"], name="email_last_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"email {self.status} to {self.recipient_id} ({self.group_key})"
