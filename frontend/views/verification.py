"""Verified badges: asking for one, confirming the work email, one's own badges
page, and the moderators' review queue. Every action is a plain form POST that
calls one service, so the pages work without JavaScript."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum import permissions, queries
from forum.exceptions import ForumError, InvalidInput, NotFound
from forum.models import BadgeRole, VerificationRequest
from forum.services import verification as verification_services
from frontend.forms import add_service_errors
from frontend.views.common import raise_for_page, refuse, see_other, status_for, with_retry_after


class BadgeRequestForm(forms.Form):
    # Not required and no choice validation here: the service is the one judge,
    # and its messages go next to the fields.
    role = forms.CharField(
        label=gettext_lazy("Your role there"),
        required=False,
        widget=forms.RadioSelect(choices=BadgeRole.choices),
    )
    work_email = forms.CharField(
        label=gettext_lazy("Your work email address"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("We send a confirmation link to it. It is never shown on the site."),
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false", "required": True}
        ),
    )


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- Asking -----------------------------------------------------------------------


@login_required
def request_badge(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        organisation = queries.get_organisation(slug)
    except ForumError as exc:
        raise_for_page(exc)
    context = {"organisation": organisation, "can_request": permissions.can_request_badge(request.user)}
    if request.method != "POST":
        default_role = BadgeRole.SCHOOL if organisation.kind == organisation.Kind.SCHOOL else BadgeRole.HR
        context["form"] = BadgeRequestForm(initial={"role": default_role})
        return render(request, "frontend/verification/request.html", context)

    form = BadgeRequestForm(request.POST)
    form.is_valid()
    context["form"] = form
    try:
        verification_services.request_badge(
            user=request.user,
            organisation=organisation,
            role=form.cleaned_data.get("role", ""),
            work_email=form.cleaned_data.get("work_email", ""),
            site_url=_site_url(request),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, "frontend/verification/request.html", context, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        response = render(request, "frontend/verification/request.html", context, status=status_for(exc))
        return with_retry_after(response, exc)
    messages.success(
        request,
        _("We sent a confirmation link to your work address. Open it to continue (check the spam folder too)."),
    )
    return see_other(reverse("frontend:my_badges"))


@login_required
def my_badges(request: HttpRequest) -> HttpResponse:
    badges = list(queries.my_badges(request.user))
    requests = list(queries.my_verification_requests(request.user)[:50])
    for badge in badges:
        badge.can_renew = permissions.can_renew_badge(request.user, badge)
        badge.renewal_pending = any(r.renews_id == badge.pk and r.is_open for r in requests)
    return render(request, "frontend/verification/mine.html", {"badges": badges, "requests": requests})


def _own_request(request: HttpRequest, pk: int) -> VerificationRequest:
    try:
        return queries.get_verification_request(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    verification_request = _own_request(request, pk)
    next_url = reverse("frontend:my_badges")
    try:
        verification_services.cancel_request(user=request.user, request=verification_request)
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("Your request is cancelled."))
    return see_other(next_url)


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    verification_request = _own_request(request, pk)
    next_url = reverse("frontend:my_badges")
    try:
        verification_services.resend_confirmation(
            user=request.user, request=verification_request, site_url=_site_url(request)
        )
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("A new link is on its way to your work address. The previous one no longer works."))
    return see_other(next_url)


@login_required
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        badge = queries.get_badge(pk)
    except ForumError as exc:
        raise_for_page(exc)
    next_url = reverse("frontend:my_badges")
    try:
        verification_services.request_renewal(
            user=request.user,
            badge=badge,
            work_email=request.POST.get("work_email") or None,
            site_url=_site_url(request),
        )
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("We sent a link to your work address: open it to add 12 months to your badge."))
    return see_other(next_url)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners open links, and they
    must not confirm anything on their own."""
    if request.method != "POST":
        return render(request, "frontend/verification/confirm.html", {"token": token})
    try:
        verification_request = verification_services.confirm_work_email(token=token)
    except ForumError as exc:
        return with_retry_after(
            render(
                request,
                "frontend/verification/confirm.html",
                {"token": token, "error": exc.message},
                status=404 if isinstance(exc, NotFound) else 409,
            ),
            exc,
        )
    return render(request, "frontend/verification/confirmed.html", {"verification_request": verification_request})


# --- Moderators ------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    try:
        pending = list(queries.verification_queue(request.user)[:100])
    except ForumError as exc:
        raise_for_page(exc)
    return render(request, "frontend/verification/queue.html", {"pending": pending})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    verification_request = _own_request(request, pk)
    next_url = reverse("frontend:verification_queue")
    reason = request.POST.get("reason", "")
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            verification_services.approve_request(moderator=request.user, request=verification_request, reason=reason)
            messages.success(
                request,
                _("Badge granted to %(name)s.") % {"name": verification_request.user.public_name},
            )
        elif decision == "refuse":
            verification_services.refuse_request(moderator=request.user, request=verification_request, reason=reason)
            messages.success(request, _("Request refused; the member will see your reason."))
        else:
            messages.error(request, _("Choose to approve or to refuse."))
    except ForumError as exc:
        return refuse(request, exc, next_url)
    return see_other(next_url)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        badge = queries.get_badge(pk)
    except ForumError as exc:
        raise_for_page(exc)
    next_url = request.POST.get("next") or badge.organisation.get_absolute_url()
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = badge.organisation.get_absolute_url()
    try:
        verification_services.revoke_badge(moderator=request.user, badge=badge, reason=request.POST.get("reason", ""))
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("The badge is revoked. It no longer appears anywhere."))
    return see_other(next_url)
