"""deploy/Caddyfile against real web processes: the proxy sends traffic only to
processes whose /readyz answers 200, and fails open when none does, since a
cause shared by all of them (Redis down) still leaves pages servable.

A web process is made unready without touching the shared Redis: its
REDIS_URL names a loopback port nothing listens on."""

import os
import socket
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.support.requirements import require_tool
from tests.support.server import free_port

pytestmark = [pytest.mark.server]

ROOT = Path(__file__).resolve().parents[1]
HEALTH_INTERVAL_SECONDS = 1


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def start_proxy(tmp_path):
    caddy = require_tool("caddy", "caddy")
    started: list[subprocess.Popen] = []

    def start(*upstreams) -> httpx.Client:
        https_port = free_port()
        env = {
            **os.environ,
            "XDG_DATA_HOME": str(tmp_path / "caddy"),
            "XDG_CONFIG_HOME": str(tmp_path / "caddy"),
            "SITE_HOST": "localhost",
            "TLS": "internal",
            "HTTP_PORT": str(free_port()),
            "HTTPS_PORT": str(https_port),
            "HEALTH_INTERVAL": f"{HEALTH_INTERVAL_SECONDS}s",
            "WEB_UPSTREAMS": " ".join(f"127.0.0.1:{server.port}" for server in upstreams),
            # These processes (uvicorn) serve websockets too.
            "WS_UPSTREAMS": " ".join(f"127.0.0.1:{server.port}" for server in upstreams),
            "STATIC_DIR": str(tmp_path),
        }
        log = open(tmp_path / "caddy.log", "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        process = subprocess.Popen(
            [caddy, "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        root_certificate = tmp_path / "caddy" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 30
        while not root_certificate.exists() or not _answers(https_port, root_certificate):
            assert process.poll() is None, (tmp_path / "caddy.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the proxy never answered"
            time.sleep(0.2)
        # Two rounds of active health checks: each upstream has been asked.
        time.sleep(2 * HEALTH_INTERVAL_SECONDS + 0.5)
        trust = ssl.create_default_context(cafile=str(root_certificate))
        return httpx.Client(base_url=f"https://localhost:{https_port}", verify=trust, timeout=20)

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def _answers(port: int, root_certificate: Path) -> bool:
    try:
        trust = ssl.create_default_context(cafile=str(root_certificate))
        # A static path: the proxy answers it without any web process.
        httpx.get(f"https://localhost:{port}/static/nothing-here", verify=trust, timeout=2)
    except (httpx.HTTPError, OSError):
        return False
    return True


def unready_env() -> dict[str, str]:
    return {"REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0"}


def test_a_process_that_is_not_ready_gets_no_traffic(start_server_process, start_proxy):
    ready = start_server_process(name="ready", extra_env={"REDIS_URL": ""})
    unready = start_server_process(name="unready", extra_env=unready_env())
    assert httpx.get(unready.url + "/readyz", timeout=20).status_code == 503

    proxy = start_proxy(ready, unready)
    statuses = [proxy.get("/readyz").status_code for _ in range(10)]

    # Round robin over both would have sent five of these to the unready one.
    assert statuses == [200] * 10


def test_when_no_process_is_ready_the_proxy_fails_open(start_server_process, start_proxy):
    first = start_server_process(name="first", extra_env=unready_env())
    second = start_server_process(name="second", extra_env=unready_env())

    proxy = start_proxy(first, second)
    page = proxy.get("/")
    readiness = proxy.get("/readyz")

    # Without Redis the pages are still rendered from the database...
    assert page.status_code == 200
    assert "Alternance" in page.text
    # ...and the process's own answer says why it is not ready.
    assert readiness.status_code == 503
    assert readiness.json()["failing"] == ["redis"]
