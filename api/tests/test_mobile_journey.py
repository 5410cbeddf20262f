"""The mobile app's journey, through a Python client generated from the live
/api/schema/ by openapi-python-client, against a real server process.

If the schema lies (a wrong type, a missing field, an undocumented status),
the generated client fails to parse the answer and this test fails: it is the
contract the app is built on.
"""

import importlib
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.factories import make_question, make_user

pytestmark = pytest.mark.server

PASSWORD = "correct-horse-battery"
PACKAGE = "aqa_client"


def generate_client(schema_url: str, workdir: Path):
    """Generate the client into `workdir` (never committed) and import it."""
    schema = workdir / "schema.yaml"
    with urllib.request.urlopen(schema_url, timeout=10) as response:
        schema.write_bytes(response.read())
    config = workdir / "openapi-python-client.yaml"
    # No post hooks: formatting the generated code is slow and proves nothing.
    config.write_text(f"package_name_override: {PACKAGE}\nproject_name_override: aqa-client\npost_hooks: []\n")
    generator = Path(sys.executable).with_name("openapi-python-client")
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(workdir / PACKAGE),
            "--config",
            str(config),
            "--meta",
            "none",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(workdir))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


@pytest.fixture
def client_package(live_server_process, tmp_path):
    package = generate_client(f"{live_server_process.url}/api/schema/", tmp_path)
    yield package
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def test_a_student_asks_gets_an_answer_votes_accepts_and_logs_out(live_server_process, client_package):
    make_user(username="lea", display_name="Léa", password=PASSWORD)
    make_user(username="karim", display_name="Karim", password=PASSWORD)
    earlier = make_question(author=make_user(password=PASSWORD), tags=("bts", "rythme"))

    from aqa_client import AuthenticatedClient, Client
    from aqa_client.api.answers import answers_accept, answers_vote, threads_answers_create
    from aqa_client.api.auth import auth_token_obtain, auth_token_revoke_current
    from aqa_client.api.threads import threads_create, threads_list, threads_retrieve
    from aqa_client.models import (
        AnswerInputRequest,
        Error,
        ThreadInputRequest,
        ThreadStatusEnum,
        TokenObtainInputRequest,
    )

    def log_in(username: str) -> AuthenticatedClient:
        response = auth_token_obtain.sync_detailed(
            client=Client(base_url=live_server_process.url),
            body=TokenObtainInputRequest(username=username, password=PASSWORD, device_name=f"Téléphone de {username}"),
        )
        assert response.status_code == 201, response.content
        return AuthenticatedClient(base_url=live_server_process.url, token=response.parsed.token)

    lea = log_in("lea")

    bts = threads_list.sync(client=lea, tag="bts")
    assert [thread.id for thread in bts.results] == [earlier.pk]
    assert bts.results[0].author.badges == []

    asked = threads_create.sync_detailed(
        client=lea,
        body=ThreadInputRequest(
            title="Combien de jours en entreprise pendant un BTS NDRC ?",
            body="Mon CFA propose 2 jours / 3 jours, **est-ce courant** ?",
            tags=["BTS", "Rythme"],
        ),
    )
    assert asked.status_code == 201, asked.content
    thread = asked.parsed
    assert sorted(thread.tags) == ["bts", "rythme"]
    # The canonical address carries the title's words (forum/slugs.py).
    slug = "combien-de-jours-en-entreprise-pendant-un-bts-ndrc"
    assert thread.web_url == f"{live_server_process.url}/questions/{thread.id}/{slug}/"

    karim = log_in("karim")
    answered = threads_answers_create.sync_detailed(
        thread.id,
        client=karim,
        body=AnswerInputRequest(body="Oui, c'est le rythme le plus fréquent en NDRC, surtout en première année."),
    )
    assert answered.status_code == 201, answered.content
    answer = answered.parsed

    voted = answers_vote.sync(answer.id, client=lea)
    assert (voted.vote_count, voted.has_voted) == (1, True)

    accepted = answers_accept.sync(answer.id, client=lea)
    assert accepted.is_accepted is True
    solved = threads_retrieve.sync(thread.id, client=karim)
    assert (solved.status, solved.accepted_answer_id, solved.answer_count) == (ThreadStatusEnum.SOLVED, answer.id, 1)

    assert auth_token_revoke_current.sync_detailed(client=lea).status_code == 204

    refused = threads_list.sync_detailed(client=lea)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, Error)
    assert refused.parsed.error.code == "authentication_failed"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert threads_list.sync_detailed(client=karim).status_code == 200
