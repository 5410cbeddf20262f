"""Verified badges: request, proof of a work email, review, revocation, expiry.

The flow: a member asks for a role at an organisation and gives a work address
at one of its domains; a confirmation link goes to that address (only a hash of
its token is stored); once confirmed, a moderator approves or refuses with a
reason (an organisation may let confirmed ambassadors through on its own).
Badges expire 12 months after the last confirmation; members are reminded 30
days before and renew by confirming the work email again. Every step is in the
audit log.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum import page_versions, permissions
from forum.exceptions import Conflict, NotFound, RateLimited
from forum.models import Badge, BadgeRole, Organisation, User, VerificationRequest
from forum.models.organisations import BADGE_REMINDER_BEFORE, BADGE_VALIDITY
from forum.notifications import dispatch as notify
from forum.search import reindex_answers_of
from forum.services import audit, profiles
from forum.services.organisations import domain_matches, email_domain
from forum.validation import Errors, raise_if

logger = logging.getLogger(__name__)

# How long a confirmation link works.
LINK_TTL = timedelta(days=3)
# Confirmation emails go to addresses the member typed: cap them, so the form
# cannot be used to flood someone's inbox.
REQUESTS_PER_DAY = 5
EMAILS_PER_REQUEST = 5
RESEND_INTERVAL = timedelta(minutes=1)
REASON_MAX = 1000

Status = VerificationRequest.Status


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _site_url(site_url: str | None) -> str:
    # Front doors pass the address the member is using; the cron command has
    # no request and falls back to the configured one.
    return (site_url or settings.SITE_URL).rstrip("/")


def _trace(request: VerificationRequest) -> dict:
    """What the audit log keeps about a request: never the full work address,
    the domain is enough to understand a decision."""
    return {
        "user_id": request.user_id,
        "organisation": request.organisation.slug,
        "role": request.role,
        "status": request.status,
        "email_domain": email_domain(request.work_email),
        "renews_badge_id": request.renews_id,
    }


def _badge_trace(badge: Badge) -> dict:
    return {
        "user_id": badge.user_id,
        "organisation": badge.organisation.slug,
        "role": badge.role,
        "status": badge.status,
        "verified_at": badge.verified_at,
        "expires_at": badge.expires_at,
    }


def _clean_reason(value, errors: Errors, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault("reason", []).append(_("Enter text."))
        return ""
    # NUL bytes break PostgreSQL text columns.
    value = value.replace("\x00", "").strip()
    if required and not value:
        errors.setdefault("reason", []).append(_("Give a reason: the member will read it."))
    elif len(value) > REASON_MAX:
        errors.setdefault("reason", []).append(_("At most %(max)d characters.") % {"max": REASON_MAX})
    return value


def _clean_work_email(value, organisation: Organisation, errors: Errors) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.setdefault("work_email", []).append(_("Enter your work email address."))
        return ""
    address = value.strip()
    try:
        validate_email(address)
    except ValidationError:
        errors.setdefault("work_email", []).append(_("Enter a valid email address."))
        return ""
    local, _at, domain_part = address.rpartition("@")
    domain = email_domain(address)
    organisation_domains = list(organisation.domains.values_list("domain", flat=True))
    if not organisation_domains:
        errors.setdefault("organisation", []).append(
            _("%(organisation)s has no verified email domain yet: moderators must add one first.")
            % {"organisation": organisation.name}
        )
        return ""
    if domain is None or not any(domain_matches(domain, d) for d in organisation_domains):
        errors.setdefault("work_email", []).append(
            _("This address is not at a domain of %(organisation)s. Use your work address ending in %(domains)s.")
            % {
                "organisation": organisation.name,
                "domains": _(" or ").join(f"@{d}" for d in organisation_domains),
            }
        )
        return ""
    # Domains are case-insensitive; the local part is kept as typed.
    return f"{local}@{domain}"


def _check_email_not_used_by_someone_else(*, user: User, work_email: str) -> None:
    """One work address proves one member: a second account cannot borrow a
    colleague's (or its own twin's) proof."""
    active_elsewhere = Badge.objects.active().filter(request__work_email__iexact=work_email).exclude(user=user)
    open_elsewhere = VerificationRequest.objects.filter(
        work_email__iexact=work_email, status__in=VerificationRequest.OPEN_STATUSES
    ).exclude(user=user)
    if active_elsewhere.exists() or open_elsewhere.exists():
        raise Conflict(
            _("This work address already proves another member's badge."),
            fields={"work_email": [_("Already used by another account.")]},
        )


def _check_daily_limit(user: User) -> None:
    since = timezone.now() - timedelta(days=1)
    recent = VerificationRequest.objects.filter(user=user, created_at__gte=since).order_by("created_at")
    if recent.count() >= REQUESTS_PER_DAY:
        oldest = recent.first()
        retry = int((oldest.created_at + timedelta(days=1) - timezone.now()).total_seconds()) + 1
        raise RateLimited(
            ngettext(
                "You have made %(count)d badge request today. Try again tomorrow.",
                "You have made %(count)d badge requests today. Try again tomorrow.",
                REQUESTS_PER_DAY,
            )
            % {"count": REQUESTS_PER_DAY},
            retry_after=max(retry, 1),
        )


def _lock(request: VerificationRequest) -> VerificationRequest:
    """The request's row, locked for a decision: checks run on it, not on the
    caller's possibly stale copy."""
    return (
        VerificationRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=request.pk)
    )


