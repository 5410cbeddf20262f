"""Cursors are only safe to resume from if events commit in cursor order: a
client must never see cursor N committed while a smaller cursor is still in
flight, or it would move past it and never catch it up."""

import threading
import time

import pytest
from django.db import connection, transaction

from forum import events
from forum.models import Event
from tests.support.requirements import require_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_later_event_cannot_commit_before_an_earlier_one():
    require_postgres()
    first_written = threading.Event()
    commits: list[int] = []
    smaller_committed: list[bool] = []
    errors: list[BaseException] = []

    def slow_writer():
        try:
            with transaction.atomic():
                event = events.publish(topic="order", name="slow", data={})
                first_written.set()
                # A long transaction: the second writer starts meanwhile.
                time.sleep(0.5)
            commits.append(event.pk)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_written.set()
        finally:
            connection.close()

    def quick_writer():
        try:
            first_written.wait(5)
            with transaction.atomic():
                event = events.publish(topic="order", name="quick", data={})
                # Once publish() returns, the larger cursor is about to
                # commit: the smaller one must already be committed (read
                # committed: this new statement sees what has committed).
                smaller_committed.append(Event.objects.filter(topic="order", name="slow").exists())
            commits.append(event.pk)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert len(commits) == 2
    # Not the order of the appends to `commits`: the slow thread may append
    # after the quick one even though it committed first.
    assert smaller_committed == [True], "the quick writer's larger cursor could commit before the smaller one"
    assert sorted(commits) == list(Event.objects.filter(topic="order").order_by("id").values_list("id", flat=True))
    assert list(Event.objects.filter(topic="order").order_by("id").values_list("name", flat=True)) == ["slow", "quick"]
