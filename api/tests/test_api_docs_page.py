"""/api/docs/ renders in a real browser with nothing but this server."""

import os
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_the_api_docs_render_offline_with_every_operation(chromium, live_server_process, tmp_path):
    foreign = []

    def only_this_server(route):
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", only_this_server)
    page.goto(f"{live_server_process.url}/api/docs/")
    page.wait_for_selector(".opblock-summary", timeout=15_000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    # The accounts API has its own schema, linked from the description.
    accounts_links = page.locator('a[href="/_allauth/openapi.json"]').count()
    page.screenshot(path=str(os.environ.get("API_DOCS_SCREENSHOT", tmp_path / "api-docs.png")))
    page.close()

    assert foreign == []
    assert any("/api/v1/threads/" in text for text in operations)
    assert any("/api/v1/auth/token/" in text for text in operations)
    assert accounts_links == 1
