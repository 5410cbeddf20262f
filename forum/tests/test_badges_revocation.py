"""A revoked badge disappears everywhere at once: the thread page, the API's
author objects and the payload of every later websocket event. Nothing caches
badges: every page, response and payload reads them when it is built."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from forum.exceptions import Conflict, InvalidInput, NotAllowed
from forum.models import AuditLog, Badge, Event, UserRole
from forum.services import verification as verification_services
from forum.services.answers import edit_answer
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_user


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def claire(bank, moderator):
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    grant_badge(user=claire, organisation=bank, moderator=moderator)
    return claire


def badge_roles_in_api(question, username: str) -> list[str]:
    answers = APIClient().get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]
    [author] = [a["author"] for a in answers if a["author"]["username"] == username]
    return [badge["role"] for badge in author["badges"]]


def latest_payload_badges(name: str) -> list[dict]:
    return Event.objects.filter(name=name).latest("id").payload["author"]["badges"]


def test_revocation_removes_the_badge_from_pages_api_and_later_events(
    question, claire, moderator, django_capture_on_commit_callbacks
):
    answer = make_answer(author=claire, question=question)
    page = Client().get(question.get_absolute_url()).content.decode()
    assert "Banque Exemple" in page
    assert 'href="/organisations/banque-exemple/"' in page
    assert badge_roles_in_api(question, "claire") == ["hr"]
    assert [b["role"] for b in latest_payload_badges("answer.created")] == ["hr"]

    # As in production, what runs at commit runs: it renews the shared pages.
    with django_capture_on_commit_callbacks(execute=True):
        verification_services.revoke_badge(moderator=moderator, badge=claire.badges.get(), reason="A quitté la banque.")

    page = Client().get(question.get_absolute_url()).content.decode()
    assert "Banque Exemple" not in page
    assert badge_roles_in_api(question, "claire") == []
    edit_answer(editor=claire, answer=answer, body="Je ne suis plus à la banque, mais voici mon conseil quand même.")
    assert latest_payload_badges("answer.updated") == []
    make_answer(author=claire, question=question, body="Une seconde réponse, écrite après la révocation du badge.")
    assert latest_payload_badges("answer.created") == []


def test_revocation_needs_a_moderator_and_a_reason_and_is_audited(claire, other_student, moderator):
    badge = claire.badges.get()
    with pytest.raises(NotAllowed):
        verification_services.revoke_badge(moderator=other_student, badge=badge, reason="Je n'aime pas.")
    with pytest.raises(InvalidInput):
        verification_services.revoke_badge(moderator=moderator, badge=badge, reason="")

    verification_services.revoke_badge(moderator=moderator, badge=badge, reason="Usurpation signalée.")

    badge.refresh_from_db()
    assert badge.status == Badge.Status.REVOKED
    assert badge.revoked_by == moderator
    entry = AuditLog.objects.get(action="badge.revoked")
    assert (entry.actor, entry.reason, entry.before["status"], entry.after["status"]) == (
        moderator,
        "Usurpation signalée.",
        "active",
        "revoked",
    )
    with pytest.raises(Conflict):
        verification_services.revoke_badge(moderator=moderator, badge=badge, reason="Encore.")


def test_a_revoked_member_can_ask_again_and_gets_a_new_badge_after_review(claire, bank, moderator):
    verification_services.revoke_badge(moderator=moderator, badge=claire.badges.get(), reason="Erreur de rôle.")
    new = grant_badge(user=claire, organisation=bank, moderator=moderator, work_email="c.autre@banque-exemple.fr")
    assert new.is_active
    assert claire.badges.count() == 2  # the revoked one is kept, never deleted


def test_a_reason_with_a_nul_byte_is_stored_without_it(claire, moderator):
    badge = verification_services.revoke_badge(moderator=moderator, badge=claire.badges.get(), reason="Parti\x00.")
    assert badge.reason == "Parti."
