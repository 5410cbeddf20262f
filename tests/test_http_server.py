"""The image's HTTP server (config/http_server.py, granian): its options come
from the environment as documented, and it does what gunicorn's arbiter did
for us: a worker that dies is replaced, and SIGTERM stops it cleanly."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from bench.run import children
from config.http_server import server_options


def test_the_options_default_as_the_image_documents():
    options = server_options({})

    assert (options["address"], options["port"]) == ("0.0.0.0", 8000)
    assert options["workers"] == 2
    assert options["blocking_threads"] == 4
    assert options["workers_kill_timeout"] == 8
    assert options["workers_max_rss"] is None
    assert options["respawn_failed_workers"] is True
    assert options["websockets"] is False


def test_the_options_follow_the_environment():
    options = server_options(
        {"PORT": "9000", "WEB_CONCURRENCY": "3", "WEB_THREADS": "6", "GRACEFUL_TIMEOUT": "20", "WORKER_MAX_RSS": "512"}
    )

    assert (options["port"], options["workers"], options["blocking_threads"]) == (9000, 3, 6)
    assert (options["workers_kill_timeout"], options["workers_max_rss"]) == (20, 512)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEB_THREADS", "four", "WEB_THREADS must be an integer, got 'four'"),
        ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY must be at least 1, got 0"),
        ("WORKER_MAX_RSS", "-1", "WORKER_MAX_RSS must be at least 0, got -1"),
        (
            "MAX_REQUESTS",
            "1500",
            "MAX_REQUESTS was gunicorn's and is not read any more: set WORKER_MAX_RSS (MiB) instead",
        ),  # noqa: E501
    ],
)
def test_a_wrong_value_stops_the_server_with_a_clear_message(name, value, message):
    with pytest.raises(SystemExit) as stopped:
        server_options({name: value})

    assert str(stopped.value) == message


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.server
def test_a_worker_that_dies_is_replaced(start_server_process):
    server = start_server_process(name="http", server="http")
    (worker,) = children(server.process.pid)

    os.kill(worker, signal.SIGKILL)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        replacement = [pid for pid in children(server.process.pid) if pid != worker]
        if replacement and _healthy(server.url):
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"no worker answered after worker {worker} was killed:\n{server.log_path.read_text()}")
    assert server.process.poll() is None


@pytest.mark.server
def test_sigterm_stops_the_server_and_its_workers(start_server_process):
    server = start_server_process(name="http", server="http")
    (worker,) = children(server.process.pid)

    server.process.send_signal(signal.SIGTERM)

    try:
        assert server.process.wait(timeout=15) == 0
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running 15 s after SIGTERM:\n{server.log_path.read_text()}") from None
    assert not os.path.exists(f"/proc/{worker}")
