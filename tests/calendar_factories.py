"""Calendar windows for tests, made through the moderators' service."""

from datetime import date, timedelta

from django.utils import timezone

from forum.alternance_calendar import PARIS
from forum.models import CalendarWindow, User, WindowKind
from forum.services.calendar import save_window


def _no_leap_day(day: date, step: int) -> date:
    # 29 February is not a yearly date: move off it in the window's direction.
    return day + timedelta(days=step) if (day.month, day.day) == (2, 29) else day


def make_window(
    *,
    moderator: User,
    start: date | None = None,
    end: date | None = None,
    tags=("recherche-entreprise", "candidature"),
    reminder_tags=(),
    reminder_days: int | None = None,
    kind: str = WindowKind.CONTRACT_DEADLINE,
    name_fr: str = "Signature du contrat",
    name_en: str = "Contract signing",
) -> CalendarWindow:
    """Active today (Paris) unless dates are given: 10 days before to 20 days after."""
    today = timezone.now().astimezone(PARIS).date()
    start = _no_leap_day(start or today - timedelta(days=10), -1)
    end = _no_leap_day(end or today + timedelta(days=20), 1)
    return save_window(
        moderator=moderator,
        name_fr=name_fr,
        name_en=name_en,
        kind=kind,
        start_month=start.month,
        start_day=start.day,
        end_month=end.month,
        end_day=end.day,
        tags=list(tags),
        reminder_tags=list(reminder_tags),
        reminder_days=reminder_days,
    )


def without_default_windows() -> None:
    """The migration's windows would make tests depend on the date they run."""
    CalendarWindow.objects.all().delete()
