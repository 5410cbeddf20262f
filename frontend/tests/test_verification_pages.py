"""The verification journey on the web pages (no JavaScript needed): ask for a
badge, confirm the work email from the link, a moderator approves or refuses,
renew; and what the pages never show."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Badge, UserRole, VerificationRequest
from tests.badge_factories import grant_badge, last_token, make_organisation, request_and_confirm
from tests.factories import make_answer, make_moderator, make_user

Status = VerificationRequest.Status


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


def english_client() -> Client:
    """Messages are asserted in English; French is the default language."""
    return Client(headers={"accept-language": "en"})


def client_for(user) -> Client:
    client = english_client()
    client.force_login(user)
    return client


def test_a_member_asks_confirms_and_a_moderator_approves(
    student, bank, moderator, question, django_capture_on_commit_callbacks
):
    web = client_for(student)
    form = web.get(reverse("frontend:verification_request", args=["banque-exemple"]))
    assert form.status_code == 200
    assert "@banque-exemple.fr" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = web.post(
            reverse("frontend:verification_request", args=["banque-exemple"]),
            {"role": "hr", "work_email": "alice@banque-exemple.fr"},
        )
    assert sent.status_code == 303
    assert sent["Location"] == reverse("frontend:my_badges")
    assert mail.outbox[-1].to == ["alice@banque-exemple.fr"]
    link = re.search(r"http://testserver(/badges/confirmer/\S+/)", mail.outbox[-1].body).group(1)

    # Opening the link (a mail scanner would too) confirms nothing by itself.
    anonymous = english_client()
    assert anonymous.get(link).status_code == 200
    assert VerificationRequest.objects.get().status == Status.PENDING_EMAIL
    confirmed = anonymous.post(link)
    assert confirmed.status_code == 200
    assert VerificationRequest.objects.get().status == Status.PENDING_REVIEW

    queue = client_for(moderator).get(reverse("frontend:verification_queue")).content.decode()
    assert "alice@banque-exemple.fr" in queue
    request = VerificationRequest.objects.get()
    decided = client_for(moderator).post(
        reverse("frontend:verification_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert decided.status_code == 303
    assert Badge.objects.get().user == student

    make_answer(author=student, question=question)
    page = english_client().get(question.get_absolute_url()).content.decode()
    assert "Banque Exemple" in page
    assert "alice@banque-exemple.fr" not in page


def test_an_address_at_another_domain_is_refused_next_to_the_field(student, bank):
    response = client_for(student).post(
        reverse("frontend:verification_request", args=["banque-exemple"]),
        {"role": "hr", "work_email": "alice@gmail.com"},
    )
    assert response.status_code == 400
    assert "@banque-exemple.fr" in response.content.decode()
    assert not VerificationRequest.objects.exists()


def test_refusing_asks_for_a_reason_and_the_member_sees_it(other_student, bank, moderator):
    request = request_and_confirm(user=other_student, organisation=bank)
    mod = client_for(moderator)
    mod.post(reverse("frontend:verification_decide", args=[request.pk]), {"decision": "refuse", "reason": ""})
    request.refresh_from_db()
    assert request.status == Status.PENDING_REVIEW
    mod.post(
        reverse("frontend:verification_decide", args=[request.pk]),
        {"decision": "refuse", "reason": "Ce service n'existe pas chez nous."},
    )
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    mine = client_for(other_student).get(reverse("frontend:my_badges")).content.decode()
    assert "Ce service n&#x27;existe pas chez nous." in mine


def test_the_queue_is_for_moderators_only(student, client):
    assert client.get(reverse("frontend:verification_queue")).status_code == 302  # to the login page
    assert client_for(student).get(reverse("frontend:verification_queue")).status_code == 403


def test_work_emails_are_shown_to_their_owner_and_moderators_only(student, other_student, bank, moderator):
    request_and_confirm(user=student, organisation=bank, work_email="alice.secret@banque-exemple.fr")
    assert "alice.secret" in client_for(student).get(reverse("frontend:my_badges")).content.decode()
    assert "alice.secret" in client_for(moderator).get(reverse("frontend:verification_queue")).content.decode()
    assert "alice.secret" not in client_for(other_student).get(reverse("frontend:my_badges")).content.decode()
    request = VerificationRequest.objects.get()
    refused = client_for(other_student).post(reverse("frontend:verification_cancel", args=[request.pk]))
    assert refused.status_code == 404


def test_a_moderator_revokes_from_the_organisation_page(bank, moderator, question):
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    badge = grant_badge(user=claire, organisation=bank, moderator=moderator)
    page = client_for(moderator).get(bank.get_absolute_url()).content.decode()
    assert reverse("frontend:badge_revoke", args=[badge.pk]) in page
    response = client_for(moderator).post(
        reverse("frontend:badge_revoke", args=[badge.pk]), {"reason": "A quitté la banque.", "next": "//evil.com"}
    )
    assert response.status_code == 303
    assert response["Location"] == bank.get_absolute_url()
    badge.refresh_from_db()
    assert badge.status == Badge.Status.REVOKED
    assert "Claire" not in english_client().get(bank.get_absolute_url()).content.decode()


def test_renewing_sends_a_new_link_from_the_badges_page(student, bank, moderator, django_capture_on_commit_callbacks):
    badge = grant_badge(user=student, organisation=bank, moderator=moderator, work_email="alice@banque-exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(student).post(reverse("frontend:badge_renew", args=[badge.pk]))
    assert response.status_code == 303
    english_client().post(reverse("frontend:verification_confirm", args=[last_token("alice@banque-exemple.fr")]))
    assert VerificationRequest.objects.filter(renews=badge, status=Status.APPROVED).exists()


def test_an_invalid_link_says_so(db):
    response = english_client().post(reverse("frontend:verification_confirm", args=["x" * 43]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_queue_runs_a_constant_number_of_queries(django_assert_max_num_queries, bank, moderator):
    web = client_for(moderator)
    request_and_confirm(user=make_user(), organisation=bank)
    web.get(reverse("frontend:verification_queue"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        web.get(reverse("frontend:verification_queue"))
    for _ in range(4):
        request_and_confirm(user=make_user(), organisation=bank)
    with django_assert_max_num_queries(len(one)):
        page = web.get(reverse("frontend:verification_queue"))
    assert page.content.decode().count('class="card request"') == 5


def test_a_moderators_own_request_cannot_be_decided_by_them(bank, moderator):
    request_and_confirm(user=moderator, organisation=bank, work_email="modo@banque-exemple.fr")
    request = VerificationRequest.objects.get()
    page = client_for(moderator).get(reverse("frontend:verification_queue")).content.decode()
    assert "another moderator must review it" in page
    client_for(moderator).post(reverse("frontend:verification_decide", args=[request.pk]), {"decision": "approve"})
    assert not Badge.objects.exists()
    client_for(make_moderator()).post(
        reverse("frontend:verification_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert Badge.objects.filter(user=moderator).exists()
