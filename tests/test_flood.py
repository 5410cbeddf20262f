"""A flood from a brand-new account, through the REST API of a real server
process: 50 answers in under a minute. The account's daily limit (10 answers
for a new account) holds, sequentially and with parallel requests: the rest
get 429 with Retry-After, and nothing beyond the limit reaches the database."""

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email.message import Message

import pytest
from django.conf import settings
from django.utils import timezone

from forum.models import Answer
from forum.services.tokens import issue_token
from tests.factories import make_question, make_user

pytestmark = pytest.mark.server

LIMIT = settings.FORUM["NEW_ACCOUNT_ANSWERS_PER_DAY"]


@pytest.fixture
def target(live_server_process):
    """A thread, and a token of an account created a minute ago."""
    newcomer = make_user(username="flood", date_joined=timezone.now())
    question = make_question(author=make_user(username="asker"))
    _token, secret = issue_token(user=newcomer, device_name="script")
    return {
        "newcomer": newcomer,
        "url": f"{live_server_process.url}/api/v1/threads/{question.pk}/answers/",
        "secret": secret,
    }


def post_answer(url: str, secret: str, n: int) -> tuple[int, Message, dict]:
    body = json.dumps({"body": f"Réponse automatique numéro {n} : contacte vite ce CFA, il recrute en alternance !"})
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json", "Accept-Language": "fr"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


def test_fifty_answers_in_a_minute_stop_at_the_daily_limit(target):
    started = time.monotonic()
    results = [post_answer(target["url"], target["secret"], n) for n in range(50)]
    assert time.monotonic() - started < 60

    statuses = [status for status, _headers, _body in results]
    assert statuses == [201] * LIMIT + [429] * (50 - LIMIT)
    for _status, headers, body in results[LIMIT:]:
        assert body["error"]["code"] == "rate_limited"
        assert body["error"]["message"]
        assert 0 < int(headers["Retry-After"]) <= 24 * 3600
    assert Answer.objects.filter(author=target["newcomer"]).count() == LIMIT


def test_fifty_parallel_answers_cannot_pass_the_limit_either(target):
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda n: post_answer(target["url"], target["secret"], n), range(50)))

    statuses = sorted(status for status, _headers, _body in results)
    assert statuses == [201] * LIMIT + [429] * (50 - LIMIT)
    assert Answer.objects.filter(author=target["newcomer"]).count() == LIMIT
