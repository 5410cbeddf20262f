"""Two people on one thread, in two real browsers: Alice reads her question,
Bob answers it, and Alice sees the answer appear without reloading. Then the
server restarts under her: the page says it is reconnecting, catches up what
was posted while the server was down, and keeps following live."""

import json
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from forum.services.tokens import issue_token
from tests.factories import make_answer, make_question, make_user
from tests.support.browser import in_another_thread, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(live_server_process):
    # The shared server fixture (tests/support/fixtures.py), under this module's name.
    return live_server_process


@pytest.fixture
def browser(chromium):
    # One Chromium for the whole module (tests/support/fixtures.py).
    return chromium


@pytest.fixture
def people(server):
    alice = make_user(username="alice", display_name="Alice")
    bob = make_user(username="bob", display_name="Bob")
    question = make_question(author=alice, title="Peut-on changer d'entreprise en cours d'alternance ?")
    make_answer(author=bob, question=question, body="Oui, avec une rupture d'un commun accord, parles-en au CFA.")
    return {
        "alice": session_cookie(alice, server.url),
        "bob": session_cookie(bob, server.url),
        "bob_user": bob,
        "bob_token": issue_token(user=bob, device_name="test")[1],
        "question": question,
    }


def open_as(browser, cookie: dict, url: str):
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    return page


def live_text(page, key: str) -> str | None:
    """A text live.js writes, as the server translated it into the page (json_script)."""
    return page.evaluate("key => JSON.parse(document.getElementById('live-texts').textContent)[key]", key)


def post_answer_through_the_form(page, body: str) -> None:
    page.locator("#answer-form textarea[name=body]").fill(body)
    page.locator("#answer-form .form-actions button[type=submit]").click()
    page.wait_for_load_state()


def test_a_reader_sees_new_answers_live_and_across_a_server_restart(server, people, browser):
    thread_url = f"{server.url}{people['question'].get_absolute_url()}"
    alice = open_as(browser, people["alice"], thread_url)
    alice.wait_for_selector("body[data-live-state=live]")
    # Marks this very page: it disappears if the page reloads.
    alice.evaluate("window.sameDocument = true")
    assert alice.locator("article.answer").count() == 1
    alice.locator("#answer-form textarea[name=body]").fill("Je réfléchis encore…")

    bob = open_as(browser, people["bob"], thread_url)
    post_answer_through_the_form(bob, "Regarde aussi l'article L6222-18 du Code du travail pour la rupture.")

    new_answer = alice.locator("article.answer").nth(1)
    new_answer.wait_for()
    assert "L6222-18" in new_answer.locator("[data-answer-body]").inner_text()
    assert new_answer.locator("[data-author-name]").inner_text() == "Bob"
    assert alice.locator("[data-answer-count]").first.inner_text() == "2"
    # The texts come from the page, translated there from the gettext catalogue.
    announced = live_text(alice, "newAnswer").replace("{name}", "Bob")
    assert announced == "Nouvelle réponse de Bob."
    alice.wait_for_function("text => document.getElementById('live-announcer').textContent === text", arg=announced)
    assert alice.evaluate("window.sameDocument") is True
    assert alice.locator("#answer-form textarea[name=body]").input_value() == "Je réfléchis encore…"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    alice.screenshot(path=str(SCREENSHOTS / "live-new-answer-390x844.png"), full_page=True)

    # The server goes down: the page says so, discreetly.
    server.stop()
    alice.wait_for_selector("#live-status:not([hidden])")
    assert alice.locator("#live-status").inner_text() == live_text(alice, "reconnecting") == "Reconnexion…"
    alice.screenshot(path=str(SCREENSHOTS / "live-reconnecting-390x844.png"))
    # Posted while no server was running: only the catch-up can bring it.
    in_another_thread(
        make_answer,
        author=people["bob_user"],
        question=people["question"],
        body="Pendant la coupure : pense à prévenir ton école par écrit.",
    )
    server.start()

    alice.wait_for_selector("text=Pendant la coupure", timeout=40_000)
    alice.wait_for_selector("#live-status", state="hidden")
    # And live again after the restart.
    bob.goto(thread_url)
    post_answer_through_the_form(bob, "Dernier conseil : garde une copie de tous les échanges avec l'entreprise.")
    alice.wait_for_selector("text=garde une copie")

    assert alice.locator("article.answer").count() == 4
    assert alice.locator("[data-answer-count]").first.inner_text() == "4"
    assert alice.evaluate("window.sameDocument") is True
    ids = alice.eval_on_selector_all("article.answer", "els => els.map(e => e.id)")
    assert len(set(ids)) == 4, "an answer was shown twice"
    alice.screenshot(path=str(SCREENSHOTS / "live-after-restart-390x844.png"), full_page=True)


