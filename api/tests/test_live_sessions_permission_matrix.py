"""Who may call which live-session write: the expected status of every persona,
as one table (the format of test_permission_matrix.py).

The scene: Hélène, a verified HR member, hosts a live session with Modo the
moderator; it is live. Alice (student) and Bob (other_student) each sent a
question. Claire is an HR member *without* a verified badge. "suspended" is
Alice, suspended for a week. Each cell runs on a fresh database.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import matrix_cases, persona_client
from forum.models import UserRole
from forum.services import live_sessions
from tests.factories import make_moderator, make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

MATRIX = """
#                                                   anonymous  student  other   hr  moderator  suspended
POST /api/v1/live-sessions/                               401      403    403  403        201        403
POST /api/v1/live-sessions/{session}/follow/              401      200    200  200        200        403
POST /api/v1/live-sessions/{session}/questions/           401      201    201  201        201        403
POST /api/v1/live-questions/{bobs_question}/vote/         401      200    403  200        200        403
POST /api/v1/live-questions/{alices_question}/vote/       401      403    200  200        200        403
POST /api/v1/live-questions/{bobs_question}/pick/         401      403    403  403        200        403
POST /api/v1/live-questions/{bobs_question}/answer/       401      403    403  403        200        403
POST /api/v1/live-questions/{bobs_question}/hide/         401      403    403  403        204        403
POST /api/v1/live-questions/{bobs_question}/approve/      401      403    403  403        200        403
POST /api/v1/live-questions/{bobs_question}/convert/      401      403    403  403        201        403
"""
# Claire says she is HR but holds no verified badge: she may take part like
# any member, never schedule or host. Bob may not convert his own question
# while the session is live (unanswered questions become threads after it).

QUESTION = "Comment relancer une entreprise qui ne répond pas à ma candidature ?"


@pytest.fixture
def scene(db):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    moderator = make_moderator(username="modo", display_name="Modo")
    people = {
        "student": alice,
        "other_student": bob,
        "hr": make_user(username="claire", display_name="Claire", role=UserRole.HR),
        "moderator": moderator,
        "suspended": alice,
    }
    helene = make_verified_hr(moderator=moderator, username="helene")
    session = make_live_session(organiser=helene, hosts=[helene, moderator])
    ids = {
        "session": session.pk,
        "alices_question": live_sessions.submit_question(author=alice, session=session, body=QUESTION).pk,
        "bobs_question": live_sessions.submit_question(
            author=bob, session=session, body="Faut-il un CV différent pour chaque entreprise ?"
        ).pk,
    }
    set_clock(session, "live")
    return people, ids


BODIES = {
    "/api/v1/live-sessions/": lambda: {
        "title": "Chat conseil : le contrat de professionnalisation",
        "starts_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "ends_at": (timezone.now() + timedelta(days=2, hours=1)).isoformat(),
        "hosts": ["helene"],
    },
    "/api/v1/live-sessions/{session}/questions/": lambda: {"body": "Peut-on négocier son salaire en alternance ?"},
    "/api/v1/live-questions/{bobs_question}/answer/": lambda: {
        "answer": "Oui, adaptez au moins l'accroche et les expériences à chaque offre."
    },
}


@pytest.mark.parametrize(("method", "path", "persona", "expected"), matrix_cases(MATRIX))
def test_live_session_permission_matrix(scene, method, path, persona, expected):
    people, ids = scene
    client = persona_client(people, persona)
    body = BODIES.get(path, dict)()
    response = getattr(client, method.lower())(path.format(**ids), body, format="json")
    assert response.status_code == expected, (persona, method, path, response.content[:300])
