"""Private Redis and PostgreSQL servers that a fault test may stop and restart.

The machine's own Redis and PostgreSQL serve every other test running in
parallel (and other people's work): a fault test never touches them. Each of
these starts its own server on a free port with its data in a temporary
folder, and is stopped with the test. Missing binaries skip (fail under CI),
like tests/support/requirements.py.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from tests.support.requirements import _missing
from tests.support.server import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        binary = shutil.which("redis-server")
        if binary is None:
            _missing("redis-server is not installed (apt-get install -y redis-server)")
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="private-redis-"))

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_connect_timeout=0.5).ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"private redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a frozen server cannot handle SIGTERM
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def freeze(self) -> None:
        """A server that hangs instead of refusing (a network partition, a
        stalled VM): connections stay open and nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivatePostgres:
    """A throwaway cluster owned by the `postgres` system user (initdb refuses
    root), listening on loopback and a socket folder of its own."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists():
            _missing(f"PostgreSQL server binaries not found in {PG_BIN} (PG_BIN)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="private-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        shutil.chown(self.folder, "postgres", "postgres")

    def _as_postgres(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> "PrivatePostgres":
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync")
        return self

    def start(self) -> None:
        self._as_postgres(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def copy_database(self, *, source_url: str, name: str) -> str:
        """A copy of `source_url` (schema and rows) as database `name` here."""
        self._as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), name)
        dump = subprocess.run(["pg_dump", "--no-owner", source_url], check=True, capture_output=True)
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)], input=dump.stdout, check=True, capture_output=True
        )
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
