"""The charter that teaches: putting the composer hints away, the page that
explains a moderation decision to its author, and the help page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from forum import charter
from forum.exceptions import ForumError
from forum.services import charter as charter_services
from frontend.views.common import raise_for_page, refuse, safe_next_url, see_other
from frontend.views.pages import prose_page


@login_required
@require_POST
def dismiss_hints(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, reverse("frontend:home"))
    try:
        charter_services.dismiss_hints(member=request.user)
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("Noted: the hints will not show again. The charter stays one click away."))
    return see_other(next_url)


@login_required
@require_safe
def moderation_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        outcome = charter.get_outcome(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)
    response = render(request, "frontend/moderation/outcome.html", {"outcome": outcome, "noindex": True})
    response["Cache-Control"] = "private, no-store"
    return response


def help_charter(request: HttpRequest) -> HttpResponse:
    context = {
        "clauses": list(charter.CLAUSES.values()),
        "hint_posts": charter.first_posts_with_hints(),
        "recent_days": charter.RECENT_HIDE_DAYS,
    }
    return prose_page(request, "frontend/pages/help_charter", context)
