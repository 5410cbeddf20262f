"""The real worker process on PostgreSQL: an answer becomes exactly one email
to the asker, with an unsubscribe link that works without logging in; a
worker killed with SIGKILL in the middle of a batch and started again sends
nothing twice and loses nothing."""

import re
import time
from collections import Counter
from email import message_from_string

import pytest
from django.test import Client

from forum.models import Channel, NotificationEmail, NotificationKind, NotificationPreference
from tests.factories import make_answer, make_question, make_user
from tests.support.requirements import require_postgres
from tests.support.worker import WorkerProcess

pytestmark = [pytest.mark.postgres, pytest.mark.server]

TIMEOUT = 60


@pytest.fixture
def database_tasks(transactional_db, settings):
    """Tasks go to the database queue, as in production, for the worker to run."""
    require_postgres()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def start_worker(database_tasks, tmp_path):
    started: list[WorkerProcess] = []

    def start(**kwargs) -> WorkerProcess:
        worker = WorkerProcess(outbox=tmp_path / "outbox", **kwargs).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, *, timeout: float = TIMEOUT, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def recipients(messages: list[str]) -> list[str]:
    return [message_from_string(m.strip())["To"] for m in messages]


def message_ids(messages: list[str]) -> list[str]:
    return [message_from_string(m.strip())["Message-ID"] for m in messages]


def test_an_answer_sends_exactly_one_email_to_the_asker_with_a_working_unsubscribe_link(start_worker):
    asker = make_user(username="asker", email="asker@example.org")
    answerer = make_user(username="answerer")
    question = make_question(author=asker)
    make_answer(author=answerer, question=question)

    worker = start_worker()
    wait_for(lambda: worker.messages(), what="the email")
    time.sleep(2)  # anything else the worker would (wrongly) send
    messages = worker.messages()
    assert recipients(messages) == ["asker@example.org"]
    email = message_from_string(messages[0].strip())
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https?://[^>]+)>", "".join(email["List-Unsubscribe"].split())).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]

    # One click from the mail client: a POST without cookies or CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=asker)
    assert pref.channel(NotificationKind.ANSWER_ON_MY_QUESTION) == Channel.IN_APP


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_email_in_flight(start_worker):
    """forum/notifications/email.py: a kill between the mail server's accept
    and the COMMIT is the one window where an email goes twice (with the same
    Message-ID); a kill anywhere else repeats nothing. Where the kill lands is
    up to the clock, so both outcomes are allowed, and nothing else."""
    answerer = make_user(username="answerer")
    askers = [make_user(username=f"asker{i}", email=f"asker{i}@example.org") for i in range(12)]
    for asker in askers:
        make_answer(author=answerer, question=make_question(author=asker))

    first = start_worker(email_backend="tests.support.mail.SlowFileBackend")
    wait_for(lambda: len(first.messages()) >= 3, what="the first emails")
    first.kill()
    sent_before = len(first.messages())
    assert sent_before < len(askers), "the worker finished before it could be killed"

    second = start_worker(email_backend="tests.support.mail.SlowFileBackend")
    wait_for(
        lambda: not NotificationEmail.objects.filter(status=NotificationEmail.Status.PENDING).exists(),
        what="every email sent",
    )
    time.sleep(1.5)
    messages = second.messages()
    assert set(recipients(messages)) == {a.email for a in askers}  # none lost
    repeated = [message_id for message_id, n in Counter(message_ids(messages)).items() if n > 1]
    assert len(messages) - len(askers) == len(repeated) <= 1, repeated
    assert NotificationEmail.objects.filter(status=NotificationEmail.Status.SENT).count() == len(askers)
