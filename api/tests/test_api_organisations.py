"""Organisations and verified badges through the REST API: badge data in author
objects, the organisations directory, the verification endpoints, the
moderators' queue, the `verified=true` filter, and who may call what."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from api.tests.conftest import error_of, matrix_cases, persona_client
from api.tests.conftest import token_client as _token_client
from forum.models import UserRole, VerificationRequest
from forum.services import verification as verification_services
from forum.services.votes import cast_vote
from tests.badge_factories import grant_badge, last_token, make_organisation, request_and_confirm, sent
from tests.factories import make_answer, make_moderator, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


# The API speaks JSON only: these clients send it by default.
def json_client(user=None) -> APIClient:
    client = _token_client(user) if user is not None else APIClient()
    client.default_format = "json"
    return client


token_client = json_client


@pytest.fixture
def anonymous() -> APIClient:
    return json_client()


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def claire(bank, moderator):
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    grant_badge(user=claire, organisation=bank, moderator=moderator, work_email="claire.secret@banque-exemple.fr")
    return claire


# --- Author objects ------------------------------------------------------------------


def test_author_objects_carry_verified_badges(anonymous, question, claire, moderator):
    make_answer(author=claire, question=question)
    make_answer(author=moderator, question=question)

    answers = anonymous.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]

    by_name = {a["author"]["username"]: a["author"]["badges"] for a in answers}
    [hr_badge] = by_name["claire"]
    assert hr_badge["role"] == "hr"
    assert hr_badge["organization"] == {"name": "Banque Exemple", "slug": "banque-exemple"}
    assert hr_badge["verified_at"].endswith("Z")
    assert by_name["modo"] == [{"role": "moderator", "organization": None, "verified_at": None}]


def test_the_verified_hr_answer_comes_before_more_voted_community_answers(anonymous, question, other_student, claire):
    community = make_answer(author=other_student, question=question)
    cast_vote(user=make_user(), answer=community)
    verified = make_answer(author=claire, question=question)

    answers = anonymous.get(f"/api/v1/threads/{question.pk}/answers/").json()["results"]

    assert [a["id"] for a in answers] == [verified.pk, community.pk]


def test_the_work_email_appears_in_no_public_response(anonymous, question, claire):
    make_answer(author=claire, question=question)
    for path in (
        f"/api/v1/threads/{question.pk}/answers/",
        "/api/v1/users/claire/",
        "/api/v1/organizations/banque-exemple/",
        "/api/v1/organizations/banque-exemple/members/",
    ):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert b"claire.secret" not in response.content, path


# --- Threads: verified filter, addressed questions -----------------------------------------


def test_the_verified_filter_keeps_threads_answered_by_verified_staff(anonymous, student, other_student, claire):
    answered_by_hr = make_question(author=student)
    make_answer(author=claire, question=answered_by_hr)
    make_answer(author=other_student, question=make_question(author=student))

    ids = [t["id"] for t in anonymous.get("/api/v1/threads/?verified=true").json()["results"]]
    assert ids == [answered_by_hr.pk]
    assert len(anonymous.get("/api/v1/threads/?verified=false").json()["results"]) == 2
    error_of(anonymous.get("/api/v1/threads/?verified=maybe"), 400)


def test_a_thread_can_be_addressed_to_organisations(student, bank):
    client = token_client(student)
    response = client.post(
        "/api/v1/threads/",
        {
            "title": "Vous prenez des alternants en agence ?",
            "body": "Je cherche un BTS banque en alternance, est-ce que vos agences recrutent ?",
            "tags": ["bts"],
            "addressed_to": ["banque-exemple"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["addressed_to"] == [{"name": "Banque Exemple", "slug": "banque-exemple"}]

    thread = client.get(f"/api/v1/threads/{response.json()['id']}/").json()
    assert thread["addressed_to"] == [{"name": "Banque Exemple", "slug": "banque-exemple"}]

    unknown = client.post(
        "/api/v1/threads/",
        {
            "title": "Une question pour une banque inconnue",
            "body": "Est-ce que cette banque recrute des alternants cette année ?",
            "tags": ["bts"],
            "addressed_to": ["banque-inconnue"],
        },
        format="json",
    )
    assert "addressed_to" in error_of(unknown, 400)["fields"]


def test_editing_a_thread_ignores_addressing(student, bank):
    question = make_question(author=student)
    response = token_client(student).patch(
        f"/api/v1/threads/{question.pk}/", {"addressed_to": ["banque-exemple"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["addressed_to"] == []


# --- Organisations ---------------------------------------------------------------------------


def test_organisations_list_and_detail(anonymous, bank, claire):
    listed = anonymous.get("/api/v1/organizations/").json()
    assert [o["slug"] for o in listed["results"]] == ["banque-exemple"]
    detail = anonymous.get("/api/v1/organizations/banque-exemple/").json()
    assert detail["domains"] == ["banque-exemple.fr"]
    assert detail["member_count"] == 1
    assert detail["web_url"].endswith("/organisations/banque-exemple/")
    members = anonymous.get("/api/v1/organizations/banque-exemple/members/").json()["results"]
    assert [(m["user"]["username"], m["role"]) for m in members] == [("claire", "hr")]
    error_of(anonymous.get("/api/v1/organizations/nope/"), 404)


def test_moderators_create_organisations_and_manage_domains(moderator):
    client = token_client(moderator)
    created = client.post(
        "/api/v1/organizations/",
        {"name": "CFA Exemple", "kind": "school", "domains": ["cfa-exemple.fr"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "cfa-exemple"
    error_of(client.post("/api/v1/organizations/cfa-exemple/domains/", {"domain": "gmail.com"}), 400)
    added = client.post("/api/v1/organizations/cfa-exemple/domains/", {"domain": "campus-exemple.fr"})
    assert added.status_code == 201
    assert added.json()["domains"] == ["campus-exemple.fr", "cfa-exemple.fr"]
    assert client.delete("/api/v1/organizations/cfa-exemple/domains/cfa-exemple.fr/").status_code == 204
    error_of(client.delete("/api/v1/organizations/cfa-exemple/domains/cfa-exemple.fr/"), 404)


# --- Verification ------------------------------------------------------------------------------


def test_the_whole_verification_journey(student, bank, moderator, django_capture_on_commit_callbacks):
    client = token_client(student)
    refused = client.post(
        "/api/v1/verification/requests/",
        {"organization": "banque-exemple", "role": "hr", "work_email": "alice@gmail.com"},
    )
    assert "work_email" in error_of(refused, 400)["fields"]

    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/verification/requests/",
            {"organization": "banque-exemple", "role": "hr", "work_email": "alice@banque-exemple.fr"},
        )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending_email"
    assert created.json()["work_email"] == "alice@banque-exemple.fr"

    confirmed = json_client().post("/api/v1/verification/confirm/", {"token": last_token("alice@banque-exemple.fr")})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "pending_review"
    assert "work_email" not in confirmed.json()

    assert [r["id"] for r in client.get("/api/v1/verification/requests/").json()["results"]] == [created.json()["id"]]
    queue = token_client(moderator).get("/api/v1/verification/queue/").json()["results"]
    assert [r["user"]["username"] for r in queue] == ["alice"]

    approved = token_client(moderator).post(f"/api/v1/verification/requests/{created.json()['id']}/approve/")
    assert approved.json()["status"] == "approved"
    me = client.get("/api/v1/users/alice/").json()
    assert [b["role"] for b in me["badges"]] == ["hr"]
    badges = client.get("/api/v1/verification/badges/").json()["results"]
    assert [(b["role"], b["status"]) for b in badges] == [("hr", "active")]


def test_a_refusal_needs_a_reason(other_student, bank, moderator):
    request = request_and_confirm(user=other_student, organisation=bank)
    client = token_client(moderator)
    error_of(client.post(f"/api/v1/verification/requests/{request.pk}/refuse/", {"reason": ""}), 400)
    refused = client.post(f"/api/v1/verification/requests/{request.pk}/refuse/", {"reason": "Service inconnu."})
    assert refused.json()["status"] == "refused"
    assert token_client(other_student).get(f"/api/v1/verification/requests/{request.pk}/").json()["reason"] == (
        "Service inconnu."
    )


def test_someone_elses_request_is_not_found(student, other_student, bank):
    request = request_and_confirm(user=other_student, organisation=bank)
    error_of(token_client(student).get(f"/api/v1/verification/requests/{request.pk}/"), 404)


def test_an_invalid_token_is_a_404(anonymous, db):
    error_of(anonymous.post("/api/v1/verification/confirm/", {"token": "x" * 43}), 404)
    error_of(anonymous.post("/api/v1/verification/confirm/", {}), 400)


def test_lists_run_a_constant_number_of_queries(django_assert_max_num_queries, anonymous, moderator, bank):
    def count_queries(path, client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    mod_client = token_client(moderator)
    grant_badge(user=make_user(), organisation=bank, moderator=moderator)
    request_and_confirm(user=make_user(), organisation=bank)
    before = {
        path: count_queries(path, client)
        for path, client in [
            ("/api/v1/organizations/", anonymous),
            ("/api/v1/organizations/banque-exemple/members/", anonymous),
            ("/api/v1/verification/queue/", mod_client),
        ]
    }
    for n in range(4):
        grant_badge(user=make_user(), organisation=bank, moderator=moderator)
        request_and_confirm(user=make_user(), organisation=bank)
        make_organisation(moderator=moderator, name=f"Entreprise {n}", domains=[f"e{n}.fr"])
    for path, count in before.items():
        client = mod_client if "queue" in path else anonymous
        with django_assert_max_num_queries(count):
            assert client.get(path).status_code == 200


# --- Permission matrix -------------------------------------------------------------------------


# Alice (student) has a request waiting for her email confirmation; Bob
# (other_student) has one waiting for a moderator; Claire (hr) holds a
# verified HR badge; "suspended" is Alice, suspended for a week.
# fmt: off
MATRIX = """
POST   /api/v1/organizations/                                 401 403 403 403 201 403
PATCH  /api/v1/organizations/banque-exemple/                  401 403 403 403 200 403
POST   /api/v1/organizations/banque-exemple/domains/          401 403 403 403 201 403
DELETE /api/v1/organizations/banque-exemple/domains/banque-exemple.fr/ 401 403 403 403 204 403
POST   /api/v1/verification/requests/                         401 201 201 201 201 403
POST   /api/v1/verification/requests/{alices_request}/cancel/ 401 200 404 404 404 200
POST   /api/v1/verification/requests/{alices_request}/resend/ 401 200 404 404 404 200
POST   /api/v1/verification/requests/{bobs_request}/approve/  401 404 403 404 200 404
POST   /api/v1/verification/requests/{bobs_request}/refuse/   401 404 403 404 200 404
POST   /api/v1/verification/confirm/                          200 200 200 200 200 200
POST   /api/v1/verification/badges/{claires_badge}/renew/     401 404 404 201 404 404
POST   /api/v1/verification/badges/{claires_badge}/revoke/    401 403 403 403 200 403
GET    /api/v1/verification/queue/                            401 403 403 403 200 403
GET    /api/v1/verification/requests/{bobs_request}/          401 404 200 404 200 404
"""
# fmt: on
# Policy choices visible in the last column: a suspended member may still
# cancel or re-send their own request (nothing is published by it), but not
# start a new one.

BODIES = {
    ("POST", "/api/v1/organizations/"): {"name": "CFA Exemple", "kind": "school", "domains": ["cfa-exemple.fr"]},
    ("PATCH", "/api/v1/organizations/banque-exemple/"): {"description": "Banque de détail."},
    ("POST", "/api/v1/organizations/banque-exemple/domains/"): {"domain": "groupe-exemple.fr"},
    ("POST", "/api/v1/verification/requests/"): {
        "organization": "banque-exemple",
        "role": "ambassador",
        "work_email": "nouveau@banque-exemple.fr",
    },
    ("POST", "/api/v1/verification/requests/{bobs_request}/refuse/"): {"reason": "Rôle non plausible."},
    ("POST", "/api/v1/verification/badges/{claires_badge}/revoke/"): {"reason": "A quitté la banque."},
}


CASES = matrix_cases(MATRIX)


@pytest.fixture
def scene(db):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    modo = make_moderator(username="modo", display_name="Modo")
    bank = make_organisation(moderator=modo, name="Banque Exemple", domains=["banque-exemple.fr"])
    badge = grant_badge(user=claire, organisation=bank, moderator=modo)
    alices_request = sent(
        verification_services.request_badge,
        user=alice,
        organisation=bank,
        role="hr",
        work_email="alice@banque-exemple.fr",
        site_url="http://testserver/",
    )
    # Old enough for a re-send.
    VerificationRequest.objects.filter(pk=alices_request.pk).update(email_sent_at=timezone.now() - timedelta(minutes=5))
    people = {"student": alice, "other_student": bob, "hr": claire, "moderator": modo, "suspended": alice}
    ids = {
        "alices_request": alices_request.pk,
        "bobs_request": request_and_confirm(user=bob, organisation=bank).pk,
        "claires_badge": badge.pk,
    }
    return people, ids, last_token("alice@banque-exemple.fr")


@pytest.mark.parametrize(("method", "path", "persona", "expected"), CASES)
def test_permission_matrix(scene, method, path, persona, expected):
    people, ids, token = scene
    client = persona_client(people, persona)
    body = {"token": token} if path.endswith("/confirm/") else BODIES.get((method, path))
    data = "" if body is None else json.dumps(body)
    response = client.generic(method, path.format(**ids), data=data, content_type="application/json")

    if expected >= 400:
        error_of(response, expected)
    else:
        assert response.status_code == expected, response.content


def test_no_email_leaves_for_a_refused_address(student, bank, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        token_client(student).post(
            "/api/v1/verification/requests/",
            {"organization": "banque-exemple", "role": "hr", "work_email": "victime@autre-domaine.fr"},
        )
    assert mail.outbox == []
