"""Asking for a verified badge: the work email must be proven at one of the
organisation's domains, then a moderator decides; every step is audited."""

import hashlib
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from forum.exceptions import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited
from forum.models import AuditLog, Badge, VerificationRequest
from forum.presenters import badges_for
from forum.services import verification as verification_services
from tests.badge_factories import grant_badge, last_token, make_organisation, request_and_confirm, sent
from tests.factories import make_moderator, make_user

Status = VerificationRequest.Status


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


def ask(user, organisation, work_email, role="hr"):
    return sent(
        verification_services.request_badge,
        user=user,
        organisation=organisation,
        role=role,
        work_email=work_email,
        site_url="http://testserver/",
    )


def test_an_address_at_another_domain_is_refused_with_the_accepted_domains(student, bank):
    with pytest.raises(InvalidInput) as refused:
        ask(student, bank, "alice@gmail.com")
    message = refused.value.fields["work_email"][0]
    assert "@banque-exemple.fr" in message
    assert not VerificationRequest.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "address",
    [
        "alice@banque-exemple.fr.evil.com",
        "alice@evilbanque-exemple.fr",
        "alice@banque-exemple.com",
        "alice@banque-exemple.fr@gmail.com",
        "not an email",
        "",
    ],
)
def test_lookalike_domains_and_malformed_addresses_are_refused(student, bank, address):
    with pytest.raises(InvalidInput):
        ask(student, bank, address)


def test_a_subdomain_of_an_organisation_domain_is_accepted(student, bank):
    request = ask(student, bank, "Alice.Martin@RH.Banque-Exemple.FR")
    assert request.work_email == "Alice.Martin@rh.banque-exemple.fr"
    assert request.status == Status.PENDING_EMAIL


def test_an_organisation_without_domains_cannot_be_asked(student, moderator):
    lonely = make_organisation(moderator=moderator, name="Sans Domaine", domains=[])
    with pytest.raises(InvalidInput) as refused:
        ask(student, lonely, "alice@sans-domaine.fr")
    assert "organisation" in refused.value.fields