def _close(locked: VerificationRequest, *, status: str, **decision) -> dict:
    """Ends an open request (its link stops working) and returns its trace
    from before, for the audit entry."""
    if not locked.is_open:
        raise Conflict(_("This request is already closed."))
    before = _trace(locked)
    locked.status = status
    locked.token_hash = ""
    locked.decided_at = timezone.now()
    for field, value in decision.items():
        setattr(locked, field, value)
    locked.save(update_fields=["status", "token_hash", "decided_at", *decision])
    return before


def _issue_link(request: VerificationRequest, *, site_url: str | None) -> None:
    """A fresh token (the previous link stops working), sent after commit."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    request.token_hash = _hash(token)
    request.token_expires_at = now + LINK_TTL
    request.email_sent_at = now
    request.emails_sent += 1
    request.save(update_fields=["token_hash", "token_expires_at", "email_sent_at", "emails_sent"])
    link = _site_url(site_url) + reverse("frontend:verification_confirm", kwargs={"token": token})
    context = {
        "request": request,
        "user": request.user,
        "organisation": request.organisation,
        "role_label": BadgeRole(request.role).label,
        "link": link,
        "valid_days": LINK_TTL.days,
        "is_renewal": request.renews_id is not None,
    }
    subject = render_to_string("forum/email/verification_confirm_subject.txt", context)
    body = render_to_string("forum/email/verification_confirm_body.txt", context)
    _send_on_commit(subject=subject, body=body, to=request.work_email)


def _send_on_commit(*, subject: str, body: str, to: str) -> None:
    message = EmailMultiAlternatives(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])
    # robust: a mail server outage must not turn a committed request into a
    # 500; the member can send the link again.
    transaction.on_commit(message.send, robust=True)


# --- Requesting -------------------------------------------------------------------


def request_badge(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    work_email: str,
    site_url: str | None = None,
) -> VerificationRequest:
    permissions.check_can_request_badge(user)
    errors: Errors = {}
    if role not in BadgeRole.values:
        errors.setdefault("role", []).append(_("Choose HR, school staff or employee/apprentice."))
    work_email = _clean_work_email(work_email, organisation, errors)
    raise_if(errors)
    if Badge.objects.active().filter(user=user, organisation=organisation, role=role).exists():
        raise Conflict(_("You already hold this badge. You can renew it from your badges page."))
    _check_email_not_used_by_someone_else(user=user, work_email=work_email)
    _check_daily_limit(user)
    try:
        with transaction.atomic():
            request = VerificationRequest.objects.create(
                user=user, organisation=organisation, role=role, work_email=work_email
            )
            audit.record(actor=user, action="verification.requested", target=request, after=_trace(request))
            _issue_link(request, site_url=site_url)
    except IntegrityError:
        raise Conflict(
            _("You already have a request in progress for this badge: confirm its email or cancel it first.")
        ) from None
    return request


def resend_confirmation(
    *, user: User, request: VerificationRequest, site_url: str | None = None
) -> VerificationRequest:
    permissions.check_can_cancel_verification_request(user, request)
    with transaction.atomic():
        locked = _lock(request)
        if locked.status != Status.PENDING_EMAIL:
            raise Conflict(_("This request no longer waits for an email confirmation."))
        if locked.emails_sent >= EMAILS_PER_REQUEST:
            raise RateLimited(
                _("Too many emails were sent for this request. Cancel it and start again tomorrow."),
                retry_after=24 * 3600,
            )
        if locked.email_sent_at and timezone.now() - locked.email_sent_at < RESEND_INTERVAL:
            wait = RESEND_INTERVAL - (timezone.now() - locked.email_sent_at)
            raise RateLimited(
                _("An email was just sent. Check your inbox (and spam folder) before asking again."),
                retry_after=int(wait.total_seconds()) + 1,
            )
        _issue_link(locked, site_url=site_url)
        audit.record(actor=user, action="verification.email_resent", target=locked, after=_trace(locked))
    return locked


def cancel_request(*, user: User, request: VerificationRequest) -> VerificationRequest:
    permissions.check_can_cancel_verification_request(user, request)
    with transaction.atomic():
        locked = _lock(request)
        before = _close(locked, status=Status.CANCELLED)
        audit.record(actor=user, action="verification.cancelled", target=locked, before=before, after=_trace(locked))
    return locked


def request_renewal(
    *, user: User, badge: Badge, work_email: str | None = None, site_url: str | None = None
) -> VerificationRequest:
    """Renewal re-proves the work email; no second review is needed for a badge
    that is still active. Once expired or revoked, a new request is needed."""
    permissions.check_can_renew_badge(user, badge)
    if not badge.is_active:
        raise Conflict(_("This badge is no longer active: ask for a new one."))
    errors: Errors = {}
    previous = badge.request.work_email if badge.request_id else ""
    work_email = _clean_work_email(work_email or previous, badge.organisation, errors)
    raise_if(errors)
    _check_email_not_used_by_someone_else(user=user, work_email=work_email)
    _check_daily_limit(user)
    try:
        with transaction.atomic():
            request = VerificationRequest.objects.create(
                user=user, organisation=badge.organisation, role=badge.role, work_email=work_email, renews=badge
            )
            audit.record(actor=user, action="verification.renewal_requested", target=request, after=_trace(request))
            _issue_link(request, site_url=site_url)
    except IntegrityError:
        raise Conflict(
            _("A renewal is already in progress for this badge: confirm the email we sent or cancel it.")
        ) from None
    return request


# --- Proof of the work email --------------------------------------------------------


def confirm_work_email(*, token: str) -> VerificationRequest:
    """Whoever opens the link proves they read that inbox; the request already
    names the member, so no login is needed (the link is often opened on a
    work computer)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound(_("This confirmation link is not valid. Check that you copied it completely."))
    with transaction.atomic():
        request = (
            VerificationRequest.objects.select_for_update(of=("self",))
            .select_related("organisation", "user", "renews")
            .filter(token_hash=_hash(token), status=Status.PENDING_EMAIL)
            .first()
        )
        if request is None:
            raise NotFound(_("This confirmation link is not valid, or it was already used."))
        if request.token_expires_at is None or request.token_expires_at <= timezone.now():
            raise Conflict(_("This confirmation link has expired. Send a new one from your badges page."))
        # The domain may have been removed since the link was sent.
        errors: Errors = {}
        _clean_work_email(request.work_email, request.organisation, errors)
        if errors:
            raise Conflict(_("This address's domain is no longer accepted for this organisation."))
        before = _trace(request)
        now = timezone.now()
        request.email_confirmed_at = now
        request.token_hash = ""
        request.status = Status.PENDING_REVIEW
        renewal = request.renews if request.renews_id is not None else None
        if renewal is not None and not renewal.is_active:
            # Expired while the link sat in the inbox: a renewal cannot bring a
            # badge back, so this becomes an ordinary request for review.
            request.renews = renewal = None
        auto_approved = (
            renewal is None and request.role == BadgeRole.AMBASSADOR and request.organisation.auto_approve_ambassadors
        )
        if renewal is not None or auto_approved:
            request.status = Status.APPROVED
            request.decided_at = now
        request.save(update_fields=["email_confirmed_at", "token_hash", "status", "decided_at", "renews"])
        audit.record(
            actor=None, action="verification.email_confirmed", target=request, before=before, after=_trace(request)
        )
        if renewal is not None:
            _renew(renewal, request=request, now=now)
        elif auto_approved:
            badge = _grant(request, now=now)
            audit.record(
                actor=None,
                action="verification.auto_approved",
                target=request,
                reason=_("The organisation lets confirmed ambassadors through."),
                after=_trace(request) | {"badge_id": badge.pk},
            )
    return request


