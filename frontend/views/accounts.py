"""The sign-up flow around allauth: sending the confirmation link again from
the "check your email" page (allauth's own pages do the rest, `next` included)."""

from allauth.account.internal.flows.email_verification import send_verification_email_at_login
from allauth.account.internal.stagekit import unstash_login
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.views.common import see_other


@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again to the account being signed up in this
    browser. allauth keeps that pending sign-up (and where to go next) in the
    session; without one, logging in sends a new link. allauth's own limit
    (one email per address every few minutes) applies, and its sending is
    the same whether the address has an account or not (no enumeration)."""
    # allauth has no public API for this yet (65.x): its login-stage helpers,
    # pinned with the version in requirements.txt and covered by a test.
    login = unstash_login(request, peek=True)
    if login is None:
        messages.info(request, _("Log in with your email address and password: we will send you a new link."))
        return see_other(reverse("account_login"))
    if not send_verification_email_at_login(request, login):
        messages.info(
            request,
            _("A link was sent a moment ago: check your spam folder, or ask again in a few minutes."),
        )
    return see_other(reverse("account_email_verification_sent"))
