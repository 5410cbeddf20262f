"""Factories for organisations and verified badges. They go through the real
services (request, emailed link, confirmation, approval), so a badge in a test
was earned exactly the way production earns one."""

import re

from django.core import mail
from django.test import TestCase

from forum.models import Badge, Organisation, User, VerificationRequest
from forum.services import organisations as organisation_services
from forum.services import verification as verification_services

LINK = re.compile(r"https?://\S+/badges/confirmer/([A-Za-z0-9_\-]+)/")


def sent(callable_, *args, **kwargs):
    """Run a service and deliver the emails it queues for after commit (the
    test transaction never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return callable_(*args, **kwargs)


def make_organisation(
    *, moderator: User, name: str = "Banque Exemple", domains=("banque-exemple.fr",), **fields
) -> Organisation:
    return organisation_services.create_organisation(actor=moderator, name=name, domains=list(domains), **fields)


def last_token(address: str) -> str:
    for message in reversed(mail.outbox):
        if address in message.to:
            match = LINK.search(message.body)
            assert match, message.body
            return match.group(1)
    raise AssertionError(f"no confirmation email to {address}")


def request_and_confirm(
    *, user: User, organisation: Organisation, role: str = "hr", work_email: str | None = None
) -> VerificationRequest:
    work_email = work_email or f"{user.username}@{organisation.domains.first().domain}"
    sent(
        verification_services.request_badge,
        user=user,
        organisation=organisation,
        role=role,
        work_email=work_email,
        site_url="http://testserver/",
    )
    return verification_services.confirm_work_email(token=last_token(work_email))


def grant_badge(
    *, user: User, organisation: Organisation, moderator: User, role: str = "hr", work_email: str | None = None
) -> Badge:
    request = request_and_confirm(user=user, organisation=organisation, role=role, work_email=work_email)
    return verification_services.approve_request(moderator=moderator, request=request)