def test_the_home_page_announces_new_questions_and_moves_counters(server, people, browser):
    home = open_as(browser, people["alice"], server.url + "/")
    home.wait_for_selector("body[data-live-state=live]")
    row = home.locator(f'[data-question-id="{people["question"].pk}"]')
    assert row.locator("[data-answer-count]").inner_text() == "1"
    banner = home.locator("[data-new-questions]")
    assert banner.is_hidden()

    # Through the server's REST API, as the mobile app would: the events are
    # made in the server process (whose in-memory layer this test cannot reach).
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {people['bob_token']}"})
    for title in ("Faut-il un permis pour une alternance en BTP ?", "Comment négocier son salaire d'alternant ?"):
        body = f"Je me pose la question suivante : {title} Merci pour vos retours d'expérience."
        response = api.post("/api/v1/threads/", json={"title": title, "body": body, "tags": ["btp"]})
        assert response.status_code == 201, response.text
    response = api.post(
        f"/api/v1/threads/{people['question'].pk}/answers/",
        json={"body": "Oui, et demande l'avis de ton CFA avant de signer quoi que ce soit."},
    )
    assert response.status_code == 201, response.text

    banner.wait_for(state="visible")
    home.wait_for_function("el => el.textContent.includes('2')", arg=banner.element_handle())
    home.wait_for_function("el => el.textContent === '2'", arg=row.locator("[data-answer-count]").element_handle())
    assert home.locator("[data-question-id]").count() == 1, "new questions wait behind the banner"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    home.screenshot(path=str(SCREENSHOTS / "live-home-new-questions-390x844.png"))


def test_a_page_applies_every_frame_of_a_batch(server, people, browser):
    """live.js asks for batches (docs/websocket.md, "Batches"). Whether two
    events come together depends on the server's load, so the route below
    makes sure they do: it forwards the server's real frames, but holds the
    first event until the second arrives and hands both over as one batch,
    as a busy server would."""
    thread_url = f"{server.url}{people['question'].get_absolute_url()}"
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    context.add_cookies([people["alice"]])
    page = context.new_page()
    sockets, batches = [], []

    def route(ws):
        sockets.append(ws.url)
        upstream = ws.connect_to_server()
        held: list[dict] = []

        def from_server(message):
            parsed = json.loads(message)
            frames = parsed if isinstance(parsed, list) else [parsed]
            if not any(frame.get("type") == "event" for frame in frames):
                ws.send(message)
                return
            held.extend(frames)
            if len(held) >= 2:
                batches.append([frame["cursor"] for frame in held])
                ws.send(json.dumps(held))
                held.clear()

        upstream.on_message(from_server)

    page.route_web_socket(lambda url: "/ws/" in url, route)
    page.goto(thread_url)
    page.wait_for_selector("body[data-live-state=live]")

    for body in ("Premier conseil : demande le calendrier du CFA.", "Second conseil : note tes horaires."):
        in_another_thread(make_answer, author=people["bob_user"], question=people["question"], body=body)
    page.wait_for_selector("text=Second conseil")

    assert sockets
    assert all("batch=1" in url for url in sockets)
    assert batches, "no batch reached the page"
    assert page.locator("article.answer").count() == 3
    assert "Premier conseil" in page.locator("article.answer").nth(1).inner_text()
    assert page.locator("[data-answer-count]").first.inner_text() == "3"