def test_the_link_goes_to_the_work_address_and_only_its_hash_is_stored(student, bank):
    request = ask(student, bank, "alice@banque-exemple.fr")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@banque-exemple.fr"]
    assert "alice" in mail.outbox[0].body  # names the requesting account
    token = last_token("alice@banque-exemple.fr")
    request.refresh_from_db()
    assert token not in request.token_hash
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_confirming_the_email_is_not_enough_a_moderator_must_approve(student, bank, moderator):
    request = request_and_confirm(user=student, organisation=bank)
    assert request.status == Status.PENDING_REVIEW
    assert request.email_confirmed_at is not None
    assert badges_for(student) == []
    assert not Badge.objects.exists()

    badge = verification_services.approve_request(moderator=moderator, request=request)

    assert badge.is_active
    assert badge.expires_at - badge.verified_at == timedelta(days=365)
    assert badges_for(student) == [
        {
            "role": "hr",
            "organization": {"name": "Banque Exemple", "slug": "banque-exemple"},
            "verified_at": badge.verified_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
    ]


def test_a_request_whose_email_is_not_confirmed_cannot_be_approved(student, bank, moderator):
    request = ask(student, bank, "alice@banque-exemple.fr")
    with pytest.raises(Conflict):
        verification_services.approve_request(moderator=moderator, request=request)
    assert not Badge.objects.exists()


def test_only_moderators_approve_and_never_their_own_request(student, other_student, bank, moderator):
    request = request_and_confirm(user=student, organisation=bank)
    with pytest.raises(NotAllowed):
        verification_services.approve_request(moderator=other_student, request=request)
    with pytest.raises(NotAllowed):
        verification_services.approve_request(moderator=student, request=request)

    own = request_and_confirm(user=moderator, organisation=bank, work_email="modo@banque-exemple.fr")
    with pytest.raises(NotAllowed):
        verification_services.approve_request(moderator=moderator, request=own)
    other_moderator = make_moderator(username="modo2")
    verification_services.approve_request(moderator=other_moderator, request=own)


def test_a_refusal_needs_a_reason_and_grants_nothing(student, bank, moderator):
    request = request_and_confirm(user=student, organisation=bank)
    with pytest.raises(InvalidInput):
        verification_services.refuse_request(moderator=moderator, request=request, reason="  ")
    refused = verification_services.refuse_request(
        moderator=moderator, request=request, reason="Ce service ne recrute pas d'alternants."
    )
    assert refused.status == Status.REFUSED
    assert refused.decided_by == moderator
    assert badges_for(student) == []
    with pytest.raises(Conflict):
        verification_services.approve_request(moderator=moderator, request=refused)


def test_ambassadors_can_be_auto_approved_but_hr_is_always_reviewed(student, other_student, moderator):
    shop = make_organisation(
        moderator=moderator, name="Enseigne Exemple", domains=["enseigne.fr"], auto_approve_ambassadors=True
    )
    ambassador = request_and_confirm(user=student, organisation=shop, role="ambassador")
    assert ambassador.status == Status.APPROVED
    assert [b["role"] for b in badges_for(student)] == ["ambassador"]

    hr = request_and_confirm(user=other_student, organisation=shop, role="hr")
    assert hr.status == Status.PENDING_REVIEW
    assert badges_for(other_student) == []


def test_a_link_works_once_and_not_after_it_expires(student, bank):
    request = ask(student, bank, "alice@banque-exemple.fr")
    token = last_token("alice@banque-exemple.fr")
    VerificationRequest.objects.filter(pk=request.pk).update(token_expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Conflict):
        verification_services.confirm_work_email(token=token)

    VerificationRequest.objects.filter(pk=request.pk).update(email_sent_at=timezone.now() - timedelta(minutes=5))
    sent(verification_services.resend_confirmation, user=student, request=request, site_url="http://testserver/")
    fresh = last_token("alice@banque-exemple.fr")
    assert fresh != token
    with pytest.raises(NotFound):
        verification_services.confirm_work_email(token=token)  # the old link no longer works
    verification_services.confirm_work_email(token=fresh)
    with pytest.raises(NotFound):
        verification_services.confirm_work_email(token=fresh)


@pytest.mark.parametrize("token", ["", "x", "a" * 500, None, 42])
def test_garbage_tokens_are_not_found(db, token):
    with pytest.raises(NotFound):
        verification_services.confirm_work_email(token=token)


def test_resending_is_throttled(student, bank):
    request = ask(student, bank, "alice@banque-exemple.fr")
    with pytest.raises(RateLimited) as limited:
        verification_services.resend_confirmation(user=student, request=request)
    assert 0 < limited.value.retry_after <= 60


def test_a_member_cannot_flood_addresses_with_requests(student, moderator):
    organisations = [
        make_organisation(moderator=moderator, name=f"Entreprise {n}", domains=[f"entreprise{n}.fr"]) for n in range(6)
    ]
    for organisation in organisations[:5]:
        ask(student, organisation, f"alice@{organisation.domains.first().domain}")
    with pytest.raises(RateLimited):
        ask(student, organisations[5], "alice@entreprise5.fr")
    assert len(mail.outbox) == 5


def test_one_open_request_per_badge_and_none_for_a_badge_already_held(student, bank, moderator):
    ask(student, bank, "alice@banque-exemple.fr")
    with pytest.raises(Conflict):
        ask(student, bank, "alice.martin@banque-exemple.fr")
    VerificationRequest.objects.all().delete()
    grant_badge(user=student, organisation=bank, moderator=moderator)
    with pytest.raises(Conflict):
        ask(student, bank, "alice@banque-exemple.fr")


def test_a_work_address_proves_one_account_only(student, other_student, bank, moderator):
    grant_badge(user=student, organisation=bank, moderator=moderator, work_email="claire@banque-exemple.fr")
    with pytest.raises(Conflict):
        ask(other_student, bank, "CLAIRE@banque-exemple.fr")


def test_the_requester_can_cancel_but_nobody_else_can(student, other_student, bank):
    request = ask(student, bank, "alice@banque-exemple.fr")
    token = last_token("alice@banque-exemple.fr")
    with pytest.raises(NotFound):
        verification_services.cancel_request(user=other_student, request=request)
    cancelled = verification_services.cancel_request(user=student, request=request)
    assert cancelled.status == Status.CANCELLED
    with pytest.raises(NotFound):
        verification_services.confirm_work_email(token=token)


def test_suspended_members_cannot_ask(bank):
    suspended = make_user(username="suspendu", suspended_until=timezone.now() + timedelta(days=2))
    with pytest.raises(NotAllowed):
        ask(suspended, bank, "suspendu@banque-exemple.fr")


def test_every_step_is_written_to_the_audit_log_without_the_work_address(student, bank, moderator):
    badge = grant_badge(user=student, organisation=bank, moderator=moderator, work_email="a.secret@banque-exemple.fr")
    verification_services.revoke_badge(moderator=moderator, badge=badge, reason="A quitté l'entreprise.")
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "organisation.created",
        "organisation.domain_added",
        "verification.requested",
        "verification.email_confirmed",
        "verification.approved",
        "badge.revoked",
    ]
    entries = list(AuditLog.objects.values_list("before", "after"))
    assert "a.secret" not in repr(entries)
    revoked = AuditLog.objects.get(action="badge.revoked")
    assert revoked.actor == moderator
    assert revoked.reason == "A quitté l'entreprise."
