"""The alternance calendar: the help page for everyone, and the moderators'
pages that keep its windows (forum.services.calendar)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import queries
from forum.alternance_calendar import current_or_next
from forum.exceptions import ForumError, InvalidInput, NotFound
from forum.models import CalendarWindow
from forum.services import calendar as calendar_services
from frontend.calendar_forms import CalendarWindowForm
from frontend.forms import add_service_errors
from frontend.views.common import moderator_only, raise_for_page, see_other
from frontend.views.pages import prose_page


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


def _rows(windows) -> list[dict]:
    now = timezone.now()
    language = _language()
    rows = []
    for window in windows:
        occurrence = current_or_next(window, now)
        rows.append(
            {
                "window": window,
                "name": window.name(language),
                "occurrence": occurrence,
                "active": window.enabled and occurrence.starts_at <= now < occurrence.ends_at,
            }
        )
    return rows


def help_calendar(request: HttpRequest) -> HttpResponse:
    windows = [w for w in queries.calendar_windows() if w.enabled]
    return prose_page(request, "frontend/pages/help_calendar", {"windows": _rows(windows)})


@login_required
def calendar_list(request: HttpRequest) -> HttpResponse:
    moderator_only(request)
    return render(
        request, "frontend/calendar/list.html", {"rows": _rows(CalendarWindow.objects.order_by("start_month", "pk"))}
    )


def _get_window(pk: int) -> CalendarWindow:
    window = CalendarWindow.objects.filter(pk=pk).first()
    if window is None:
        raise_for_page(NotFound())
    return window


@login_required
def calendar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    moderator_only(request)
    window = _get_window(pk) if pk is not None else None
    if request.method == "POST":
        form = CalendarWindowForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = calendar_services.save_window(
                    moderator=request.user,
                    window=window,
                    name_fr=data["name_fr"],
                    name_en=data["name_en"],
                    kind=data["kind"],
                    start_month=data["start_month"],
                    start_day=data["start_day"],
                    end_month=data["end_month"],
                    end_day=data["end_day"],
                    tags=data["tags"],
                    reminder_tags=data["reminder_tags"],
                    reminder_days=data["reminder_days"],
                    enabled=data["enabled"],
                )
            except InvalidInput as exc:
                add_service_errors(form, exc)
            except ForumError as exc:
                raise_for_page(exc)
            else:
                messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name(_language())})
                return see_other(reverse("frontend:moderation_calendar"))
        status = 400
    else:
        form = CalendarWindowForm.for_window(window) if window else CalendarWindowForm()
        status = 200
    return render(request, "frontend/calendar/edit.html", {"form": form, "window": window}, status=status)


@login_required
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    moderator_only(request)
    window = _get_window(pk)
    try:
        calendar_services.delete_window(moderator=request.user, window=window)
    except ForumError as exc:
        raise_for_page(exc)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": window.name(_language())})
    return see_other(reverse("frontend:moderation_calendar"))