def _grant(request: VerificationRequest, *, now: datetime) -> Badge:
    # A badge past its date that the cron has not expired yet would still hold
    # the "one active badge" slot: expire it first.
    stale = Badge.objects.filter(
        user=request.user,
        organisation=request.organisation,
        role=request.role,
        status=Badge.Status.ACTIVE,
        expires_at__lte=now,
    ).select_related("organisation")
    for badge in stale:
        _expire(badge, now=now)
    badge = Badge.objects.create(
        user=request.user,
        organisation=request.organisation,
        role=request.role,
        request=request,
        verified_at=now,
        expires_at=now + BADGE_VALIDITY,
    )
    # A verified member's answers weigh more in search.
    reindex_answers_of(request.user)
    return badge


def renewed_expiry(current: datetime, *, now: datetime) -> datetime:
    """A renewal adds a validity period to what is left, so renewing early
    loses nothing. What is carried over is capped at one period: confirming the
    work email ten times in a day must not make a badge last ten years."""
    remaining = min(max(current - now, timedelta(0)), BADGE_VALIDITY)
    return now + remaining + BADGE_VALIDITY


def _renew(badge: Badge, *, request: VerificationRequest, now: datetime) -> None:
    badge = Badge.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=badge.pk)
    before = _badge_trace(badge)
    badge.verified_at = now
    badge.expires_at = renewed_expiry(badge.expires_at, now=now)
    badge.reminder_sent_at = None
    badge.request = request
    badge.save(update_fields=["verified_at", "expires_at", "reminder_sent_at", "request"])
    audit.record(actor=None, action="badge.renewed", target=badge, before=before, after=_badge_trace(badge))


