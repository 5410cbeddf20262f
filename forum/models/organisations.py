"""Organisations and the verified badges their members hold.

A badge is never inferred from what a member writes about themselves: it exists
only as a `Badge` row created by an approved `VerificationRequest`, i.e. after
the member proved a work address at one of the organisation's domains and a
moderator (or, for ambassadors only, the organisation's auto-approval) agreed.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A badge lasts this long after the work email was (re)confirmed.
BADGE_VALIDITY = timedelta(days=365)
# Members are reminded this long before their badge expires.
BADGE_REMINDER_BEFORE = timedelta(days=30)


class BadgeRole(models.TextChoices):
    HR = "hr", _("HR / recruiter")
    SCHOOL = "school", _("School or CFA staff")
    AMBASSADOR = "ambassador", _("Employee or apprentice")


# Roles whose answers rank first in threads and count for the "answered by a
# verified HR" filter: people who speak for the organisation.
STAFF_ROLES = (BadgeRole.HR, BadgeRole.SCHOOL)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        SCHOOL = "school", _("School or CFA")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    website = models.URLField(_("website"), blank=True)
    # A URL rather than an upload: no image processing dependency, and the
    # organisation's own site is the natural home of its logo.
    logo_url = models.URLField(_("logo URL"), blank=True)
    description = models.CharField(_("short description"), max_length=300, blank=True)
    auto_approve_ambassadors = models.BooleanField(
        _("auto-approve ambassadors"),
        default=False,
        help_text=_("A confirmed work email is enough for ambassadors; HR and school staff are always reviewed."),
    )
    # "Ask an organisation": `question.addressed_to.all()` from the other side.
    addressed_questions = models.ManyToManyField(
        "forum.Question", through="forum.QuestionAddressee", related_name="addressed_to", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frontend:organisation", kwargs={"slug": self.slug})


class OrganisationDomain(models.Model):
    """An email domain that proves membership: an address at this domain or at
    one of its subdomains."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("organisation domain")
        verbose_name_plural = _("organisation domains")

    def __str__(self) -> str:
        return self.domain


class BadgeQuerySet(models.QuerySet):
    def active(self, *, at=None) -> "BadgeQuerySet":
        """Badges to show now. Expiry is checked here, not only by the cron
        command, so a badge disappears on time even if the command is late."""
        return self.filter(status=Badge.Status.ACTIVE, expires_at__gt=at or timezone.now())


class Badge(models.Model):
    """A verified membership: this user holds this role at this organisation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badges")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="badges")
    role = models.CharField(_("role"), max_length=12, choices=BadgeRole.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    # The request whose confirmed work email last proved this badge (renewals
    # point it at the newer request).
    request = models.ForeignKey(
        "forum.VerificationRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"))
    expires_at = models.DateTimeField(_("expires at"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BadgeQuerySet.as_manager()

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(status="active"),
                name="one_active_badge_per_user_organisation_role",
            )
        ]
        indexes = [
            models.Index(fields=["user", "status", "expires_at"], name="badge_user_active_idx"),
            models.Index(fields=["organisation", "status", "expires_at"], name="badge_org_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.organisation_id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE and self.expires_at > timezone.now()


class VerificationRequest(models.Model):
    """A member's request for a badge, from the emailed proof to the decision.

    The work email is private: shown only to the requester and to moderators.
    Only a SHA-256 of the confirmation token is stored.
    """

    class Status(models.TextChoices):
        PENDING_EMAIL = "pending_email", _("Waiting for the work email confirmation")
        PENDING_REVIEW = "pending_review", _("Waiting for a moderator")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PENDING_EMAIL, Status.PENDING_REVIEW)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="verification_requests")
    role = models.CharField(_("role"), max_length=12, choices=BadgeRole.choices)
    work_email = models.EmailField(_("work email"), max_length=254)
    # Set when the request re-confirms the work email of an existing badge.
    renews = models.ForeignKey(Badge, null=True, blank=True, on_delete=models.CASCADE, related_name="renewals")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING_EMAIL)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(status__in=["pending_email", "pending_review"]),
                name="one_open_request_per_user_organisation_role",
            )
        ]
        indexes = [models.Index(fields=["status", "email_confirmed_at"], name="verification_queue_idx")]

    def __str__(self) -> str:
        return f"Request {self.pk}: {self.user_id} {self.role} @ {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class QuestionAddressee(models.Model):
    """Ask an organisation: the question names organisations it is addressed to.
    `notified_at` is for the notifications issue, which will deliver to their
    verified members."""

    question = models.ForeignKey("forum.Question", on_delete=models.CASCADE, related_name="addressees")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="addressees")
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "organisation"], name="one_addressee_per_question_and_org")
        ]

    def __str__(self) -> str:
        return f"question {self.question_id} -> {self.organisation_id}"
