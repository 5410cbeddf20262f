"""Notifications about organisations and badges, and the digests."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forum.models import Notification, NotificationKind, NotificationPreference, QuestionAddressee, ThreadSubscription
from forum.notifications import digests
from forum.services import verification as verification_services
from forum.services.questions import ask_question
from tests.badge_factories import grant_badge, make_organisation, request_and_confirm, sent
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator)


@pytest.fixture
def hr(bank, moderator):
    member = make_user(username="claire-rh")
    sent(grant_badge, user=member, organisation=bank, moderator=moderator, work_email="claire@banque-exemple.fr")
    return member


def kinds(user):
    return [n.kind for n in Notification.objects.filter(recipient=user, read_at__isnull=True)]


def test_an_approved_badge_is_notified(hr):
    assert kinds(hr) == [NotificationKind.BADGE]
    assert Notification.objects.get(recipient=hr).data["outcome"] == "approved"


def test_a_refused_request_is_notified(bank, moderator):
    member = make_user(username="dan")
    request = request_and_confirm(user=member, organisation=bank, work_email="dan@banque-exemple.fr")
    sent(verification_services.refuse_request, moderator=moderator, request=request, reason="Rôle invérifiable.")
    assert Notification.objects.get(recipient=member).data["outcome"] == "refused"


def test_the_expiry_reminder_is_in_the_centre_without_a_second_email(hr):
    badge = hr.badges.get()
    badge.expires_at = timezone.now() + timedelta(days=10)
    badge.save(update_fields=["expires_at"])
    mail.outbox.clear()
    sent(verification_services.expire_badges)
    assert "expiring" in [n.data.get("outcome") for n in Notification.objects.filter(recipient=hr)]
    assert len(mail.outbox) == 1  # the reminder itself, not a notification email too


def test_a_question_addressed_to_an_organisation_reaches_its_verified_members(student, hr, bank):
    question = sent(
        ask_question,
        author=student,
        title="Quel rythme d'alternance à la Banque Exemple ?",
        body="Je voudrais savoir quel rythme école/entreprise vous proposez aux alternants.",
        tags="bts",
        addressed_to=[bank],
    )
    assert NotificationKind.ORGANISATION_QUESTION in kinds(hr)
    assert QuestionAddressee.objects.get(question=question).notified_at is not None
    # They follow it, so they hear of its answers too.
    assert ThreadSubscription.objects.filter(user=hr, question=question, following=True).exists()


def test_a_verified_answer_is_announced_as_such_to_followers(student, other_student, hr):
    question = sent(make_question, author=student)
    sent(make_answer, author=other_student, question=question)
    Notification.objects.update(read_at=timezone.now())
    sent(make_answer, author=hr, question=question)
    assert kinds(other_student) == [NotificationKind.VERIFIED_ANSWER]


def test_a_daily_digest_lists_new_answers_in_followed_threads_once(student, other_student):
    question = sent(make_question, author=student)
    sent(make_answer, author=other_student, question=question)
    pref = NotificationPreference.objects.create(
        user=student, digest="daily", digest_sent_at=timezone.now() - timedelta(days=2)
    )
    morning = timezone.now().astimezone(digests.PARIS).replace(hour=9, minute=0)
    mail.outbox.clear()
    assert digests.queue_due_digests(now=morning) == 1
    assert question.title in mail.outbox[-1].body
    assert digests.queue_due_digests(now=morning) == 0  # never twice
    pref.refresh_from_db()
    assert pref.digest_sent_at == morning


def test_no_digest_before_the_local_hour(student):
    NotificationPreference.objects.create(user=student, digest="daily")
    night = timezone.now().astimezone(digests.PARIS).replace(hour=3)
    assert digests.queue_due_digests(now=night) == 0


def test_the_digest_command_runs_and_reports(student):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "digest(s) sent" in out.getvalue()
