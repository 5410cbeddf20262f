"""Rotating SECRET_KEY logs nobody out when the old key moves to
SECRET_KEY_FALLBACKS: what it signed still verifies, anything new is signed
with the new key (docs/operations.md, "Rotate secrets")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_KEY = "old-" + "o" * 50
NEW_KEY = "new-" + "n" * 50
SIGN = "import django; django.setup(); from django.core import signing; print(signing.dumps({'member': 42}))"
LOAD = (
    "import sys, django; django.setup(); from django.core import signing; print(signing.loads(sys.argv[1])['member'])"
)


def run(code: str, *args: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", VAR_DIR=str(tmp_path / "var"), **variables)
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_what_the_old_key_signed_verifies_after_rotation_only_while_it_is_a_fallback(tmp_path):
    signed = run(SIGN, tmp_path=tmp_path, SECRET_KEY=OLD_KEY)
    assert signed.returncode == 0, signed.stderr
    token = signed.stdout.strip()

    rotated = run(LOAD, token, tmp_path=tmp_path, SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=OLD_KEY)
    retired = run(LOAD, token, tmp_path=tmp_path, SECRET_KEY=NEW_KEY)

    assert (rotated.returncode, rotated.stdout.strip()) == (0, "42"), rotated.stderr
    assert retired.returncode != 0
    assert "BadSignature" in retired.stderr
