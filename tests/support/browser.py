"""What every browser test shares: Debian's Chromium driven by Playwright."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.test import Client

from tests.support.requirements import require_chromium

# As root and offline: no sandbox, and none of Chromium's background calls home,
# which this machine's closed network refuses by the dozen.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium_browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def in_another_thread(function, **kwargs):
    """Playwright's sync API runs an event loop in this thread, and Django
    refuses database calls from inside one: read and write from a plain thread.
    That thread's connection goes back to the pool when it is done: left open,
    each call kept one of the test process's pooled connections until the pool
    ran dry ("couldn't get a connection after 10 sec" in later tests)."""

    def run():
        try:
            return function(**kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def session_cookie(user, url: str) -> dict:
    """A logged-in session for `user`, as a cookie a browser context accepts."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }
