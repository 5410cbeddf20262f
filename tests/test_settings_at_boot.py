"""A bad setting stops the process at start with the variable's name, rather
than a 500 on the first request that meets it (config/settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The variables a test run sets for itself, dropped so each case starts clean.
RUN_VARIABLES = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}


def start(command: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in RUN_VARIABLES and not k.startswith("THROTTLE_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


SETUP = ["-c", "import django; django.setup()"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe", "SECRET_KEY": "k" * 50}, "DEBUG must be a boolean"),
        ({"DEBUG": "0"}, "SECRET_KEY is not set"),
        ({"DEBUG": "1", "THROTTLE_ASK": "10/fortnight"}, "THROTTLE_ASK must be a rate"),
        ({"DEBUG": "1", "FORUM_FLAGS_TO_HIDE": "0"}, "FORUM_FLAGS_TO_HIDE must be at least 1"),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL must be a"),
    ],
    ids=["debug-maybe", "no-secret-key", "bad-throttle-rate", "flags-to-hide-zero", "log-level", "redis-url"],
)
def test_it_refuses_to_start_with_a_bad_setting_naming_the_variable(tmp_path, variables, message):
    result = start(SETUP, tmp_path, **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_manage_py_check_refuses_to_start_without_a_secret_key(tmp_path):
    result = start(["manage.py", "check"], tmp_path, DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_with_a_key_and_creates_no_folder_on_import(tmp_path):
    show = (
        "import django; django.setup(); from django.conf import settings; print(settings.VAR_DIR, settings.STATIC_ROOT)"
    )

    result = start(["-c", show], tmp_path, SECRET_KEY="k" * 50, DEBUG="0", STATIC_ROOT=str(tmp_path / "static"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "var"), str(tmp_path / "static")]
    assert list(tmp_path.iterdir()) == []
