"""The Content-Security-Policy holds on every main page in a real Chromium
(security review, finding 10): no violation and no console error on the home,
thread, ask, tag, profile, login, sign-up and organisation pages, the
moderation queue and journal as a moderator, and the API docs (Swagger UI)."""

import pytest

from tests.badge_factories import make_organisation
from tests.factories import make_answer, make_moderator, make_question, make_user
from tests.support.browser import chromium_browser, session_cookie
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Recorded before any page script runs (an init script is not subject to the policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def server(transactional_db, tmp_path):
    server = ServerProcess(outbox=tmp_path / "outbox").start()
    yield server
    server.stop()


def visit_all(browser, cookie: dict | None, urls: list[str], *, wait_for: dict[str, str]) -> list[str]:
    context = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    if cookie:
        context.add_cookies([cookie])
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        policy = response.headers["content-security-policy"]
        # Django adds the nonce to the header only on pages that used {{ csp_nonce }}.
        assert "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        if url in wait_for:
            page.wait_for_selector(wait_for[url])
        page.wait_for_load_state("networkidle")
        problems += [f"{url}: {violation}" for violation in page.evaluate("window.__cspViolations")]
    context.close()
    return problems


def test_no_page_breaks_the_content_security_policy(server):
    student = make_user(username="lea", display_name="Léa")
    moderator = make_moderator(username="demo-mod", display_name="Modération")
    question = make_question(author=student, title="Combien de jours de congés en alternance ?", tags=("bts",))
    make_answer(author=make_user(username="sam"), question=question, body="Cinq semaines, comme tout salarié.")
    organisation = make_organisation(moderator=moderator, name="Banque Exemple")
    base = server.url
    # Before Playwright starts its event loop, inside which Django refuses database calls.
    student_cookie, moderator_cookie = session_cookie(student, base), session_cookie(moderator, base)

    with chromium_browser() as browser:
        problems = visit_all(
            browser,
            None,
            [
                f"{base}/",
                f"{base}{question.get_absolute_url()}",
                f"{base}/tags/bts/",
                f"{base}/recherche/?q=conges",
                f"{base}/membres/lea/",
                f"{base}/comptes/login/",
                f"{base}/comptes/signup/",
                f"{base}{organisation.get_absolute_url()}",
                f"{base}/api/docs/",
            ],
            # Swagger UI renders the operations from the schema with scripts.
            wait_for={f"{base}/api/docs/": ".opblock"},
        )
        problems += visit_all(browser, student_cookie, [f"{base}/questions/poser/"], wait_for={})
        problems += visit_all(
            browser,
            moderator_cookie,
            [f"{base}/moderation/", f"{base}/moderation/journal/"],
            wait_for={},
        )

    assert problems == []
