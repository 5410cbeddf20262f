"""Badges expire 12 months after the work email was last confirmed: a reminder
goes out 30 days before, once; confirming the work email again renews it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from forum.exceptions import Conflict, NotFound
from forum.models import AuditLog, Badge, VerificationRequest
from forum.models.organisations import BADGE_VALIDITY
from forum.presenters import badges_for
from forum.services import verification as verification_services
from tests.badge_factories import grant_badge, last_token, make_organisation, sent


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def badge(student, bank, moderator):
    return grant_badge(user=student, organisation=bank, moderator=moderator, work_email="alice@banque-exemple.fr")


def age(badge: Badge, *, days_left: float) -> None:
    expires = timezone.now() + timedelta(days=days_left)
    Badge.objects.filter(pk=badge.pk).update(expires_at=expires, verified_at=expires - timedelta(days=365))
    badge.refresh_from_db()


def run_cron() -> str:
    from io import StringIO

    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("expire_badges", "--site-url", "https://alternance.example", stdout=out)
    return out.getvalue()


def test_a_badge_disappears_on_its_expiry_date_even_before_the_cron_runs(student, badge):
    age(badge, days_left=-0.01)
    assert badges_for(student) == []


def test_the_cron_command_expires_badges_once(student, badge):
    age(badge, days_left=-1)
    assert "1 badge(s) expired" in run_cron()
    badge.refresh_from_db()
    assert badge.status == Badge.Status.EXPIRED
    assert "0 badge(s) expired" in run_cron()
    assert AuditLog.objects.filter(action="badge.expired", target_id=badge.pk).count() == 1


def test_a_reminder_goes_to_the_account_email_once_30_days_before(student, badge):
    mail.outbox.clear()
    age(badge, days_left=31)
    assert "0 reminder(s) sent" in run_cron()
    age(badge, days_left=29)
    assert "1 reminder(s) sent" in run_cron()
    assert "0 reminder(s) sent" in run_cron()
    assert len(mail.outbox) == 1
    reminder = mail.outbox[0]
    assert reminder.to == [student.email]
    assert "https://alternance.example/badges/" in reminder.body
    badge.refresh_from_db()
    assert badge.reminder_sent_at is not None
    assert badges_for(student)  # still active until the date


def test_confirming_the_work_email_again_renews_for_12_months_without_a_new_review(student, badge):
    age(badge, days_left=10)
    Badge.objects.filter(pk=badge.pk).update(reminder_sent_at=timezone.now())
    renewal = sent(verification_services.request_renewal, user=student, badge=badge, site_url="http://testserver/")
    assert renewal.work_email == "alice@banque-exemple.fr"
    confirmed = verification_services.confirm_work_email(token=last_token("alice@banque-exemple.fr"))

    assert confirmed.status == VerificationRequest.Status.APPROVED
    badge.refresh_from_db()
    assert badge.expires_at > timezone.now() + timedelta(days=364)
    assert badge.reminder_sent_at is None  # the next cycle gets its reminder
    assert AuditLog.objects.filter(action="badge.renewed", target_id=badge.pk).exists()


def test_renewing_early_extends_from_the_current_expiry_not_from_today(student, badge):
    age(badge, days_left=90)
    expiry_before = badge.expires_at
    sent(verification_services.request_renewal, user=student, badge=badge, site_url="http://testserver/")
    verification_services.confirm_work_email(token=last_token("alice@banque-exemple.fr"))

    badge.refresh_from_db()
    assert badge.expires_at == expiry_before + BADGE_VALIDITY


def test_renewing_again_and_again_carries_over_at_most_one_period():
    now = timezone.now()
    assert verification_services.renewed_expiry(now + timedelta(days=700), now=now) == now + 2 * BADGE_VALIDITY
    assert verification_services.renewed_expiry(now - timedelta(days=3), now=now) == now + BADGE_VALIDITY


def test_only_the_holder_renews_and_only_an_active_badge(student, other_student, badge):
    with pytest.raises(NotFound):
        verification_services.request_renewal(user=other_student, badge=badge)
    age(badge, days_left=-1)
    with pytest.raises(Conflict):
        verification_services.request_renewal(user=student, badge=badge)


def test_a_renewal_link_opened_after_expiry_goes_to_review_instead(student, badge, moderator):
    age(badge, days_left=1)
    sent(verification_services.request_renewal, user=student, badge=badge, site_url="http://testserver/")
    token = last_token("alice@banque-exemple.fr")
    age(badge, days_left=-0.5)

    confirmed = verification_services.confirm_work_email(token=token)

    assert confirmed.status == VerificationRequest.Status.PENDING_REVIEW
    assert confirmed.renews is None
    assert badges_for(student) == []
    # The cron has not run: the old badge, past its date, must not block the new one.
    verification_services.approve_request(moderator=moderator, request=confirmed)
    assert [b["role"] for b in badges_for(student)] == ["hr"]
    badge.refresh_from_db()
    assert badge.status == Badge.Status.EXPIRED


def test_expiry_cancels_a_pending_renewal(student, badge):
    age(badge, days_left=1)
    renewal = sent(verification_services.request_renewal, user=student, badge=badge, site_url="http://testserver/")
    age(badge, days_left=-1)
    run_cron()
    renewal.refresh_from_db()
    assert renewal.status == VerificationRequest.Status.CANCELLED
