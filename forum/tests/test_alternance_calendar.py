"""Which windows are active at an instant, at the edges (Paris time)."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from forum.alternance_calendar import (
    PARIS,
    active_windows,
    occurrence_at,
    reminder_due,
    reminder_from,
    valid_month_day,
)


def window(start: tuple[int, int], end: tuple[int, int], name: str = "w"):
    return SimpleNamespace(name=name, start_month=start[0], start_day=start[1], end_month=end[0], end_day=end[1])


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


SIGNING = window((7, 1), (11, 30))
WINTER = window((12, 1), (1, 15))


def test_a_window_starts_at_midnight_paris_on_its_start_day():
    assert occurrence_at(SIGNING, paris(2026, 6, 30, 23, 59, 59, 999999)) is None
    occurrence = occurrence_at(SIGNING, paris(2026, 7, 1, 0, 0, 0))
    assert (occurrence.start.isoformat(), occurrence.end.isoformat(), occurrence.year) == (
        "2026-07-01",
        "2026-11-30",
        2026,
    )


def test_a_window_holds_its_whole_end_day_and_ends_at_the_next_midnight():
    assert occurrence_at(SIGNING, paris(2026, 11, 30, 23, 59, 59)) is not None
    assert occurrence_at(SIGNING, paris(2026, 11, 30, 23, 59, 59, 999999)) is not None
    assert occurrence_at(SIGNING, paris(2026, 12, 1, 0, 0, 0)) is None
    assert occurrence_at(SIGNING, paris(2026, 7, 1)).ends_at == paris(2026, 12, 1)


def test_paris_time_decides_not_utc():
    # 30 June 22:30 UTC is 1 July 00:30 in Paris (summer time, UTC+2).
    assert occurrence_at(SIGNING, datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) is not None
    # 30 November 23:30 UTC is 1 December 00:30 in Paris (winter time, UTC+1): over.
    assert occurrence_at(SIGNING, datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) is None
    # 30 November 22:59 UTC is still 23:59 on the end day in Paris.
    assert occurrence_at(SIGNING, datetime(2026, 11, 30, 22, 59, tzinfo=UTC)) is not None


@pytest.mark.parametrize(
    ("at", "year"),
    [
        (paris(2026, 12, 1, 0, 0), 2026),
        (paris(2026, 12, 31, 23, 59, 59), 2026),
        (paris(2027, 1, 1, 0, 0), 2026),
        (paris(2027, 1, 15, 23, 59, 59), 2026),
    ],
)
def test_a_window_crossing_the_new_year_is_one_occurrence_keyed_by_its_start_year(at, year):
    occurrence = occurrence_at(WINTER, at)
    assert occurrence is not None
    assert occurrence.year == year
    assert (occurrence.start.isoformat(), occurrence.end.isoformat()) == ("2026-12-01", "2027-01-15")


@pytest.mark.parametrize("at", [paris(2026, 11, 30, 23, 59, 59), paris(2027, 1, 16, 0, 0), paris(2026, 6, 1)])
def test_outside_a_window_crossing_the_new_year(at):
    assert occurrence_at(WINTER, at) is None


def test_the_change_to_summer_time_does_not_move_the_start():
    # 29 March 2026: clocks go from 02:00 to 03:00 in Paris.
    spring = window((3, 29), (4, 5))
    assert occurrence_at(spring, datetime(2026, 3, 28, 22, 59, 59, tzinfo=UTC)) is None  # 23:59:59 UTC+1
    assert occurrence_at(spring, datetime(2026, 3, 28, 23, 0, tzinfo=UTC)) is not None  # 00:00 UTC+1
    assert occurrence_at(spring, paris(2026, 3, 29, 3, 30)) is not None


def test_active_windows_keeps_the_given_order_and_leaves_out_the_inactive():
    school = window((9, 1), (10, 15), "school")
    active = active_windows([SIGNING, school, WINTER], paris(2026, 9, 1, 0, 0))
    assert [w for w, _occurrence in active] == [SIGNING, school]
    assert active_windows([SIGNING, school], paris(2026, 3, 1)) == []


def test_the_reminder_is_due_from_midnight_paris_lead_days_before_the_end():
    assert reminder_from(occurrence_at(SIGNING, paris(2026, 8, 1)), 14) == paris(2026, 11, 16)
    assert reminder_due(SIGNING, 14, paris(2026, 11, 15, 23, 59, 59)) is None
    assert reminder_due(SIGNING, 14, paris(2026, 11, 16, 0, 0)).year == 2026
    assert reminder_due(SIGNING, 14, paris(2026, 11, 30, 23, 59, 59)) is not None
    assert reminder_due(SIGNING, 14, paris(2026, 12, 1, 0, 0)) is None
    assert reminder_due(SIGNING, None, paris(2026, 11, 20)) is None


def test_a_lead_time_longer_than_the_window_is_due_from_its_start():
    short = window((11, 20), (11, 30))
    assert reminder_due(short, 30, paris(2026, 11, 19, 23, 59)) is None
    assert reminder_due(short, 30, paris(2026, 11, 20, 0, 0)) is not None


def test_the_reminder_of_a_window_crossing_the_new_year_counts_back_across_it():
    assert reminder_due(WINTER, 20, paris(2026, 12, 25, 23, 59, 59)) is None
    assert reminder_due(WINTER, 20, paris(2026, 12, 26, 0, 0)).year == 2026


@pytest.mark.parametrize(
    ("month", "day", "valid"),
    [(1, 31, True), (2, 28, True), (2, 29, False), (4, 31, False), (13, 1, False), (0, 1, False), (12, 0, False)],
)
def test_only_days_that_exist_every_year_are_valid(month, day, valid):
    assert valid_month_day(month, day) is valid
