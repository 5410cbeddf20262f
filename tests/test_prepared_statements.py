"""PostgreSQL plans the hot queries once per connection (config/settings.py,
`DB_PREPARED_STATEMENTS`): values travel apart from the SQL, and a query run
5 times on a connection is prepared there. Off, the same query is planned
each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from forum import queries
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[1]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_unread_count_run_on_every_page_is_prepared_on_its_connection(student):
    require_postgres()
    for _ in range(6):
        assert queries.unread_notification_count(student) == 0

    counts = [s for s in prepared_statements() if '"forum_notification"' in s and "COUNT" in s]
    assert len(counts) == 1
    assert "$1" in counts[0]  # the member's id is a parameter, not written into the SQL


def options_with(**variables: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DB_PREPARED_STATEMENTS"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **variables)
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_they_can_be_turned_off_for_a_pooler_that_cannot_keep_them():
    require_postgres()
    on = options_with()
    off = options_with(DB_PREPARED_STATEMENTS="0")

    assert (on["server_side_binding"], on["prepare_threshold"]) == (True, 5)
    assert "server_side_binding" not in off
    assert "prepare_threshold" not in off
