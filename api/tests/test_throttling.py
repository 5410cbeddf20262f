import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.db import close_old_connections

from api.tests.conftest import error_of, token_client
from api.throttling import ReadRateThrottle
from tests.factories import make_answer, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**current, **rates}}

    return set_rates


def thread(n: int) -> dict:
    return {
        "title": f"Question numéro {n} sur le BTS",
        "body": f"Un texte assez long pour la question {n}.",
        "tags": ["bts"],
    }


def test_anonymous_reads_are_limited_per_address_with_retry_after(anonymous, rates, db):
    rates(anon_read="3/min")
    for _ in range(3):
        assert anonymous.get("/api/v1/threads/").status_code == 200

    response = anonymous.get("/api/v1/threads/")

    assert error_of(response, 429)["code"] == "rate_limited"
    # The window slides: a third of the way into the next minute at the
    # latest, the three requests of this one weigh two (api/throttling.py).
    assert 1 <= int(response["Retry-After"]) <= 60 + 20


def test_members_read_on_their_own_budget_not_their_address(student, other_student, rates):
    rates(user_read="2/min")
    alice, bob = token_client(student), token_client(other_student)
    assert [alice.get("/api/v1/tags/").status_code for _ in range(3)] == [200, 200, 429]
    assert bob.get("/api/v1/tags/").status_code == 200


def test_asking_has_a_stricter_limit_than_answering(student, question, rates):
    rates(ask="2/hour", answer="5/hour")
    client = token_client(student)
    assert client.post("/api/v1/threads/", thread(1), format="json").status_code == 201
    assert client.post("/api/v1/threads/", thread(2), format="json").status_code == 201

    refused = client.post("/api/v1/threads/", thread(3), format="json")

    assert error_of(refused, 429)["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 60
    answer = {"body": "Une réponse utile et assez longue pour passer."}
    assert client.post(f"/api/v1/threads/{question.pk}/answers/", answer, format="json").status_code == 201


def test_votes_have_their_own_limit(student, question, rates):
    rates(vote="2/min")
    answers = [make_answer(author=make_user(), question=question) for _ in range(3)]
    client = token_client(student)
    statuses = [client.post(f"/api/v1/answers/{answer.pk}/vote/").status_code for answer in answers]
    assert statuses == [200, 200, 429]


def test_reads_do_not_use_up_the_write_budget(student, rates):
    rates(ask="1/hour", user_read="1000/min")
    client = token_client(student)
    for _ in range(5):
        client.get("/api/v1/threads/")
    assert client.post("/api/v1/threads/", thread(1), format="json").status_code == 201


def member_read(user):
    return SimpleNamespace(method="GET", user=user, META={"REMOTE_ADDR": "127.0.0.1"})


def test_parallel_reads_pass_the_limit_and_no_more(student, rates):
    """One atomic increment per request: DRF's own log of times, read and
    written back, let 20 parallel requests pass a limit of 10."""
    rates(user_read="10/min")

    def allowed(_n) -> bool:
        try:
            return ReadRateThrottle().allow_request(member_read(student), view=None)
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=20) as pool:
        passed = sum(pool.map(allowed, range(20)))

    assert passed == 10


def test_a_client_over_the_rate_still_gets_the_rate(student, rates):
    """Refused requests are not counted: a client asking twice the rate for
    three minutes gets about the rate each minute, not nothing."""
    rates(user_read="10/min")
    start = (time.time() // 60 + 1) * 60  # a minute's start: three whole windows
    passed_by_minute = [0, 0, 0]
    for n in range(60):
        at = start + n * 3  # 20 a minute
        throttle = ReadRateThrottle()
        throttle.timer = lambda at=at: at
        passed_by_minute[n // 20] += throttle.allow_request(member_read(student), view=None)

    assert passed_by_minute[0] == 10
    assert all(8 <= passed <= 10 for passed in passed_by_minute[1:]), passed_by_minute
