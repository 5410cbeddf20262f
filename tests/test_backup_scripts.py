"""tools/backup.sh and tools/restore.sh on the test database. The full round
trip (seeded database, dump, restore into a new one, same row count in every
table) is CI's tools/stack_check.sh; these pin the scripts' safety rules."""

import stat
import subprocess
from pathlib import Path

import pytest

from tests.support.requirements import require_postgres, require_tool
from tests.support.server import database_url

pytestmark = [pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def postgres_url(db) -> str:
    require_postgres()
    for tool in ("pg_dump", "pg_restore", "psql"):
        require_tool(tool, "postgresql-client")
    return database_url()


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "tools" / script), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_a_backup_is_a_complete_custom_format_dump_readable_by_its_owner_only(postgres_url, tmp_path):
    dump = tmp_path / "alternance.dump"

    result = run("backup.sh", postgres_url, str(dump))

    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [dump]  # no .partial left behind
    listing = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public forum_answer" in listing
    assert "TABLE DATA public django_migrations" in listing


def test_a_restore_refuses_a_database_that_already_has_tables(postgres_url, tmp_path):
    dump = tmp_path / "alternance.dump"
    assert run("backup.sh", postgres_url, str(dump)).returncode == 0

    # The test database is the live one here: a restore must never land on it.
    result = run("restore.sh", str(dump), postgres_url)

    assert result.returncode == 1
    assert "already has" in result.stderr
    assert "restore into a new, empty one" in result.stderr


def test_the_scripts_explain_their_arguments():
    for script in ("backup.sh", "restore.sh"):
        result = run(script)
        assert result.returncode == 2
        assert result.stderr.startswith("usage:")
