"""A thread updated live shows exactly what the same thread shows reloaded
(issues 10 and 19), for every kind of reader: someone not logged in, the
asker, another member, a moderator, in French and in English.

Four readers keep the thread open while two answers arrive (one from verified
HR staff), a vote, an accept, an edit and a moderator's hiding happen. After
each step, each reader's live page is compared with the same thread freshly
loaded in another tab of the same browser context: the order of the answers,
the counts and their labels, the badges, the buttons and links each answer
offers this reader and their labels, the banners, the thread status, then the
whole answers section's HTML. The asker accepts an answer that arrived live,
from the live page, with its "Accept" button."""

import contextlib
import json
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from forum.services.tokens import issue_token
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_moderator, make_question, make_user
from tests.support.browser import chromium_browser, session_cookie
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
FIRST_BODY = "Non : les semaines au CFA sont du temps de travail, pose tes congés sur les semaines en entreprise."
SECOND_BODY = "Côté RH : la convention de l'entreprise peut prévoir mieux, demande le service du personnel."

# What a reader sees of the answers section, in a form two pages can be
# compared by: no CSRF token (masked afresh on every render), no relative time
# ("now" / "a second ago"), no arrival animation class.
SNAPSHOT = """() => {
  const part = document.querySelector('[data-live-part="answers"]');
  const visible = (el) => el && !el.hidden && !el.closest('[hidden]');
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, ' ').trim() : null);
  const html = part.outerHTML
    .replace(/(name="csrfmiddlewaretoken" value=")[^"]*"/g, '$1"')
    .replace(/(<time[^>]*>)[^<]*(<\\/time>)/g, '$1$2')
    .replace(/ is-new(?=[ "])/g, '')
    .replace(/\\s+/g, ' ');
  return {
    status: text(document.querySelector('[data-live-part="question-status"]')),
    count: text(part.querySelector('[data-answer-count]')),
    countLabel: text(part.querySelector('[data-answer-count-label]')),
    banners: Array.from(part.querySelectorAll('.banner')).filter(visible).map(text),
    answers: Array.from(part.querySelectorAll('[data-answer-id]')).map((a) => ({
      id: a.dataset.answerId,
      accepted: a.classList.contains('is-accepted'),
      body: text(a.querySelector('[data-answer-body]')),
      votes: text(a.querySelector('[data-vote-count]')),
      badges: Array.from(a.querySelectorAll('.badge')).map(text),
      notices: Array.from(a.querySelectorAll('.notice')).map(text),
      controls: Array.from(a.querySelectorAll('button, a.link-button, a.hint-link, summary')).map(
        (c) => text(c) + (c.hasAttribute('aria-pressed') ? ' [' + c.getAttribute('aria-pressed') + ']' : '')
      ),
    })),
    html: html,
  };
}"""


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    yield server
    server.stop()


@pytest.fixture
def cast(server):
    moderator = make_moderator(username="modo", display_name="Modo")
    asker = make_user(username="alice", display_name="Alice")
    member = make_user(username="chloe", display_name="Chloé")
    student = make_user(username="bob", display_name="Bob")
    hr = make_user(username="dan", display_name="Dan")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    question = make_question(author=asker, title="Peut-on poser ses congés pendant les semaines de CFA ?")
    return {
        "question": question,
        "cookies": {
            name: session_cookie(user, server.url)
            for name, user in {"asker": asker, "member": member, "moderator": moderator}.items()
        },
        "tokens": {
            name: issue_token(user=user, device_name="test")[1]
            for name, user in {"member": member, "student": student, "hr": hr, "moderator": moderator}.items()
        },
    }


def api(server, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})


def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


class Reader:
    """One reader: a browser context with the live thread and a tab to reload."""

    def __init__(self, browser, name: str, locale: str, cookie: dict | None, url: str):
        self.name = name
        self.context = browser.new_context(viewport=PHONE, locale=locale)
        if cookie:
            self.context.add_cookies([cookie])
        self.url = url
        self.live = self.context.new_page()
        self.open_live()
        self.fresh = self.context.new_page()

    def open_live(self) -> None:
        self.live.goto(self.url)
        self.live.wait_for_selector("body[data-live-state=live]")
        # Marks this very document: it disappears if the page reloads.
        self.live.evaluate("window.sameDocument = true")

    def reloaded(self) -> dict:
        self.fresh.goto(self.url)
        return self.fresh.evaluate(SNAPSHOT)

    def assert_live_equals_reload(self, step: str) -> dict:
        expected = self.reloaded()
        # The live page applies the event a few milliseconds after the action
        # returned: wait for it to agree, then compare field by field so that
        # a failure says what differs.
        with contextlib.suppress(PlaywrightTimeout):
            self.live.wait_for_function(
                f"expected => JSON.stringify(({SNAPSHOT})()) === JSON.stringify(expected)", arg=expected, timeout=10_000
            )
        shown = self.live.evaluate(SNAPSHOT)
        for key in ("status", "count", "countLabel", "banners", "answers", "html"):
            assert shown[key] == expected[key], f"{self.name}, after {step}: {key} differs\n" + json.dumps(
                {"live": shown[key], "reload": expected[key]}, ensure_ascii=False, indent=1
            )
        assert self.live.evaluate("window.sameDocument === true"), f"{self.name}: the live page reloaded"
        return shown


