"""No endpoint of the site, the API or the admin can change or delete an audit
log entry: every route is called with every unsafe method, as a superuser who
is also a moderator, with ids that point at the entries themselves. Entries
may be added (a decision is a decision) but the existing ones stay as they were."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from forum.models import AuditLog
from forum.services import moderation, sanctions, thread_tools
from tests.factories import make_answer, make_moderator, make_question, make_user

UNSAFE = ("post", "put", "patch", "delete")
FORGED = {
    "action": "forged",
    "reason": "forged",
    "target_type": "user",
    "target_id": "1",
    "actor": "1",
    "before": "{}",
    "after": "{}",
    "decision": "approve",
    "clause": "respect",
    "note": "forged",
    "_selected_action": ["1", "2", "3"],
    "post": "yes",
}


def concrete_routes(sample_int: int, sample_text: str) -> list[str]:
    """Every route of the URLconf with its parameters filled in; regex routes
    (catch-alls, static) are tried once with a plain path."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            pattern = entry.pattern
            part = _fill(str(pattern), sample_int, sample_text) if isinstance(pattern, RoutePattern) else ""
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + part)
            elif isinstance(entry, URLPattern):
                routes.append("/" + prefix + part)

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


def _fill(route: str, sample_int: int, sample_text: str) -> str:
    def value(match: re.Match) -> str:
        converter = match.group(1) or "str"
        if converter in {"int", "object_id", "path"}:
            return str(sample_int)
        return sample_text

    return re.sub(r"<(?:(\w+):)?\w+>", value, route)


@pytest.fixture
def entries(db):
    moderator = make_moderator(username="modo")
    member = make_user(username="membre")
    question = make_question(author=member)
    answer = make_answer(author=make_user(), question=question)
    moderation.hide_post(moderator=moderator, post=answer, clause="respect", note="Insulte.")
    thread_tools.set_locked(moderator=moderator, question=question, locked=True, reason="Hors sujet.")
    sanctions.warn_member(moderator=moderator, member=member, clause="respect", message="Attention.")
    return list(AuditLog.objects.order_by("id").values())


def test_no_route_changes_or_deletes_an_audit_entry(entries):
    admin = make_moderator(username="root", is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    tried = 0
    # A route without an id reads the same for every entry: tried once.
    paths = sorted({path for row in entries for path in concrete_routes(row["id"], "membre")})
    for path in paths:
        if "logout" in path:
            continue
        for method in UNSAFE:
            if method == "post":
                getattr(client, method)(path, FORGED)
            else:
                getattr(client, method)(path, FORGED, content_type="application/json")
            tried += 1
        # Some routes log out or rotate the session: stay logged in.
        client.force_login(admin)
    assert tried > 200
    remaining = {row["id"]: row for row in AuditLog.objects.values()}
    for row in entries:
        assert remaining.get(row["id"]) == row
