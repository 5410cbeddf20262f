"""A reader on a thread while Redis goes away for a few seconds: the page says
it is reconnecting (its socket was closed with 1013), the site keeps
answering, and when Redis is back the page catches up with the answer posted
meanwhile and follows live again, without a reload (api/layer_watch.py)."""

from pathlib import Path

import httpx
import pytest

from forum.services.tokens import issue_token
from tests.factories import make_question, make_user
from tests.support.browser import session_cookie
from tests.support.private_services import PrivateRedis

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.redis, pytest.mark.faults]

SHOTS = Path("/tmp/shots-resil")


@pytest.fixture
def private_redis():
    server = PrivateRedis().start()
    yield server
    server.close()


@pytest.mark.parametrize(("viewport", "language"), [((390, 844), "fr"), ((1280, 800), "en")])
def test_a_reader_sees_reconnecting_during_a_redis_outage_then_catches_up(
    start_server_process, private_redis, chromium, viewport, language
):
    server = start_server_process(extra_env={"REDIS_URL": private_redis.url(0)})
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    question = make_question(author=alice, title="Peut-on poser des congés pendant la période d'essai ?")
    api = httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {issue_token(user=bob, device_name='t')[1]}"}
    )
    suffix = "?lang=en" if language == "en" else ""

    context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale=f"{language}-FR")
    context.add_cookies([session_cookie(alice, server.url)])
    page = context.new_page()
    page.goto(f"{server.url}{question.get_absolute_url()}{suffix}")
    page.wait_for_selector("body[data-live-state=live]")
    page.evaluate("window.sameDocument = true")

    private_redis.stop()
    page.wait_for_selector("#live-status:not([hidden])", timeout=10_000)
    expected = "Reconnexion…" if language == "fr" else "Reconnecting…"
    assert page.locator("#live-status").inner_text() == expected
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"redis-outage-reconnecting-{viewport[0]}x{viewport[1]}-{language}.png"))

    # The site still takes answers: the row is the truth, the event waits in the log.
    posted = api.post(
        f"/api/v1/threads/{question.pk}/answers/",
        json={"body": "Pendant la coupure de Redis : oui, avec l'accord de l'employeur."},
    )
    assert posted.status_code == 201, posted.text

    private_redis.start()
    page.wait_for_selector("text=Pendant la coupure de Redis", timeout=30_000)
    page.wait_for_selector("#live-status", state="hidden")
    posted = api.post(
        f"/api/v1/threads/{question.pk}/answers/",
        json={"body": "Après la coupure : le suivi en direct a repris tout seul."},
    )
    assert posted.status_code == 201, posted.text
    page.wait_for_selector("text=le suivi en direct a repris")
    assert page.locator("article.answer").count() == 2
    assert page.evaluate("window.sameDocument") is True
    page.screenshot(
        path=str(SHOTS / f"redis-outage-caught-up-{viewport[0]}x{viewport[1]}-{language}.png"), full_page=True
    )
    context.close()
