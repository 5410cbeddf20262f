"""Formatting of the dashboard's figures: durations, shares, bar lengths."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from forum.insights import menu
from frontend.insights_charts import share

register = template.Library()


@register.filter
def may_view_insights(user) -> bool:
    """Whether the account menu links the dashboard (forum/insights/menu.py:
    remembered per member, so that the header costs no query; page budgets in
    frontend/tests/test_page_query_budgets.py)."""
    return menu.may_view_insights(user)


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