# --- Moderators' decisions -----------------------------------------------------------


def approve_request(*, moderator: User, request: VerificationRequest, reason: str = "") -> Badge:
    permissions.check_can_review_verification(moderator, request)
    errors: Errors = {}
    reason = _clean_reason(reason, errors, required=False)
    raise_if(errors)
    with transaction.atomic():
        locked = _lock(request)
        if locked.status != Status.PENDING_REVIEW:
            raise Conflict(_("Only a request whose work email is confirmed can be approved."))
        if Badge.objects.active().filter(user=locked.user, organisation=locked.organisation, role=locked.role).exists():
            raise Conflict(_("This member already holds this badge."))
        before = _trace(locked)
        now = timezone.now()
        locked.status = Status.APPROVED
        locked.decided_at = now
        locked.decided_by = moderator
        locked.reason = reason
        locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        badge = _grant(locked, now=now)
        audit.record(
            actor=moderator,
            action="verification.approved",
            target=locked,
            reason=reason,
            before=before,
            after=_trace(locked) | {"badge_id": badge.pk},
        )
        notify.badge_decided(
            user_id=locked.user_id,
            outcome="approved",
            organisation=locked.organisation.name,
            actor_id=moderator.pk,
            key=f"request{locked.pk}",
        )
    return badge


def refuse_request(*, moderator: User, request: VerificationRequest, reason: str) -> VerificationRequest:
    permissions.check_can_review_verification(moderator, request)
    errors: Errors = {}
    reason = _clean_reason(reason, errors, required=True)
    raise_if(errors)
    with transaction.atomic():
        locked = _lock(request)
        before = _close(locked, status=Status.REFUSED, decided_by=moderator, reason=reason)
        audit.record(
            actor=moderator,
            action="verification.refused",
            target=locked,
            reason=reason,
            before=before,
            after=_trace(locked),
        )
        notify.badge_decided(
            user_id=locked.user_id,
            outcome="refused",
            organisation=locked.organisation.name,
            actor_id=moderator.pk,
            key=f"request{locked.pk}",
        )
    return locked


