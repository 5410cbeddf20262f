"""Moderation records: flags, the review queue, sanctions.

None of these rows is deleted: a flag is resolved (upheld or rejected), a
review item is decided, a sanction is lifted. The decisions themselves are also
written to the append-only `AuditLog`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CharterClause(models.TextChoices):
    """The community charter, clause by clause. A hidden post or a sanction
    always names the clause it applies, so the member knows what to change."""

    RESPECT = "respect", _("Be respectful: no insults, mockery or harassment.")
    PERSONAL_DATA = "personal_data", _("Protect privacy: no personal data (yours or someone else's).")
    SPAM = "spam", _("No spam, advertising or repeated messages.")
    OFF_TOPIC = "off_topic", _("Stay on topic: work-study, training and jobs.")
    MISLEADING = "misleading", _("No misleading information about contracts, pay or rights.")
    OTHER = "other", _("Other breach of the community charter.")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or insult")
    PERSONAL_DATA = "personal_data", _("Personal data exposed")
    OFF_TOPIC = "off_topic", _("Off-topic")
    MISLEADING = "misleading", _("Misleading information")
    OTHER = "other", _("Other")


class HoldReason(models.TextChoices):
    """Why a post waits in the review queue (a post may have several)."""

    FIRST_POSTS = "first_posts", _("First messages of a new account")
    LINKS = "links", _("Links posted by a new account")
    PERSONAL_DATA = "personal_data", _("Possible personal data, published anyway by the author")
    FLAGS = "flags", _("Reported by members")
    MODERATOR_FLAG = "moderator_flag", _("Reported by a moderator")
    APPEAL = "appeal", _("Appeal by the author")


def _exactly_one_post(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(question__isnull=False, answer__isnull=True)
            | models.Q(question__isnull=True, answer__isnull=False)
        ),
        name=name,
    )


class PostTarget(models.Model):
    """A row about exactly one post: a question or an answer (subclasses
    declare the two nullable foreign keys and a check constraint)."""

    class Meta:
        abstract = True

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def post_kind(self) -> str:
        return "question" if self.question_id else "answer"


class Flag(PostTarget):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        # The moderator's decision agreed with the flag (post hidden or edited).
        UPHELD = "upheld", _("Upheld")
        # The moderator kept or restored the post: the flag was not justified.
        REJECTED = "rejected", _("Rejected")

    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey("forum.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_raised")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    text = models.TextField(_("details"), max_length=500, blank=True)
    # Frozen when the flag is raised (see forum.services.flags.flag_weight), so
    # later history does not rewrite a decision already taken.
    weight = models.FloatField(default=1.0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["created_at", "id"]
        constraints = [
            _exactly_one_post("flag_on_exactly_one_post"),
            models.UniqueConstraint(
                fields=["question", "flagger"], condition=models.Q(question__isnull=False), name="one_flag_per_question"
            ),
            models.UniqueConstraint(
                fields=["answer", "flagger"], condition=models.Q(answer__isnull=False), name="one_flag_per_answer"
            ),
        ]
        indexes = [models.Index(fields=["flagger", "status"], name="flag_flagger_status_idx")]

    def __str__(self) -> str:
        return f"Flag {self.pk} ({self.reason}) on {self.post_kind} {self.question_id or self.answer_id}"


class ReviewItem(PostTarget):
    """One entry of the review queue. At most one is open per post; decided
    items stay as the post's moderation history."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        HIDE = "hide", _("Hide")
        EDIT_APPROVE = "edit_approve", _("Edit and approve")
        RESTORE = "restore", _("Restore")

    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    answer = models.ForeignKey(
        "forum.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    # Denormalised so "past decisions about this member" is one indexed query.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_items")
    reasons = models.JSONField(default=list)
    is_appeal = models.BooleanField(default=False)
    appeal_text = models.TextField(blank=True)
    # What the automatic screening found (personal data kinds, etc.), for the moderator.
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    clause = models.CharField(max_length=20, choices=CharterClause.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["created_at", "id"]
        constraints = [
            _exactly_one_post("review_on_exactly_one_post"),
            models.UniqueConstraint(
                fields=["question"], condition=models.Q(status="open"), name="one_open_review_per_question"
            ),
            models.UniqueConstraint(
                fields=["answer"], condition=models.Q(status="open"), name="one_open_review_per_answer"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="review_queue_idx"),
            models.Index(fields=["author", "status"], name="review_author_idx"),
            # The decided tab, newest decision first.
            models.Index(fields=["status", "-decided_at", "-id"], name="review_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of {self.post_kind} {self.question_id or self.answer_id} ({self.status})"


class Sanction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    clause = models.CharField(_("charter clause"), max_length=20, choices=CharterClause.choices)
    message = models.TextField(_("message to the member"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Suspensions only: when posting, voting and flagging come back.
    ends_at = models.DateTimeField(null=True, blank=True)
    # When the member saw the warning (the notice stops showing).
    seen_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "created_at"], name="sanction_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id} ({self.created_at:%Y-%m-%d})"


class CharterHintsDismissal(models.Model):
    """A member said "Compris" to the charter hints of the composer. Stored on
    the server so that the hints stay gone on every device; a post hidden
    after this date brings them back once (forum.charter.hints_for)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charter_hints_dismissal"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charter hints dismissal")
        verbose_name_plural = _("charter hints dismissals")

    def __str__(self) -> str:
        return f"Charter hints dismissed by {self.user_id} at {self.dismissed_at:%Y-%m-%d}"
