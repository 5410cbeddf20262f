"""The image's HTTP server (granian) behind the project's Varnish (deploy/varnish/), as the
compose stack runs them, for tests on the test database
(tests/test_http_cache.py, tests/test_browser_http_cache.py)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.varnish import VarnishProcess
from forum import http_cache
from tests.support.requirements import require_postgres, require_redis, require_varnish
from tests.support.server import ServerProcess

# The second ban of each write, this long after the first, from this process
# and the server (a test's one-page renders are short: HTTP_CACHE_REBAN_MS).
REBAN_MS = 300


def settle() -> None:
    """Until the second ban of every write so far has gone (forum/http_cache.py
    sends each twice): a page cached before it would be banned by it."""
    time.sleep(http_cache.reban_seconds() + 0.3)


def web_behind_cache(start_server_process, workdir, settings, **env: str) -> VarnishProcess:
    """Started; stop it at the end of the test. This process's writes ban its
    pages too (`settings.HTTP_CACHE_BAN_URLS`), as any web process's do.
    `env`: more settings for the server (`HTTP_CACHE_SECONDS="2"`)."""
    require_postgres()
    redis_url = require_redis()
    require_varnish()
    varnish = VarnishProcess(upstreams=[], workdir=workdir)
    # The server needs the ban address, the cache needs the server's: the
    # ports are chosen before either starts.
    web = start_server_process(name="http", server="http", extra_env=_web_env(varnish, redis_url) | env)
    _start_in_front(varnish, web)
    use_cache(varnish, settings)
    return varnish


@contextmanager
def shared_web_behind_cache(workdir: Path) -> Iterator[VarnishProcess]:
    """The same, started once for a module's tests (starting both costs
    seconds); each test calls `use_cache`. The server sees what each test
    commits and forgets nothing of an earlier one that a test could see: the
    test database is emptied, the shared cache cleared (conftest.py), and
    Varnish banned (`use_cache`)."""
    require_postgres()
    redis_url = require_redis()
    require_varnish()
    varnish = VarnishProcess(upstreams=[], workdir=workdir / "varnish")
    web = ServerProcess(outbox=workdir / "outbox-http", server="http", extra_env=_web_env(varnish, redis_url))
    web.start()
    try:
        _start_in_front(varnish, web)
        yield varnish
    finally:
        varnish.stop()
        web.stop()


def use_cache(varnish: VarnishProcess, settings) -> None:
    """This test's writes ban the cache's pages (`settings`: pytest-django's
    fixture), which start empty; the server is started again if a test
    stopped it."""
    if varnish.web.process is None:
        varnish.web.start()
        varnish.wait_backends_healthy()
    settings.HTTP_CACHE_BAN_URLS = [varnish.ban_url]
    settings.HTTP_CACHE_REBAN_MS = REBAN_MS
    http_cache.send_ban(varnish.ban_url, http_cache.BAN_EVERYTHING)
    settle()  # the server's bans as it started, an earlier test's second bans


def _web_env(varnish: VarnishProcess, redis_url: str) -> dict[str, str]:
    return {
        "REDIS_URL": redis_url,
        "HTTP_CACHE_BAN_URLS": varnish.ban_url,
        "TRUSTED_PROXY_COUNT": "2",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "HTTP_CACHE_REBAN_MS": str(REBAN_MS),
    }


def _start_in_front(varnish: VarnishProcess, web: ServerProcess) -> None:
    # For a test that stops the application behind the cache.
    varnish.web = web
    varnish.upstreams = [f"127.0.0.1:{web.port}"]
    varnish.start()
    varnish.wait_backends_healthy()
