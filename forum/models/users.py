import functools

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.confusables import compact_key


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
    # The username as a reader sees it (forum.confusables.compact_key: UTS #39
    # skeleton, case, accents and separators folded). Unique, so that "dеmo-hr"
    # (Cyrillic е) cannot sign up next to "demo-hr", and the database enforces
    # it when two sign-ups race. Null only for legacy accounts whose key
    # collided with an older one when the column was added (migration 0004):
    # they keep it null until their username changes.
    username_key = models.CharField(max_length=300, unique=True, null=True, editable=False)
    # Set when the member deleted their account (forum.services.account_deletion):
    # the row stays so that their kept posts still have an author, but every
    # personal value on it is erased and it is shown as "Deleted member".
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        # A derived column, kept in step here rather than in the services:
        # users are also created by allauth, createsuperuser, the admin and
        # fixtures, and a uniqueness rule that one path skips protects nothing.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if "username" in update_fields:
                self.username_key = compact_key(self.username) or None
                kwargs["update_fields"] = {*update_fields, "username_key"}
        elif self._state.adding or self.username_key is not None:
            self.username_key = compact_key(self.username) or None
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.username

    @property
    def public_name(self) -> str:
        if self.erased_at is not None:
            return gettext("Deleted member")
        return self.display_name or self.username

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_absolute_url(self) -> str:
        return _profile_url(self.username, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=8192)
def _profile_url(username: str, script_prefix: str, urlconf: str) -> str:
    # Every author shown (REST lists, websocket payloads, a live session's
    # catch-up) links to their profile: `reverse` cost as much as the rest of
    # the author's data. What it reads besides the username (the script
    # prefix, the URLconf) is the rest of the key; addresses carry no language
    # prefix (a test fails if they start to).
    return reverse("frontend:profile", kwargs={"username": username})


class LoginThrottle(models.Model):
    """Password attempts against one account, from anywhere (web form and API
    token endpoint alike): forum.services.login_limits. One row per account
    (or per unknown login name, so that a guess at a non-existent account is
    treated like one at a real account and reveals nothing)."""

    key = models.CharField(max_length=300, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