def test_a_thread_updated_live_equals_the_thread_reloaded_for_every_reader(server, cast):
    url = f"{server.url}{cast['question'].get_absolute_url()}"
    tokens = cast["tokens"]
    with chromium_browser() as browser:
        readers = [
            Reader(browser, "anonymous (en)", "en-US", None, url),
            Reader(browser, "asker (fr)", "fr-FR", cast["cookies"]["asker"], url),
            Reader(browser, "member (en)", "en-US", cast["cookies"]["member"], url),
            Reader(browser, "moderator (fr)", "fr-FR", cast["cookies"]["moderator"], url),
        ]
        asker = readers[1]

        def check(step: str) -> dict:
            return {reader.name: reader.assert_live_equals_reload(step) for reader in readers}

        thread = f"/api/v1/threads/{cast['question'].pk}/answers/"
        first = ok(
            api(server, tokens["student"]).post(
                thread,
                json={"body": FIRST_BODY},
            )
        )
        shown = check("a first answer")
        assert shown["asker (fr)"]["countLabel"] == "réponse"
        assert shown["anonymous (en)"]["countLabel"] == "answer"
        # The asker can accept the answer she was waiting for, without a reload.
        assert "Accepter cette réponse" in shown["asker (fr)"]["answers"][0]["controls"]
        assert "Helpful0 [false]" in shown["member (en)"]["answers"][0]["controls"]

        second = ok(
            api(server, tokens["hr"]).post(
                thread,
                json={"body": SECOND_BODY},
            )
        )
        shown = check("an answer from verified HR staff")
        # Verified staff rank first, badge and all, as on a reload.
        assert [a["id"] for a in shown["member (en)"]["answers"]] == [str(second["id"]), str(first["id"])]
        assert shown["member (en)"]["answers"][0]["badges"]
        assert shown["asker (fr)"]["count"] == "2"
        assert shown["asker (fr)"]["countLabel"] == "réponses"

        ok(api(server, tokens["member"]).post(f"/api/v1/answers/{first['id']}/vote/"))
        shown = check("a vote")
        assert (
            "Helpful1 [true]"
            in next(a for a in shown["member (en)"]["answers"] if a["id"] == str(first["id"]))["controls"]
        )

        # The asker accepts the live-inserted answer from her live page.
        article = asker.live.locator(f"#answer-{first['id']}")
        article.get_by_role("button", name="Accepter cette réponse").click()
        asker.live.wait_for_selector(f"#answer-{first['id']}.is-accepted")
        asker.open_live()
        shown = check("an accept")
        assert shown["anonymous (en)"]["answers"][0]["id"] == str(first["id"])
        assert shown["anonymous (en)"]["answers"][0]["accepted"]

        ok(
            api(server, tokens["hr"]).patch(
                f"/api/v1/answers/{second['id']}/",
                json={"body": "Côté RH : vérifie la convention collective de ta branche, elle peut prévoir mieux."},
            )
        )
        shown = check("an edit")
        assert "convention collective" in shown["member (en)"]["answers"][1]["body"]

        ok(
            api(server, tokens["moderator"]).post(
                f"/api/v1/answers/{second['id']}/hide/", json={"clause": "misleading", "note": "Source à préciser."}
            )
        )
        shown = check("a moderator hiding an answer")
        assert [a["id"] for a in shown["anonymous (en)"]["answers"]] == [str(first["id"])]
        assert shown["anonymous (en)"]["count"] == "1"
        assert str(second["id"]) in [a["id"] for a in shown["moderator (fr)"]["answers"]]

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        readers[3].live.screenshot(path=str(SCREENSHOTS / "live-equals-reload-moderator-390x844.png"), full_page=True)
        readers[2].live.screenshot(path=str(SCREENSHOTS / "live-equals-reload-member-390x844.png"), full_page=True)