def revoke_badge(*, moderator: User, badge: Badge, reason: str) -> Badge:
    """Takes effect everywhere at once: pages, API and later event payloads all
    read badges from the database when they are built."""
    permissions.check_can_revoke_badge(moderator, badge)
    errors: Errors = {}
    reason = _clean_reason(reason, errors, required=True)
    raise_if(errors)
    with transaction.atomic():
        locked = Badge.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=badge.pk)
        if locked.status != Badge.Status.ACTIVE:
            raise Conflict(_("This badge is no longer active."))
        before = _badge_trace(locked)
        locked.status = Badge.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = moderator
        locked.reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "reason"])
        # A pending renewal must not outlive the badge it renews.
        VerificationRequest.objects.filter(renews=locked, status__in=VerificationRequest.OPEN_STATUSES).update(
            status=Status.CANCELLED, token_hash="", decided_at=locked.revoked_at
        )
        audit.record(
            actor=moderator,
            action="badge.revoked",
            target=locked,
            reason=reason,
            before=before,
            after=_badge_trace(locked),
        )
        profiles.review_names_after_badge_loss(user=locked.user, actor=moderator, reason=reason)
        reindex_answers_of(locked.user)
    return locked


# --- Expiry (cron) --------------------------------------------------------------------


def _expire(badge: Badge, *, now: datetime) -> int:
    """1 if this call expired the badge, 0 if someone else already had."""
    if not Badge.objects.filter(pk=badge.pk, status=Badge.Status.ACTIVE).update(status=Badge.Status.EXPIRED):
        return 0
    # An update() sends no post_save: the badge leaves cached pages this way.
    page_versions.bump_generation()
    before = _badge_trace(badge)
    badge.status = Badge.Status.EXPIRED
    audit.record(
        actor=None,
        action="badge.expired",
        target=badge,
        reason=_("Work email not confirmed again within 12 months."),
        before=before,
        after=_badge_trace(badge),
    )
    VerificationRequest.objects.filter(renews=badge, status__in=VerificationRequest.OPEN_STATUSES).update(
        status=Status.CANCELLED, token_hash="", decided_at=now
    )
    profiles.review_names_after_badge_loss(
        user=badge.user, actor=None, reason=_("Work email not confirmed again within 12 months.")
    )
    reindex_answers_of(badge.user)
    return 1


@dataclass(frozen=True)
class ExpiryReport:
    expired: int
    reminded: int


def expire_badges(*, now: datetime | None = None, site_url: str | None = None) -> ExpiryReport:
    """Expire badges past their date and remind members 30 days before. Safe
    to run as often as cron likes, even twice at once: each row is claimed by
    a conditional UPDATE, so nothing is expired or reminded twice."""
    now = now or timezone.now()
    expired = 0
    for badge in Badge.objects.filter(status=Badge.Status.ACTIVE, expires_at__lte=now).select_related("organisation"):
        with transaction.atomic():
            expired += _expire(badge, now=now)

    reminded = 0
    due = Badge.objects.filter(
        status=Badge.Status.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + BADGE_REMINDER_BEFORE,
        reminder_sent_at__isnull=True,
    ).select_related("organisation", "user")
    for badge in due:
        with transaction.atomic():
            claimed = Badge.objects.filter(pk=badge.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            audit.record(actor=None, action="badge.reminder_sent", target=badge, after={"expires_at": badge.expires_at})
            # In the centre too; the reminder email below is its email.
            notify.badge_decided(
                user_id=badge.user_id,
                outcome="expiring",
                organisation=badge.organisation.name,
                actor_id=None,
                key=f"expiry{badge.pk}",
                email=False,
            )
            if badge.user.email:
                context = {
                    "user": badge.user,
                    "badge": badge,
                    "organisation": badge.organisation,
                    "role_label": BadgeRole(badge.role).label,
                    "link": _site_url(site_url) + reverse("frontend:my_badges"),
                }
                subject = render_to_string("forum/email/badge_reminder_subject.txt", context)
                body = render_to_string("forum/email/badge_reminder_body.txt", context)
                _send_on_commit(subject=subject, body=body, to=badge.user.email)
        reminded += 1
    return ExpiryReport(expired=expired, reminded=reminded)
