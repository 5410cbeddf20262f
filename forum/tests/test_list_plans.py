"""Every list ordering is served by an index, for anonymous readers and for
members (whose visibility filter is `published OR mine OR moderator`): the
rows come in order from the index and no step sorts the table. On a small test
database the planner would rather scan and sort, so both are priced out;
what is checked is that an index *can* give the order. At 100,000
questions the difference was a sort of the whole table per request (360 ms for a
member's "votes" list; docs/performance.md)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import queries
from tests.factories import make_question
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.postgres

ORDERINGS = ("activity", "newest", "votes", "oldest")


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Scans and sorts priced out: a sort left in the plan means no index gives the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_a_list_ordering_comes_from_an_index(db, who, ordering, student):
    require_postgres()
    make_question(author=student)
    user = student if who == "member" else AnonymousUser()
    listed = queries.question_list(user, ordering=ordering)[:20]

    explained = plan(listed)

    assert "Index" in explained, explained
    # An incremental sort only orders the ties of an index's order (a member's
    # "oldest": the created_at index, then the id); a full sort reads everything.
    assert not re.search(r"(^|->)\s*Sort\s+\(cost", explained, re.MULTILINE), explained


def test_member_suggestions_read_the_username_prefix_index(db, student):
    """The @mention autocomplete finds members by case-insensitive prefix
    through the expression index of migration 0026 (a walk of 25,000 of 50,000
    members per keystroke without it)."""
    require_postgres()
    with CaptureQueriesContext(connection) as captured:
        assert [member.username for member in queries.member_suggestions("AL")] == ["alice"]
    (query,) = captured.captured_queries

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query["sql"])
        explained = "\n".join(row[0] for row in cursor.fetchall())

    assert "forum_user_username_upper_prefix" in explained, explained
