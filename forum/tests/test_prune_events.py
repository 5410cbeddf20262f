"""`prune_events` keeps the event log to its retention horizon, and catch-up
tells a client whose cursor fell behind it to resync instead of replaying a log
with a hole in it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.utils import timezone

from forum import replay
from forum.models import Event
from forum.services.event_log import prune_events
from forum.services.votes import cast_vote
from tests.factories import make_answer


def age_all_events(days: int) -> None:
    Event.objects.update(created_at=timezone.now() - timedelta(days=days))


def catch_up(topic: str, since: int) -> replay.CatchUp:
    return replay.catch_up(topic=topic, since=since, user=AnonymousUser(), is_moderator=False, limit=500)


def test_it_deletes_events_older_than_the_horizon_and_keeps_the_rest(question, other_student):
    age_all_events(40)
    old_ids = set(Event.objects.values_list("id", flat=True))
    answer = make_answer(author=other_student, question=question)

    out = StringIO()
    call_command("prune_events", "--days", "30", stdout=out)

    assert f"{len(old_ids)} event(s) deleted" in out.getvalue()
    assert not Event.objects.filter(id__in=old_ids).exists()
    assert Event.objects.filter(name="answer.created", payload__id=answer.pk).exists()
    assert replay.pruned_through() == max(old_ids)


def test_it_is_idempotent_and_the_horizon_never_moves_back(question):
    age_all_events(40)
    prune_events(older_than=timedelta(days=30))
    horizon = replay.pruned_through()

    assert prune_events(older_than=timedelta(days=30)) == 0
    assert replay.pruned_through() == horizon


def test_a_cursor_behind_the_horizon_gets_resync_and_one_after_it_does_not(question, other_student, third_student):
    topic = f"thread:{question.pk}"
    before = Event.objects.order_by("-id").values_list("id", flat=True).first()
    answer = make_answer(author=other_student, question=question)
    age_all_events(40)
    prune_events(older_than=timedelta(days=30))
    after_horizon = replay.pruned_through()
    cast_vote(user=third_student, answer=answer)

    assert catch_up(topic, before).resync
    resumed = catch_up(topic, after_horizon)
    assert not resumed.resync
    assert [name for _cursor, name, _data in resumed.events] == ["answer.voted"]


def test_a_cursor_newer_than_every_event_gets_resync_at_the_topic_cursor(question):
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()

    result = catch_up("feed", newest + 1)

    assert result.resync
    assert result.cursor == Event.objects.filter(topic="feed").order_by("-id").first().id


def test_the_command_refuses_a_negative_horizon(db):
    with pytest.raises(CommandError):
        call_command("prune_events", "--days", "-1")


def test_catch_up_costs_the_same_queries_for_1_or_10_missed_answers(question, other_student, third_student, moderator):
    """Every subject of a batch is loaded at once: a long absence must not
    cost a query per missed event."""
    topic = f"thread:{question.pk}"
    since = Event.objects.order_by("-id").values_list("id", flat=True).first()
    make_answer(author=other_student, question=question)

    def count(n_answers: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            result = replay.catch_up(topic=topic, since=since, user=moderator, is_moderator=True, limit=500)
        assert len(result.events) >= n_answers
        return len(queries)

    count(1)  # the first read also caches the viewer's moderator flag
    few = count(1)
    for _ in range(10):
        answer = make_answer(author=third_student, question=question)
        cast_vote(user=other_student, answer=answer)
    assert count(10) == few
