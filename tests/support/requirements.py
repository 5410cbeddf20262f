"""Tests that need PostgreSQL, Redis or Chromium skip with a reason on a laptop
without them; under CI (CI=true) a missing service is a failure, not a skip."""

import os
import shutil
import socket

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("the playwright package is not installed")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


def require_postgres() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _missing("DATABASE_URL does not point at PostgreSQL")


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        _missing("REDIS_URL is not set")
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2):
            pass
    except OSError as exc:
        _missing(f"Redis at {url} is unreachable: {exc}")
    return url


def require_tool(command: str, package: str) -> str:
    """The path of `command`, a tool from Debian's `package` (tools/stack_check.sh
    installs the stack's tools before the suite runs in CI)."""
    path = shutil.which(command)
    if not path:
        _missing(f"{command} is not installed (apt-get install -y {package})")
    return path


def require_varnish() -> str:
    # varnishd is in /usr/sbin, which a non-login shell's PATH may lack.
    from bench.varnish import varnishd

    path = varnishd()
    if path is None:
        _missing("varnishd is not installed (apt-get install -y varnish)")
    return path
