"""The period a dashboard looks at: whole days in the site's time zone
(TIME_ZONE, Europe/Paris), so that "today" and a day's bar mean what a reader
in France expects, whatever UTC says."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.exceptions import InvalidInput

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
# A custom period longer than this would make day bars unreadable and weeks
# of little use to "veille"; a year is enough to compare seasons.
MAX_DAYS = 366
# Up to this many days a chart has one bar per day, beyond it one per week.
DAILY_UP_TO = 31


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date  # included

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> dt.datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return _local_midnight(self.last_day + dt.timedelta(days=1))

    @property
    def preset(self) -> str:
        """ "7", "30", "90" when the period is one of those ending today, else "custom"."""
        if self.last_day == today() and self.days in PRESETS:
            return str(self.days)
        return "custom"

    @property
    def bucket(self) -> str:
        return "day" if self.days <= DAILY_UP_TO else "week"

    def previous(self) -> "Period":
        """The period of the same length just before: what "rising" compares with."""
        return Period(self.first_day - dt.timedelta(days=self.days), self.first_day - dt.timedelta(days=1))

    def query(self) -> dict[str, str]:
        if self.preset != "custom":
            return {"period": self.preset}
        return {"period": "custom", "from": self.first_day.isoformat(), "to": self.last_day.isoformat()}


def _local_midnight(day: dt.date) -> dt.datetime:
    # make_aware on each date, not start + n days: a period spanning a DST
    # change has a 23- or 25-hour day, and its boundaries stay at midnight.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def today() -> dt.date:
    return timezone.localdate(timezone.now(), timezone.get_default_timezone())


def last_days(days: int, *, until: dt.date | None = None) -> Period:
    until = until or today()
    return Period(until - dt.timedelta(days=days - 1), until)


def parse_period(params) -> Period:
    """`period` = 7, 30, 90 (days ending today) or `custom` with `from` and
    `to` (YYYY-MM-DD, both included). Bad input raises InvalidInput with field
    errors: the page shows them, the API answers 400."""
    choice = (params.get("period") or "").strip() or str(DEFAULT_DAYS)
    if choice in {str(days) for days in PRESETS}:
        return last_days(int(choice))
    if choice != "custom":
        raise InvalidInput(fields={"period": [_("Choose 7, 30 or 90 days, or a custom period.")]})
    errors: dict[str, list[str]] = {}
    days = {}
    for field in ("from", "to"):
        value = (params.get(field) or "").strip()
        try:
            days[field] = dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            days[field] = None
        if days[field] is None:
            errors[field] = [_("Enter a date as YYYY-MM-DD.")]
    if errors:
        raise InvalidInput(fields=errors)
    first, last = days["from"], days["to"]
    if first > last:
        raise InvalidInput(fields={"to": [_("The end must not be before the start.")]})
    if last > today():
        raise InvalidInput(fields={"to": [_("The end cannot be in the future.")]})
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(fields={"from": [_("A period covers at most %(days)s days.") % {"days": MAX_DAYS}]})
    return Period(first, last)
