from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    STUDENT = "student", _("Student")
    APPRENTICE = "apprentice", _("Apprentice (alternant·e)")
    HR = "hr", _("HR / recruiter")
    SCHOOL = "school", _("School or CFA staff")
    OTHER = "other", _("Other")


class User(AbstractUser):
    """A member. Self-declared role and school are profile text, never a badge:
    verified badges come from organisation membership, proven separately."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    role = models.CharField(_("who I am"), max_length=20, choices=UserRole.choices, default=UserRole.STUDENT)
    school = models.CharField(_("school or training"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=60, blank=True)
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    # A suspended member can read but not post, vote or flag until this moment.
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # Warnings and sanctions the member has not read yet: kept on the row so
    # that every page can show the notice without a query.
    unseen_sanctions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("frontend:profile", kwargs={"username": self.username})
