"""Formatting of the dashboard's figures: durations, shares, bar lengths."""

import logging

from django import template
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from forum import page_versions, permissions
from frontend.insights_charts import share

register = template.Library()
logger = logging.getLogger(__name__)

# The menu asks on every signed-in page; the answer changes only with a badge
# (whose saves bump the page generation) or with time (expiry).
MENU_ANSWER_SECONDS = 300


@register.filter
def may_view_insights(user) -> bool:
    """Whether the account menu links the dashboard: permissions.can_view_insights,
    remembered per member and page generation, so that the header costs no
    query (page budgets: frontend/tests/test_page_query_budgets.py)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if permissions.is_moderator(user):
        return True
    try:
        key = f"insights:menu:{user.pk}:{page_versions.generation()}"
        answer = cache.get(key)
        if answer is None:
            answer = permissions.can_view_insights(user)
            cache.set(key, answer, MENU_ANSWER_SECONDS)
        return bool(answer)
    except Exception:  # the cache is an optimisation (docs/known-traps.md)
        logger.warning("insights menu: cache unavailable", exc_info=True)
        return permissions.can_view_insights(user)


@register.filter
def duration(seconds) -> str:
    """A wait as a person says it: "45 min", "3 h 20 min", "2 d 4 h"; "—" when none."""
    if seconds is None:
        return "—"
    minutes = round(float(seconds) / 60)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)s h") % {"hours": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(days)s d") % {"days": days}


@register.filter
def grouped(value) -> str:
    """6108 -> "6 108" in French, "6,108" in English."""
    return number_format(value, force_grouping=True)


@register.filter
def percent(ratio) -> str:
    """0.667 -> "67 %" in French, "67%" in English; "—" when there is no ratio."""
    if ratio is None:
        return "—"
    return _("%(value)s%%") % {"value": number_format(round(100 * float(ratio)))}


@register.filter
def growth(ratio) -> str:
    """+100 %, −25 %, or "new" for a tag absent from the previous period."""
    if ratio is None:
        return _("new")
    sign = "+" if ratio >= 0 else "−"
    return sign + percent(abs(ratio))


@register.simple_tag
def bar(value, peak) -> float:
    return share(value or 0, peak or 0)


@register.filter
def peak_of(rows, index: int = 1) -> float:
    """The largest value of column `index` of a table's rows."""
    return max((row[index] or 0 for row in rows), default=0)
