"""Keeping the alternance calendar: moderators add, change and remove its
windows (forum.models.calendar). What the windows do (the boost, the
reminders) is read from them: forum.queries and forum.notifications.nudges."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import page_versions, permissions, queries
from forum.alternance_calendar import valid_month_day
from forum.exceptions import InvalidInput
from forum.models import CalendarWindow, User, WindowKind
from forum.services import audit
from forum.validation import normalise_tag

# forum.queries.calendar_windows keeps the windows there.
WINDOWS_CACHE_KEY = queries.CALENDAR_WINDOWS_KEY
MAX_TAGS = 20
MAX_REMINDER_DAYS = 90
NAME_MAX_LENGTH = 80


def _clean_tags(value, field: str, errors: dict[str, list[str]]) -> list[str]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.setdefault(field, []).append(_("Tags must be a list of words."))
        return []
    tags = list(dict.fromkeys(t for t in (normalise_tag(v) for v in value) if t))
    if len(tags) > MAX_TAGS:
        errors.setdefault(field, []).append(_("At most %(count)d tags.") % {"count": MAX_TAGS})
    if any(len(t) > 50 for t in tags):
        errors.setdefault(field, []).append(_("A tag has 50 characters at most."))
    return tags


def _snapshot(window: CalendarWindow) -> dict:
    return {
        "name": window.name_fr,
        "kind": window.kind,
        "start": f"{window.start_day:02d}/{window.start_month:02d}",
        "end": f"{window.end_day:02d}/{window.end_month:02d}",
        "tags": window.tags,
        "reminder_tags": window.reminder_tags,
        "reminder_days": window.reminder_days,
        "enabled": window.enabled,
    }


def _forget_windows() -> None:
    # Fails open (config/resilient_cache.py); the entry expires anyway (forum.queries).
    cache.delete(WINDOWS_CACHE_KEY)


def save_window(
    *,
    moderator: User,
    window: CalendarWindow | None = None,
    name_fr: str,
    name_en: str,
    kind: str,
    start_month: int,
    start_day: int,
    end_month: int,
    end_day: int,
    tags,
    reminder_tags=(),
    reminder_days: int | None = None,
    enabled: bool = True,
) -> CalendarWindow:
    """Create (`window=None`) or change a window. Every field is checked, so
    that a bad value is a field error, never a window nobody can compute."""
    permissions.check_can_edit_calendar(moderator)
    errors: dict[str, list[str]] = {}
    name_fr, name_en = (name_fr or "").strip(), (name_en or "").strip()
    for field, value in (("name_fr", name_fr), ("name_en", name_en)):
        if not value or len(value) > NAME_MAX_LENGTH:
            errors[field] = [_("Give a name of 1 to %(max)d characters.") % {"max": NAME_MAX_LENGTH}]
    if kind not in WindowKind.values:
        errors["kind"] = [_("Choose school start, contract signing deadline or other.")]
    # Named after the day field: the one a person changes to fix it.
    for field, month, day in (("start_day", start_month, start_day), ("end_day", end_month, end_day)):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (month, day)) or not valid_month_day(
            month, day
        ):
            errors[field] = [_("Give a day that exists every year (29 February does not).")]
    clean_tags = _clean_tags(tags, "tags", errors)
    if not clean_tags and "tags" not in errors:
        errors["tags"] = [_("Give at least one tag.")]
    clean_reminder_tags = _clean_tags(reminder_tags or [], "reminder_tags", errors)
    if reminder_days is not None and (
        not isinstance(reminder_days, int)
        or isinstance(reminder_days, bool)
        or not 1 <= reminder_days <= MAX_REMINDER_DAYS
    ):
        errors["reminder_days"] = [_("Give a number of days from 1 to %(max)d.") % {"max": MAX_REMINDER_DAYS}]
    if reminder_days is not None and not clean_reminder_tags and "reminder_tags" not in errors:
        errors["reminder_tags"] = [_("Name the tags whose askers get the reminder.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        before = _snapshot(window) if window is not None else None
        window = CalendarWindow() if window is None else CalendarWindow.objects.select_for_update().get(pk=window.pk)
        window.name_fr, window.name_en, window.kind = name_fr, name_en, kind
        window.start_month, window.start_day, window.end_month, window.end_day = (
            start_month,
            start_day,
            end_month,
            end_day,
        )
        window.tags, window.reminder_tags = clean_tags, clean_reminder_tags
        window.reminder_days = reminder_days if clean_reminder_tags else None
        window.enabled = bool(enabled)
        window.updated_at = timezone.now()
        window.save()
        audit.record(
            actor=moderator, action="calendar.window_saved", target=window, before=before, after=_snapshot(window)
        )
        _after_change()
    return window


def delete_window(*, moderator: User, window: CalendarWindow) -> None:
    """Its reminder rows go with it: a window added again later is a new one."""
    permissions.check_can_edit_calendar(moderator)
    with transaction.atomic():
        audit.record(actor=moderator, action="calendar.window_deleted", target=window, before=_snapshot(window))
        window.delete()
        _after_change()


def _after_change() -> None:
    # Pages that show the boost or the banner are rendered from the windows,
    # and no topic announces a change of the calendar.
    transaction.on_commit(_forget_windows, robust=True)
    page_versions.bump_generation()
