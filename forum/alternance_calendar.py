"""Which calendar windows are active at an instant: pure functions of a
window's month-days and the time, in Europe/Paris.

Edges, both inclusive in Paris wall-clock time: a window is active from
00:00:00 on its start day to 23:59:59.999999 on its end day, so it ends at
00:00 of the next day (exclusive). An end month-day before the start month-day
crosses the new year: 1 Dec - 15 Jan active on 31 Dec and on 15 Jan. The
occurrence's `year` is the year of its start day, the key of "one reminder
per window per year". Summer and winter time change nothing: days are
compared in Paris dates, so a window starts at Paris midnight whatever the
UTC offset of that day.

The reminder of a window is due from 00:00 on (end day - reminder_days) to the
end of the window.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class WindowDates(Protocol):
    start_month: int
    start_day: int
    end_month: int
    end_day: int


@dataclass(frozen=True)
class Occurrence:
    """One year's concrete dates of a window (Paris dates, both inclusive)."""

    start: date
    end: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=PARIS)

    @property
    def ends_at(self) -> datetime:
        """The first instant after the window: 00:00 Paris the day after its end."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=PARIS)


def crosses_new_year(window: WindowDates) -> bool:
    return (window.end_month, window.end_day) < (window.start_month, window.start_day)


def occurrence_starting(window: WindowDates, year: int) -> Occurrence:
    start = date(year, window.start_month, window.start_day)
    end = date(year + 1 if crosses_new_year(window) else year, window.end_month, window.end_day)
    return Occurrence(start=start, end=end)


def occurrence_at(window: WindowDates, at: datetime) -> Occurrence | None:
    """The occurrence of `window` that holds the instant `at` (aware), if any."""
    today = at.astimezone(PARIS).date()
    # Only the occurrences starting this year or last year (a window crossing
    # the new year) can hold today.
    for year in (today.year, today.year - 1):
        occurrence = occurrence_starting(window, year)
        if occurrence.start <= today <= occurrence.end:
            return occurrence
    return None


def active_windows[W: WindowDates](windows: Iterable[W], at: datetime) -> list[tuple[W, Occurrence]]:
    """The windows active at `at`, each with its occurrence, in the given order."""
    result = []
    for window in windows:
        occurrence = occurrence_at(window, at)
        if occurrence is not None:
            result.append((window, occurrence))
    return result


def reminder_from(occurrence: Occurrence, reminder_days: int) -> datetime:
    """The first instant the reminder is due: 00:00 Paris, `reminder_days` before the end day."""
    day = max(occurrence.end - timedelta(days=reminder_days), occurrence.start)
    return datetime.combine(day, time.min, tzinfo=PARIS)


def reminder_due(window: WindowDates, reminder_days: int | None, at: datetime) -> Occurrence | None:
    """The occurrence whose reminder is due at `at`, if any."""
    if reminder_days is None:
        return None
    occurrence = occurrence_at(window, at)
    if occurrence is None or at < reminder_from(occurrence, reminder_days):
        return None
    return occurrence


def valid_month_day(month: int, day: int) -> bool:
    """A day that exists every year: 29 February is refused (it would skip three years in four)."""
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2001, month)[1]


def current_or_next(window: WindowDates, at: datetime) -> Occurrence:
    """The occurrence holding `at`, else the next one to start."""
    occurrence = occurrence_at(window, at)
    if occurrence is not None:
        return occurrence
    today = at.astimezone(PARIS).date()
    occurrence = occurrence_starting(window, today.year)
    return occurrence if occurrence.start > today else occurrence_starting(window, today.year + 1)
