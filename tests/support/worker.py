"""The real notifications worker (`manage.py notifications_worker`) as a
process on the test database, like `server.py` does for uvicorn."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from bench.processes import stop
from tests.support.server import ROOT, database_url


class WorkerProcess:
    def __init__(self, *, outbox: Path, email_backend: str = "django.core.mail.backends.filebased.EmailBackend"):
        self.outbox = outbox
        self.email_backend = email_backend
        self.process: subprocess.Popen | None = None
        self.log_path = outbox.parent / "worker.log"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DATABASE_URL": database_url(),
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
                "EMAIL_BACKEND": self.email_backend,
                "EMAIL_FILE_PATH": str(self.outbox),
                "SECRET_KEY": settings.SECRET_KEY,
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> "WorkerProcess":
        self.outbox.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "notifications_worker", "--interval", "0.2", "--period", "1"],
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown, as when a machine dies."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def messages(self) -> list[str]:
        """Every email written to the outbox, one string each."""
        found = []
        for path in sorted(self.outbox.glob("*.log")):
            found += [part for part in path.read_text().split("-" * 79) if part.strip()]
        return found
