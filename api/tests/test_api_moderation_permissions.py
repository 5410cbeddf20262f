"""Who may call which moderation endpoint: every persona on every moderation
endpoint of the API, as one table (the moderation rows of the permission
matrix; the core rows are in test_permission_matrix.py).

The scene: Alice (student) asked a thread that Bob (other_student) answered;
Bob asked a thread; Alice's answer to it was hidden by another moderator; a
newcomer's answer waits in the queue. Carol is a member to sanction, Sam is
suspended, Eve is banned. Claire is HR without a badge, Modo a moderator,
"suspended" is Alice suspended for a week. Each cell runs on a fresh database.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of, matrix_cases, persona_client, token_client
from forum.models import ReviewItem, UserRole
from forum.services.moderation import hide_post
from tests.factories import make_answer, make_moderator, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


MATRIX = """
#                                                       anonymous student other  hr  moderator suspended
POST   /api/v1/threads/{alices_thread}/flags/                 401     403   201  201      201      403
POST   /api/v1/answers/{bobs_answer}/flags/                   401     201   403  201      201      403
POST   /api/v1/answers/{alices_hidden_answer}/appeal/         401     201   404  404      404      201
GET    /api/v1/moderation/queue/                              401     403   403  403      200      403
GET    /api/v1/moderation/queue/{item}/                       401     403   403  403      200      403
POST   /api/v1/moderation/queue/{item}/decision/              401     403   403  403      200      403
POST   /api/v1/moderation/queue/bulk/                         401     403   403  403      200      403
POST   /api/v1/answers/{bobs_answer}/hide/                    401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/hide/                  401     403   403  403      200      403
POST   /api/v1/answers/{alices_hidden_answer}/restore/        401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/lock/                  401     403   403  403      200      403
DELETE /api/v1/threads/{alices_thread}/lock/                  401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/pin/                   401     403   403  403      200      403
DELETE /api/v1/threads/{alices_thread}/pin/                   401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/duplicate/             401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/retag/                 401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/merge/                 401     403   403  403      200      403
POST   /api/v1/threads/{alices_thread}/move-answers/          401     403   403  403      200      403
GET    /api/v1/moderation/members/carol/                      401     403   403  403      200      403
POST   /api/v1/moderation/members/carol/warn/                 401     403   403  403      200      403
POST   /api/v1/moderation/members/carol/suspend/              401     403   403  403      200      403
DELETE /api/v1/moderation/members/sam/suspend/                401     403   403  403      200      403
POST   /api/v1/moderation/members/carol/ban/                  401     403   403  403      200      403
DELETE /api/v1/moderation/members/eve/ban/                    401     403   403  403      200      403
GET    /api/v1/moderation/audit/                              401     403   403  403      200      403
PUT    /api/v1/moderation/audit/                              405     405   405  405      405      405
DELETE /api/v1/moderation/audit/                              405     405   405  405      405      405
GET    /api/v1/me/warnings/                                   401     200   200  200      200      200
POST   /api/v1/me/warnings/seen/                              401     204   204  204      204      204
"""
# Policy choices visible here (forum.permissions): a suspended member may still
# appeal (asking for a second review is not taking part), but not flag; only
# the author appeals, and to anyone else a hidden answer does not exist (404),
# moderators included since they do not need to appeal.

# Bodies by method and last path segment; "{name}" is replaced by the scene's id.
BODIES = {
    ("POST", "flags"): {"reason": "harassment", "text": "Propos insultants."},
    ("POST", "appeal"): {"text": "Je citais mon contrat, ce n'était pas une insulte."},
    ("POST", "decision"): {"decision": "approve"},
    ("POST", "bulk"): {"ids": ["{item}"], "decision": "approve"},
    ("POST", "hide"): {"clause": "respect", "note": "Insultes."},
    ("POST", "restore"): {"note": "Relu."},
    ("POST", "duplicate"): {"original": "{bobs_thread}", "reason": "Même question."},
    ("POST", "retag"): {"tags": ["rythme"]},
    ("POST", "merge"): {"into": "{bobs_thread}"},
    ("POST", "move-answers"): {"answers": ["{bobs_answer}"], "to": "{bobs_thread}"},
    ("POST", "warn"): {"clause": "respect", "message": "Reste courtois."},
    ("POST", "suspend"): {"clause": "respect", "days": 3},
    ("POST", "ban"): {"clause": "spam"},
}


CASES = matrix_cases(MATRIX)


@pytest.fixture
def scene(db):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    make_user(username="carol")
    make_user(username="sam", suspended_until=timezone.now() + timedelta(days=3))
    make_user(username="eve", is_active=False)
    people = {
        "student": alice,
        "other_student": bob,
        "hr": make_user(username="claire", display_name="Claire", role=UserRole.HR),
        "moderator": make_moderator(username="modo", display_name="Modo"),
        "suspended": alice,
    }
    alices_thread = make_question(author=alice)
    bobs_thread = make_question(author=bob)
    alices_hidden_answer = make_answer(author=alice, question=bobs_thread)
    hide_post(moderator=make_moderator(username="modo2"), post=alices_hidden_answer, clause="respect")
    newcomers_answer = make_answer(author=make_user(date_joined=timezone.now()), question=alices_thread)
    ids = {
        "alices_thread": alices_thread.pk,
        "bobs_thread": bobs_thread.pk,
        "bobs_answer": make_answer(author=bob, question=alices_thread).pk,
        "alices_hidden_answer": alices_hidden_answer.pk,
        "item": ReviewItem.objects.get(answer=newcomers_answer, status="open").pk,
    }
    return people, ids


def _body(method: str, path: str, ids: dict):
    body = BODIES.get((method, path.rstrip("/").rsplit("/", 1)[-1]))
    if body is None:
        return None
    text = json.dumps(body)
    for name, value in ids.items():
        text = text.replace(f'"{{{name}}}"', str(value))
    return json.loads(text)


def call(scene, method: str, path: str, persona: str):
    people, ids = scene
    client = persona_client(people, persona)
    body = _body(method, path, ids)
    data = "" if body is None else json.dumps(body)
    return client.generic(method, path.format(**ids), data=data, content_type="application/json")


@pytest.mark.parametrize(("method", "path", "persona", "expected"), CASES)
def test_moderation_permission_matrix(scene, method, path, persona, expected):
    response = call(scene, method, path, persona)

    if expected >= 400:
        error_of(response, expected)
    else:
        assert response.status_code == expected, response.content


def test_a_non_moderator_is_told_the_action_is_for_moderators(scene):
    client = token_client(scene[0]["student"])
    response = client.get("/api/v1/moderation/queue/", HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(response, 403)["message"] == "This action is reserved for moderators."
