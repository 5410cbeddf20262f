"""/api/docs/ renders in a real browser with nothing but this server."""

import os
from urllib.parse import urlsplit

import pytest

from tests.support.browser import CHROMIUM_ARGS
from tests.support.requirements import require_chromium
from tests.support.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture
def server(transactional_db, tmp_path):
    process = ServerProcess(outbox=tmp_path / "outbox").start()
    yield process
    process.stop()


def test_the_api_docs_render_offline_with_every_operation(server, tmp_path):
    chromium = require_chromium()
    from playwright.sync_api import sync_playwright

    foreign = []

    def only_this_server(route):
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", only_this_server)
            page.goto(f"{server.url}/api/docs/")
            page.wait_for_selector(".opblock-summary", timeout=15_000)
            operations = page.locator(".opblock-summary-path").all_inner_texts()
            page.screenshot(path=str(os.environ.get("API_DOCS_SCREENSHOT", tmp_path / "api-docs.png")))
        finally:
            browser.close()

    assert foreign == []
    assert any("/api/v1/threads/" in text for text in operations)
    assert any("/api/v1/auth/token/" in text for text in operations)
