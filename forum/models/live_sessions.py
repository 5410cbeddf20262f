"""Live Q&A sessions ("chats conseil"): verified experts answer, for a set
time, the questions members submitted and upvoted.

Whether a session is upcoming, live or closed is computed from its times on
every read (`phase`), never stored: no job has to run for a session to close
on time, and a late question is refused by the same comparison. A cancelled
session stays cancelled whatever the clock says.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager

from forum.models.posts import Visibility
from forum.models.tagging import DeferredTaggableManager
from forum.slugs import slugify_title

RESERVED_SLUGS = frozenset({"direct", "poser", "suivre", "agenda", "transcription", "modifier", "annuler"})


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    LIVE = "live", _("Live now")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", pgettext_lazy("live session", "Cancelled")


class LiveSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    description_html = models.TextField(editable=False, blank=True)
    # Stored in UTC (USE_TZ); pages show Europe/Paris (TIME_ZONE).
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hosted_live_sessions")
    organisation = models.ForeignKey(
        "forum.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="live_sessions"
    )
    tags = TaggableManager(_("tags"), blank=True, manager=DeferredTaggableManager)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once the followers were told it started (forum.services.live_sessions.announce_started).
    start_announced_at = models.DateTimeField(null=True, blank=True)
    # Set once `live.closed` was published (lazily, by the first read after the end).
    close_announced_at = models.DateTimeField(null=True, blank=True)
    # Vote coalescing: when `live.votes` was last published for this session
    # (forum.services.live_sessions._shift_votes).
    votes_published_at = models.DateTimeField(null=True, blank=True)
    # Set when an organiser or a moderator called it off before its start
    # (forum.services.live_sessions.cancel_session); the page says why.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_note = models.CharField(_("why it is cancelled"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        indexes = [models.Index(fields=["starts_at", "id"], name="live_session_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("frontend:live_session", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        slug = slugify_title(self.title)
        # The session's own sub-paths (frontend/urls.py) are never a slug.
        return f"{slug}-chat" if slug in RESERVED_SLUGS else slug

    def get_transcript_url(self) -> str:
        return reverse("frontend:live_transcript", kwargs={"pk": self.pk, "slug": self.slug})

    def phase(self, now=None) -> str:
        if self.cancelled_at is not None:
            return Phase.CANCELLED
        now = now or timezone.now()
        if now < self.starts_at:
            return Phase.UPCOMING
        if now < self.ends_at:
            return Phase.LIVE
        return Phase.CLOSED

    @property
    def is_closed(self) -> bool:
        return self.phase() == Phase.CLOSED


class LiveSessionFollow(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_follow_per_live_session")]

    def __str__(self) -> str:
        return f"{self.user_id} follows live session {self.session_id}"


class LiveQuestion(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        ANSWERING = "answering", _("Being answered")
        ANSWERED = "answered", _("Answered")
        MERGED = "merged", _("Merged")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="live_questions")
    body = models.TextField(_("question"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    moderation_reason = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Denormalised, kept by forum.services.live_sessions with F().
    vote_count = models.PositiveIntegerField(default=0)
    # Votes changed the count since the session's last `live.votes` (a flush owes it).
    votes_unpublished = models.BooleanField(default=False)
    answering_host = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    # The forum thread this question became (linked back by a line in its body).
    thread = models.OneToOneField(
        "forum.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="live_origin"
    )

    class Meta:
        ordering = ["-vote_count", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "-vote_count", "created_at", "id"], name="live_question_queue_idx"),
            models.Index(fields=["author", "created_at"], name="live_question_author_idx"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.session.get_absolute_url()}#live-question-{self.pk}"


class LiveVote(models.Model):
    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="one_live_vote_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} -> live question {self.question_id}"
