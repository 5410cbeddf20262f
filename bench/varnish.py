"""A varnishd process with the project's VCL (deploy/varnish/) in front of
web processes on loopback: what the compose stack runs between Caddy and
granian, for the benchmarks and the tests (tests/test_http_cache.py).

    cache = VarnishProcess(upstreams=["127.0.0.1:8001", "127.0.0.1:8002"], workdir=tmp).start()
    cache.url        # traffic, as the proxy sends it
    cache.ban_url    # HTTP_CACHE_BAN_URLS of the web processes
    cache.stop()

Debian's package: `apt-get install -y varnish` (tools/stack_check.sh installs
it in CI). The package's own service is not used: each process here has its
own working directory and ports.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.processes import free_port, stop

ROOT = Path(__file__).resolve().parents[1]
VCL_DIR = ROOT / "deploy" / "varnish"


def varnishd() -> str | None:
    return shutil.which("varnishd") or next(
        (path for path in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd") if os.path.exists(path)), None
    )


class VarnishProcess:
    def __init__(
        self,
        *,
        upstreams: list[str],
        workdir: Path,
        site_host: str = "localhost",
        health_interval: str = "1s",
        memory: str = "256m",
        threads: tuple[int, int] = (50, 1000),
    ):
        self.upstreams = upstreams
        self.workdir = Path(workdir)
        self.site_host = site_host
        self.health_interval = health_interval
        self.memory = memory
        self.threads = threads
        self.port = free_port()
        self.ban_port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = self.workdir / "varnishd.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ban_url(self) -> str:
        return f"http://127.0.0.1:{self.ban_port}"

    def start(self, timeout: float = 30) -> "VarnishProcess":
        binary = varnishd()
        if binary is None:
            raise RuntimeError("varnishd is not installed (apt-get install -y varnish)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        backends = subprocess.run(
            [str(VCL_DIR / "backends.sh")],
            env={
                **os.environ,
                "WEB_UPSTREAMS": " ".join(self.upstreams),
                "SITE_HOST": self.site_host,
                "HEALTH_INTERVAL": self.health_interval,
            },
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        (self.workdir / "backends.vcl").write_text(backends)
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            [
                binary,
                "-F",
                # No jail: the process runs as whoever starts it, in its own directory.
                "-j",
                "none",
                "-n",
                str(self.workdir / "instance"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-a",
                f"purge=127.0.0.1:{self.ban_port}",
                "-p",
                f"vcl_path={self.workdir}:{VCL_DIR}",
                # Under the web server's keep-alive (granian's idle
                # connections last 30 s): a connection it closed is never
                # reused (compose.yaml runs the cache the same way).
                "-p",
                "backend_idle_timeout=4s",
                "-p",
                f"thread_pool_min={self.threads[0]}",
                "-p",
                f"thread_pool_max={self.threads[1]}",
                "-f",
                str(VCL_DIR / "default.vcl"),
                "-s",
                f"malloc,{self.memory}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"varnishd did not listen within {timeout}s") from None
                time.sleep(0.1)
        return self

    def wait_backends_healthy(self, path: str = "/readyz", timeout: float = 30) -> None:
        """Until a request through the cache reaches a ready web process (the
        probes' first rounds)."""
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(self.url + path, headers={"Host": self.site_host})
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"no ready web process behind varnishd within {timeout}s")
            time.sleep(0.2)

    def stop(self) -> None:
        stop(self.process)
        self.process = None
