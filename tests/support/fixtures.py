"""Fixtures for tests that need a real server process or a browser, shared by
every test package (registered by `pytest_plugins` in the root conftest.py).

- `live_server_process`: a started `ServerProcess` on the test database,
  stopped after the test. A module changes the server's settings by
  overriding `live_server_env` (a dict of environment variables).
- `start_server_process`: the factory behind it, for tests that need several
  servers or options per test; every server it starts is stopped at teardown.
- `chromium`: one headless Chromium per module (launching it costs about a
  second per test otherwise); each test opens its own context.

`tests/support/server.py` and `tests/support/browser.py` stay usable directly.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.browser import chromium_browser
from tests.support.server import ServerProcess

StartServer = Callable[..., ServerProcess]


@pytest.fixture
def live_server_env() -> dict[str, str]:
    """Extra environment of `live_server_process`; override it in a module,
    e.g. `return {"FORUM_PREMODERATE_FIRST_POSTS": "0"}`."""
    return {}


@pytest.fixture
def start_server_process(transactional_db, tmp_path: Path) -> Iterator[StartServer]:
    # transactional_db: the server is another process, it sees committed rows only.
    started: list[ServerProcess] = []

    def start(*, name: str = "", extra_env: dict[str, str] | None = None, server: str = "uvicorn") -> ServerProcess:
        outbox = tmp_path / (f"outbox-{name}" if name else "outbox")
        server = ServerProcess(outbox=outbox, extra_env=extra_env, server=server)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def live_server_process(start_server_process: StartServer, live_server_env: dict[str, str]) -> ServerProcess:
    return start_server_process(extra_env=live_server_env)


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API keeps an event loop running in this thread for as
    # long as the browser lives, and Django refuses queries from inside one
    # (SynchronousOnlyOperation). The loop only ever runs Playwright's own
    # calls, one at a time with the test's code, so queries made by the test
    # and its fixtures in between are safe: say so to Django for this module.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium_browser() as browser:
            yield browser
