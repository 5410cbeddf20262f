"""A real server process on the test database: uvicorn (ASGI, HTTP and
websockets, as `./dev serve` and the image's ROLE=ws/all), or the image's
HTTP server (granian, config/http_server.py: WSGI, HTTP only, ROLE=http) with
`server="http"`.

Browser and multi-process tests talk to it over loopback exactly as a user or
the mobile app would. Data must be committed to be seen, so tests using it ask
for `transactional_db`.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.processes import free_port, stop

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = settings.DATABASES["default"]
    name = connection.settings_dict["NAME"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(name).resolve()}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


class ServerProcess:
    def __init__(
        self, *, outbox: Path, port: int | None = None, extra_env: dict | None = None, server: str = "uvicorn"
    ):
        if server not in ("uvicorn", "http"):
            raise ValueError(f"server must be uvicorn or http, got {server!r}")
        self.server = server
        self.port = port or free_port()
        self.outbox = outbox
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = outbox.parent / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": database_url(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.outbox),
                "DISABLE_ACCOUNT_RATE_LIMITS": "1",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DEBUG": "0",
                # The test process's key: sessions and signatures it made must be valid here.
                "SECRET_KEY": settings.SECRET_KEY,
                "PYTHONUNBUFFERED": "1",
                "PORT": str(self.port),
                "WEB_CONCURRENCY": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def command(self) -> list[str]:
        if self.server == "http":
            # The image's HTTP command (docker/entrypoint.sh); PORT and
            # WEB_CONCURRENCY come from env().
            return [sys.executable, "-m", "config.http_server"]
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ws",
            "websockets-sansio",
            "--ws-max-size",
            "65536",
            "--ws-per-message-deflate",
            "false",
            "--no-access-log",
            # uvicorn closes idle keep-alive connections after 5 s; a test
            # client that reuses one just then gets "connection reset"
            # (seen on a loaded machine between two steps of the mobile
            # journey). Longer than any pause between a test's requests.
            "--timeout-keep-alive",
            "120",
        ]

    def start(self) -> "ServerProcess":
        self.outbox.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_ready()
        except BaseException:
            # A server that never answered must not outlive the test: it
            # would keep the test database open for the next run.
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early, see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout}s, see {self.log_path}")

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_once_it_holds(self, text: str, timeout: float = 10) -> str:
        """The server's log once `text` is in it: servers may
        write an access line after the response is sent, so a client can read
        the log before its own request's line is there."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log_path.read_text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not in {self.log_path} after {timeout}s:\n{log[-3000:]}")
            time.sleep(0.05)
        return log

    def read_emails(self) -> list[str]:
        if not self.outbox.exists():
            return []
        return [p.read_text() for p in sorted(self.outbox.glob("*.log"), key=lambda p: p.stat().st_mtime)]
