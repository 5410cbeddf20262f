"""Attacks on the running server (uvicorn in its own process, loopback):
guessing one member's password from many addresses through both front doors,
all at once, and hiding behind forged X-Forwarded-For entries.

Each request says it comes through one trusted proxy (the loopback address
plays the proxy, as FORWARDED_ALLOW_IPS=127.0.0.1 says), with the address
the proxy appended last in X-Forwarded-For and attacker-chosen ones before it.
"""

import html
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone, translation

from forum.models import LoginThrottle
from tests.factories import make_user
from tests.support.server import ROOT, ServerProcess

pytestmark = [pytest.mark.server]

PASSWORD = "correct-horse-battery"


def through_proxy(client_address: str, forged: str = "198.51.100.1") -> dict:
    return {"X-Forwarded-For": f"{forged}, {client_address}"}


def api_login(base: str, login: str, password: str, *, address: str, forged: str = "198.51.100.1") -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/auth/token/",
        json={"username": login, "password": password, "device_name": "test"},
        headers=through_proxy(address, forged),
        timeout=30,
    )


def web_login(base: str, login: str, password: str, *, address: str, forged: str = "198.51.100.1") -> httpx.Response:
    headers = through_proxy(address, forged)
    with httpx.Client(base_url=base, headers=headers, timeout=30) as browser:
        page = browser.get("/comptes/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        return browser.post(
            "/comptes/login/",
            data={"login": login, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/comptes/login/"},
        )


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(
        outbox=tmp_path / "outbox",
        extra_env={
            "TRUSTED_PROXY_COUNT": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "DISABLE_ACCOUNT_RATE_LIMITS": "0",
            # Per hour: requests take seconds each on a loaded test machine.
            "THROTTLE_AUTH": "4/hour",
            "LOGIN_FAILED_PER_ADDRESS": "3/h/ip",
            "FORUM_LOGIN_ATTEMPTS_PER_ACCOUNT": "3",
        },
    )
    server.start()
    yield server
    server.stop()


def test_it_locks_an_account_for_the_api_and_the_web_form_together_then_cools_off(server):
    make_user(username="lea", password=PASSWORD)
    base = server.url

    # Three guesses from three addresses, through both doors: the per-address
    # limits never trigger, the per-account one counts them all.
    assert api_login(base, "lea", "guess-1", address="203.0.113.1").json()["error"]["code"] == "invalid_credentials"
    assert web_login(base, "LEA", "guess-2", address="203.0.113.2").status_code == 200
    assert api_login(base, "lea@example.org", "guess-3", address="203.0.113.3").status_code == 400

    # Locked now: even the right password is refused, at both doors.
    locked = api_login(base, "lea", PASSWORD, address="203.0.113.4")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "account_locked"
    assert 1 <= int(locked.headers["Retry-After"]) <= 15 * 60
    web = web_login(base, "lea", PASSWORD, address="203.0.113.5")
    assert web.status_code == 200  # the form again, not the redirect of a login
    assert "sessionid" not in web.cookies

    # The cool-off ends (moved into the past rather than waited for): the
    # member logs in again and the count starts afresh.
    LoginThrottle.objects.filter(locked_until__isnull=False).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert api_login(base, "lea", PASSWORD, address="203.0.113.6").status_code == 201
    assert not LoginThrottle.objects.exists()


def test_parallel_guesses_cannot_pass_the_account_limit_together(server):
    make_user(username="noa", password=PASSWORD)
    addresses = [f"203.0.113.{n}" for n in range(20, 32)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(lambda a: api_login(server.url, "noa", "wrong", address=a), addresses))

    statuses = sorted(r.status_code for r in responses)
    # Exactly the limit reached the password check; the counter is atomic.
    assert statuses.count(400) == 3, statuses
    assert statuses.count(429) == len(addresses) - 3
    assert all(r.json()["error"]["code"] == "account_locked" for r in responses if r.status_code == 429)


def test_forged_forwarded_addresses_do_not_escape_the_per_address_limits(server):
    base = server.url
    # A different forged leftmost entry each time, and a different unknown
    # account each time (so only the per-address limits can stop it).
    api = [
        api_login(base, f"nobody{n}", "x", address="203.0.113.50", forged=f"10.0.{n}.1").status_code for n in range(5)
    ]
    assert api[:4] == [400, 400, 400, 400]
    assert api[4] == 429
    # The address the proxy saw is what counts: another real client is not limited.
    assert api_login(base, "nobody-else", "x", address="203.0.113.51").status_code == 400

    # allauth's per-address failed-login limit reads the same address:
    # forged entries do not reset it.
    too_many = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    with translation.override("fr"):
        too_many_fr = str(DefaultAccountAdapter.error_messages["too_many_login_attempts"])
    pages = [
        html.unescape(web_login(base, f"ghost{n}", "x", address="203.0.113.60", forged=f"10.1.{n}.1").text)
        for n in range(4)
    ]
    assert not any(too_many_fr in page or too_many in page for page in pages[:3])
    assert too_many_fr in pages[3]


def test_the_settings_refuse_a_wildcard_forwarded_allow_ips():
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; django.setup()"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "a-test-key-long-enough-for-the-settings-check-" + "x" * 20,
            "FORWARDED_ALLOW_IPS": "*",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS" in result.stderr
