"""The HR insights dashboard ("veille") and its CSV exports. Read-only:
every figure comes from forum.insights, every refusal from forum.permissions."""

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats

from forum import permissions
from forum.exceptions import ForumError, InvalidInput
from forum.insights.dashboard import dashboard
from forum.insights.period import DEFAULT_DAYS, PRESETS, last_days, parse_period
from forum.insights.tables import TABLES, table
from frontend.insights_charts import volume_chart
from frontend.views.common import raise_for_page

# Tables shown beside a chart on the page, in the page's order.
PAGE_TABLES = ("questions", "top-tags", "rising-tags", "diploma", "region", "most-viewed", "most-followed")


def _board(request: HttpRequest):
    """The dashboard for this viewer, or the page's refusal. A bad period is
    not a failure of the page: the default period is shown with the form's
    errors, as a form would."""
    try:
        permissions.check_can_view_insights(request.user)
        try:
            period, errors = parse_period(request.GET), {}
        except InvalidInput as exc:
            period, errors = last_days(DEFAULT_DAYS), exc.fields
        return dashboard(request.user, period, organisation_slug=request.GET.get("organisation") or None), errors
    except ForumError as exc:
        raise_for_page(exc)


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    board, errors = _board(request)
    # The language's own formats: "23 mars" / "March 23", weeks with their year.
    day_format = "MONTH_DAY_FORMAT" if board.period.bucket == "day" else "SHORT_DATE_FORMAT"
    chart = volume_chart(board.volume, label=lambda day: formats.date_format(day, day_format))
    query = dict(board.period.query())
    if board.organisation is not None:
        query["organisation"] = board.organisation.organisation.slug
    export = urlencode(query)
    return render(
        request,
        "frontend/insights/dashboard.html",
        {
            "board": board,
            "errors": errors,
            "chart": chart,
            # Underscored keys: templates cannot read "top-tags".
            "tables": {name.replace("-", "_"): table(board, name) for name in PAGE_TABLES},
            "csv": {
                name.replace("-", "_"): reverse("frontend:insights_csv", args=[name]) + "?" + export for name in TABLES
            },
            "presets": PRESETS,
            # What the custom-period fields show: the dates typed, else the period's.
            "form_from": request.GET.get("from") or board.period.first_day.isoformat(),
            "form_to": request.GET.get("to") or board.period.last_day.isoformat(),
            "is_moderator": permissions.is_moderator(request.user),
        },
    )


@login_required
def insights_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in TABLES:
        raise Http404()
    board, errors = _board(request)
    if errors:
        # An export must say which period it covers: never silently the default.
        raise_for_page(InvalidInput(next(iter(errors.values()))[0]))
    data = table(board, name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = board.period
    response["Content-Disposition"] = (
        f'attachment; filename="veille-{data.name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(data.headers)
    for row in data.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _csv_cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas (a question
    title is member input): quote them, as the audit log export does."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
