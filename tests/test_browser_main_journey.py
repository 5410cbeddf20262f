"""The main journey in a real browser against a real server process: sign up
with the charter, confirm the e-mail from the outbox, ask a question with two
tags, another member answers, the asker accepts, the home page shows it solved.

Selectors use names and attributes, never visible text: the text is French
and may be reworded."""

import email
import re
from email import policy

import pytest

from forum.models import Question, User
from tests.factories import make_user
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.server]

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def live_server_env():
    # The journey is the core of the forum: a newcomer's first posts are not
    # held for review here (pre-moderation has its own tests and journey).
    return {"FORUM_PREMODERATE_FIRST_POSTS": "0"}


def confirmation_links(server: ServerProcess) -> list[str]:
    """Links to confirm an address, read from the file outbox. Messages are
    parsed, so an encoded body (quoted-printable, base64) is decoded first."""
    links = []
    for dump in server.read_emails():
        for raw in re.split(r"^-{79}$", dump, flags=re.MULTILINE):
            if not raw.strip():
                continue
            message = email.message_from_string(raw.strip(), policy=policy.default)
            body = message.get_body(preferencelist=("plain", "html"))
            text = body.get_content() if body is not None else ""
            links += re.findall(r"https?://\S+/comptes/confirm-email/[\w:-]+/", text)
    return links


def log_in(page, server, username: str, password: str) -> None:
    page.goto(f"{server.url}/comptes/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_selector(".menu__button")


def log_out(page) -> None:
    page.locator(".menu__button").click()
    page.locator(".menu__panel form[action$='/comptes/logout/'] button").click()
    page.wait_for_selector(".site-nav a[href^='/comptes/login/']")


def test_sign_up_ask_get_an_answer_accept_it_and_see_it_solved(chromium, live_server_process):
    make_user(username="bob", display_name="Bob", password=PASSWORD)

    page = chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    page.set_default_timeout(15_000)

    # Sign up, accepting the charter.
    page.goto(f"{live_server_process.url}/comptes/signup/")
    page.fill("#id_display_name", "Nora")
    page.fill("#id_email", "nora@example.org")
    page.fill("#id_username", "nora")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.select_option("select[name=role]", "apprentice")
    page.fill("#id_school", "BTS SIO · CFA de Rennes")
    page.check("#id_charter")
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_url("**/comptes/confirm-email/")

    # Confirm the address from the e-mail.
    links = confirmation_links(live_server_process)
    assert len(links) == 1
    page.goto(links[0])
    page.locator("form.auth-form button[type=submit]").click()
    page.wait_for_selector(".menu__button")  # confirming logs in

    # Ask a question with two tags.
    page.locator(".site-nav__ask").click()
    page.fill("#id_title", "Mon employeur peut-il changer mon rythme en cours d'année ?")
    page.fill("#id_body", "Je suis en BTS SIO en alternance et mon manager veut passer à une semaine sur deux.")
    page.fill("#id_tags", "BTS, Rythme")
    page.locator(".question-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/questions/\d+/[a-z0-9-]+/$"))
    thread_url = page.url
    assert page.locator(".question__body").count() == 1
    assert page.locator(".question .tags .tag").all_inner_texts() == ["bts", "rythme"]
    log_out(page)

    # Another member answers.
    log_in(page, live_server_process, "bob", PASSWORD)
    page.goto(thread_url)
    page.fill("#id_body", "Il faut un avenant signé par le CFA, l'entreprise et toi : il ne peut pas décider seul.")
    page.locator("#answer-form .form-actions button[type=submit]").click()
    page.wait_for_selector("article.answer")
    log_out(page)

    # The asker accepts it.
    log_in(page, live_server_process, "nora", PASSWORD)
    page.goto(thread_url)
    page.locator("article.answer form[action$='/accepter/'] button").click()
    page.wait_for_selector("article.answer.is-accepted")
    assert page.locator("[data-thread-status]").first.get_attribute("data-status") == "solved"

    # The home page shows it solved.
    page.goto(live_server_process.url + "/")
    question_id = re.search(r"/questions/(\d+)/", thread_url).group(1)
    row = page.locator(f"li[data-question-id='{question_id}']")
    assert row.locator("[data-thread-status]").get_attribute("data-status") == "solved"
    assert row.locator("[data-answer-count]").inner_text() == "1"

    nora = User.objects.get(username="nora")
    assert nora.charter_accepted_at is not None
    assert nora.display_name == "Nora"
    question = Question.objects.get(author=nora)
    assert sorted(question.tags.names()) == ["bts", "rythme"]
    assert question.accepted_answer.author.username == "bob"
