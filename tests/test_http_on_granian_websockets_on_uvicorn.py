"""The production split (docker/entrypoint.sh, docs/operations.md "Serving"):
HTTP on granian (the image's config/http_server.py, WSGI), websockets on
uvicorn. An answer posted through the granian process reaches a watcher on
the uvicorn process, published from a WSGI thread through the process's one
channel-layer loop (forum/layer_loop.py); the access log (config/access_log.py)
is JSON and names the client the trusted proxy saw, never an address the
client wrote."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.factories import make_question, make_user
from tests.support.requirements import require_postgres, require_redis

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

TIMEOUT = 10
PROXY = {"TRUSTED_PROXY_COUNT": "1", "FORWARDED_ALLOW_IPS": "127.0.0.1"}


@pytest.fixture
def split(start_server_process):
    require_postgres()
    redis_url = require_redis()
    http = start_server_process(name="http", server="http", extra_env={"REDIS_URL": redis_url} | PROXY)
    ws = start_server_process(name="ws", extra_env={"REDIS_URL": redis_url} | PROXY)
    return http, ws


async def next_frame(ws, *, kind: str = "event") -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame["type"] == kind:
            return frame
        assert frame["type"] != "error", frame


def test_an_answer_posted_over_wsgi_reaches_a_watcher_on_the_websocket_process(split):
    http, ws = split
    alice = make_user(username="alice", display_name="Alice")
    make_user(username="bob", display_name="Bob", password="bob-secret-passphrase")
    question = make_question(author=alice, title="Combien de jours de congés en alternance ?")
    topic = f"thread:{question.pk}"

    async def scenario():
        async with httpx.AsyncClient(base_url=http.url, timeout=TIMEOUT) as api:
            login = await api.post(
                "/api/v1/auth/token/",
                json={"username": "bob", "password": "bob-secret-passphrase", "device_name": "test"},
            )
            assert login.status_code == 201, login.text
            bearer = {"Authorization": f"Bearer {login.json()['token']}"}
            async with websockets.connect(ws.url.replace("http://", "ws://") + "/ws/") as watcher:
                await watcher.send(json.dumps({"type": "subscribe", "topic": topic}))
                await next_frame(watcher, kind="subscribed")
                posted = []
                for number in (1, 2):
                    response = await api.post(
                        f"/api/v1/threads/{question.pk}/answers/",
                        json={"body": f"Cinq semaines par an, plus les jours d'examen (réponse {number})."},
                        headers=bearer,
                    )
                    assert response.status_code == 201, response.text
                    posted.append(response.json()["id"])
                seen = [(await next_frame(watcher))["data"]["id"] for _ in posted]
        return posted, seen

    posted, seen = asyncio.run(scenario())

    assert seen == posted


def test_the_access_log_is_json_with_the_address_the_trusted_proxy_saw(split):
    http, _ = split
    response = httpx.get(
        http.url + "/healthz?from-the-proxy", headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.20"}, timeout=TIMEOUT
    )
    assert response.status_code == 200
    direct = httpx.get(http.url + "/healthz?direct", timeout=TIMEOUT)
    assert direct.status_code == 200

    http.log_once_it_holds("GET /healthz?from-the-proxy HTTP/1.1")
    log = http.log_once_it_holds("GET /healthz?direct HTTP/1.1")
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = {line["message"].split('"')[1]: line for line in lines if line["logger"] == "http.access"}

    proxied = access["GET /healthz?from-the-proxy HTTP/1.1"]
    # The entry the proxy appended, not the one the client wrote before it.
    assert proxied["message"].startswith("198.51.100.20 - ")
    assert proxied["request_id"] == response.headers["X-Request-ID"]
    assert proxied["message"].endswith('" 200')
    assert proxied["duration_ms"] >= 0
    assert access["GET /healthz?direct HTTP/1.1"]["message"].startswith("127.0.0.1 - ")


@pytest.mark.parametrize(
    ("remote", "forwarded", "count", "expected"),
    [
        ("127.0.0.1", "203.0.113.7, 198.51.100.20", 1, "198.51.100.20"),  # one proxy: its entry
        ("127.0.0.1", "203.0.113.7, 198.51.100.20, 10.0.0.5", 2, "198.51.100.20"),  # CDN then proxy
        ("192.0.2.9", "203.0.113.7", 1, "192.0.2.9"),  # not from the proxy: XFF is the client's own
        ("127.0.0.1", "203.0.113.7", 0, "127.0.0.1"),  # no proxy configured
        ("127.0.0.1", "198.51.100.20", 2, "127.0.0.1"),  # fewer entries than hops: nothing trustworthy
        ("172.30.0.10", "198.51.100.20", 1, "198.51.100.20"),  # a proxy listed by its range
    ],
)
def test_the_wsgi_client_address_follows_trusted_proxy_count(remote, forwarded, count, expected):
    from config.forwarded import client_address

    proxies = frozenset({"127.0.0.1", "172.30.0.0/24"})
    assert client_address(remote, forwarded, proxies=proxies, count=count) == expected
