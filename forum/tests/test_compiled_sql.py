"""Queries built once and run as SQL (forum.compiled_sql) give the rows the ORM
gives, for each call's own values: the composer's charter hints for members in
every state, and a page version's newest event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import charter, compiled_sql, page_versions
from forum.models import Event, User
from forum.services.charter import dismiss_hints
from forum.services.moderation import hide_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def on_postgres(db):
    require_postgres()


def test_the_hints_row_is_the_orms_for_members_in_every_state(student, other_student, moderator):
    hr = make_user(username="rh")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    make_question(author=student)
    hidden = make_answer(author=other_student, question=make_question(author=student))
    hide_post(moderator=moderator, post=hidden, clause="respect")
    dismissed = make_user(username="lu")
    dismiss_hints(member=dismissed)
    now = timezone.now()
    since = now - timedelta(days=charter.RECENT_HIDE_DAYS)

    for user in (student, other_student, moderator, hr, dismissed):
        expected = next(iter(charter._hints_row(user.pk, since, now)))
        assert charter._HINTS_ROW.first(user.pk, since, now) == expected
    assert charter._HINTS_ROW.first(-1, since, now) is None
    # The states differ, so the rows were not all alike by chance.
    assert charter.hints_for(student, context="answer").reason == "first_posts"
    assert charter.hints_for(other_student, context="answer").reason == "recent_hide"
    assert charter.hints_for(hr, context="answer").role == charter.ROLE_STAFF
    assert not charter.hints_for(moderator, context="answer")
    assert not charter.hints_for(dismissed, context="answer")


def test_the_newest_event_of_some_topics_or_of_all(question, answer):
    newest = Event.objects.order_by("-id").first()
    topic = f"thread:{question.pk}"
    mine = Event.objects.filter(topic=topic).order_by("-id").first()

    assert page_versions.newest_event(page_versions.EVERY_TOPIC) == (newest.pk, newest.created_at)
    assert page_versions.newest_event([topic, "thread:0"]) == (mine.pk, mine.created_at)
    assert page_versions.newest_event(["thread:0"]) == (0, None)


def test_a_marker_that_does_not_reach_the_sql_is_refused():
    # Here the query never uses it: the calls' values would be silently ignored.
    query = compiled_sql.CompiledQuery(
        lambda pk: User.objects.filter(username="x").values("pk")[:1], (compiled_sql.marker_int(0),)
    )
    with pytest.raises(ValueError, match="did not reach the SQL"):
        query.first(1)
