"""Who may call which write endpoint: the expected status of every persona on
every write of the API, as one table.

The scene: Alice (student) asked a thread, Bob (other_student) answered it;
Bob also asked a thread that Alice answered. Claire is an HR member without a
verified badge, Modo a moderator. "suspended" is Alice herself, suspended for a
week: where Alice succeeds and suspended Alice does not, the refusal must say
it is the suspension. Each cell runs on a fresh database.
"""

import json

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from api.tests.conftest import error_of, matrix_cases, matrix_rows, persona_client
from forum.exceptions import NotAllowed
from forum.models import UserRole
from forum.permissions import check_can_participate
from forum.services.tokens import issue_token
from tests.factories import make_answer, make_moderator, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


MATRIX = """
#                                                 anonymous  student  other   hr  moderator  suspended
POST   /api/v1/auth/token/                              400      201    201  201        201        201
DELETE /api/v1/auth/token/                              401      204    204  204        204        204
DELETE /api/v1/auth/tokens/                             401      204    204  204        204        204
DELETE /api/v1/auth/tokens/{alices_tablet}/             401      204    404  404        404        204
POST   /api/v1/threads/                                 401      201    201  201        201        403
PATCH  /api/v1/threads/{alices_thread}/                 401      200    403  403        200        403
POST   /api/v1/threads/{alices_thread}/answers/         401      201    201  201        201        403
PATCH  /api/v1/answers/{bobs_answer}/                   401      403    200  403        200        403
DELETE /api/v1/answers/{bobs_answer}/                   401      403    204  403        403        403
PATCH  /api/v1/answers/{alices_answer}/                 401      200    403  403        200        403
DELETE /api/v1/answers/{alices_answer}/                 401      204    403  403        403        204
POST   /api/v1/answers/{bobs_answer}/vote/              401      200    403  200        200        403
DELETE /api/v1/answers/{bobs_answer}/vote/              401      200    403  200        200        403
POST   /api/v1/answers/{bobs_answer}/accept/            401      200    403  403        403        403
DELETE /api/v1/answers/{bobs_answer}/accept/            401      200    403  403        403        403
PATCH  /api/v1/me/                                      401      200    200  200        200        403
"""
# A policy choice shows in the last column (forum.permissions, not the API):
# withdrawing one's own answer stays possible while suspended (taking content
# down is never refused); editing one's public profile does not.

BODIES = {
    ("POST", "/api/v1/threads/"): {
        "title": "Peut-on changer d'entreprise en cours de BTS ?",
        "body": "Mon maître d'apprentissage part, est-ce que je peux suivre son équipe ailleurs ?",
        "tags": ["bts", "contrat-apprentissage"],
    },
    ("PATCH", "/api/v1/threads/{alices_thread}/"): {"title": "Trouver une alternance en BTS MCO à Lyon ?"},
    ("POST", "/api/v1/threads/{alices_thread}/answers/"): {
        "body": "Regarde les offres de la chambre de commerce, elles sont mises à jour chaque semaine."
    },
    ("PATCH", "/api/v1/answers/{bobs_answer}/"): {"body": "Version corrigée : commence par le site de ton CFA."},
    ("PATCH", "/api/v1/answers/{alices_answer}/"): {"body": "Version corrigée : appelle directement les RH."},
    ("PATCH", "/api/v1/me/"): {"region": "Bretagne"},
}


CASES = matrix_cases(MATRIX)


@pytest.fixture
def scene(db):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    people = {
        "student": alice,
        "other_student": bob,
        "hr": make_user(username="claire", display_name="Claire", role=UserRole.HR),
        "moderator": make_moderator(username="modo", display_name="Modo"),
        "suspended": alice,
    }
    alices_thread = make_question(author=alice)
    bobs_thread = make_question(author=bob)
    ids = {
        "alices_thread": alices_thread.pk,
        "bobs_answer": make_answer(author=bob, question=alices_thread).pk,
        "alices_answer": make_answer(author=alice, question=bobs_thread).pk,
        "alices_tablet": issue_token(user=alice, device_name="Tablette")[0].pk,
    }
    return people, ids


def call(scene, method: str, path: str, persona: str):
    people, ids = scene
    client = persona_client(people, persona)
    if (method, path) == ("POST", "/api/v1/auth/token/"):
        body = (
            {}
            if persona == "anonymous"
            else {"username": people[persona].username, "password": "correct-horse-battery"}
        )
    else:
        body = BODIES.get((method, path))
    data = "" if body is None else json.dumps(body)
    return client.generic(method, path.format(**ids), data=data, content_type="application/json")


@pytest.mark.parametrize(("method", "path", "persona", "expected"), CASES)
def test_permission_matrix(scene, method, path, persona, expected):
    response = call(scene, method, path, persona)

    if expected >= 400:
        error_of(response, expected)
    else:
        assert response.status_code == expected, response.content


SUSPENSION_ROWS = [
    pytest.param(method, path, id=f"{method} {path}")
    for method, path, expected in matrix_rows(MATRIX)
    if expected["student"] < 300 and expected["suspended"] == 403
]


@pytest.mark.parametrize(("method", "path"), SUSPENSION_ROWS)
def test_a_suspended_members_refusal_says_it_is_the_suspension_and_until_when(scene, method, path):
    response = call(scene, method, path, "suspended")

    alice = scene[0]["suspended"]
    with pytest.raises(NotAllowed) as refusal:
        check_can_participate(alice)
    assert error_of(response, 403)["message"] == refusal.value.message
    assert date_format(timezone.localtime(alice.suspended_until), "DATETIME_FORMAT") in refusal.value.message
