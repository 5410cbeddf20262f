"""The alternance calendar: yearly windows (school start, contract signing
deadline) that decide which questions are boosted to verified staff and when
askers get a reminder. Dates are month-day pairs recurring every year in
Europe/Paris time; which windows are active at an instant is computed by
`forum.alternance_calendar`, never stored."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WindowKind(models.TextChoices):
    SCHOOL_START = "school_start", _("School start")
    CONTRACT_DEADLINE = "contract_deadline", _("Contract signing deadline")
    OTHER = "other", _("Other")


class CalendarWindow(models.Model):
    name_fr = models.CharField(max_length=80)
    name_en = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=WindowKind.choices, default=WindowKind.OTHER)
    # Inclusive at both ends, in Europe/Paris: from 00:00 on the start day to
    # the end of the end day. An end before the start crosses the new year.
    start_month = models.PositiveSmallIntegerField()
    start_day = models.PositiveSmallIntegerField()
    end_month = models.PositiveSmallIntegerField()
    end_day = models.PositiveSmallIntegerField()
    # Tag slugs, normalised (forum.validation.normalise_tag). Slugs rather than
    # foreign keys: a window may name a tag before any question uses it.
    tags = models.JSONField(default=list, blank=True)
    # The askers of questions in these tags get the reminder ("find a company").
    reminder_tags = models.JSONField(default=list, blank=True)
    # Days before the end of the window when the reminder goes; None: no reminder.
    reminder_days = models.PositiveSmallIntegerField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start_month", "start_day", "id"]

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        return self.name_fr if (language or "fr").startswith("fr") else self.name_en


class CalendarReminder(models.Model):
    """One reminder per member, window and year (the year the occurrence
    starts): the unique row is what makes the sweep idempotent, written in the
    transaction that writes the notification."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_reminders")
    window = models.ForeignKey(CalendarWindow, on_delete=models.CASCADE, related_name="reminders")
    year = models.PositiveSmallIntegerField()
    # The questions it was about and how many new answers each had.
    questions = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "window", "year"], name="one_calendar_reminder_per_year")
        ]

    def __str__(self) -> str:
        return f"reminder of window {self.window_id} ({self.year}) to {self.user_id}"
