"""Fault tests (issue 15): Redis stopped, PostgreSQL restarted and a web
process killed, each under a read and write load against real server
processes. Redis and PostgreSQL are private ones (tests/support/
private_services.py): stopping them never touches the machine's shared
services. Each test reports its figures in the run's "measured figures"
summary (tests/support/figures.py), and in its assertion messages.

The outages are short by default so that each test stays under a minute;
FAULT_REDIS_OUTAGE_SECONDS=60 (and FAULT_PG_OUTAGE_SECONDS) give the issue's
full-length run (docs/operations.md, "Failure modes").
"""

import asyncio
import os
import signal
import time

import httpx
import psycopg
import pytest

from api import fanout
from forum import events, queries
from forum.models import Answer
from tests.factories import make_question, make_user
from tests.support.load import Figures, Watcher, read_load, wait_until, write_load
from tests.support.private_services import PrivatePostgres, PrivateRedis
from tests.support.requirements import require_postgres, require_redis
from tests.support.server import database_url

pytestmark = [pytest.mark.faults, pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

REDIS_OUTAGE = float(os.environ.get("FAULT_REDIS_OUTAGE_SECONDS", "8"))
PG_OUTAGE = float(os.environ.get("FAULT_PG_OUTAGE_SECONDS", "3"))
PASSWORD = "bob-secret-passphrase"

# Limits that protect a real site from one address would throttle the load
# itself (every client here is 127.0.0.1): raised for these servers only.
LOAD_ENV = {
    "THROTTLE_ANON_READ": "100000/min",
    "THROTTLE_USER_READ": "100000/min",
    "THROTTLE_ANSWER": "100000/hour",
    "THROTTLE_WRITE": "100000/min",
    "PAGE_CACHE_SECONDS": "5",
}


def thread_and_writer():
    alice = make_user(username="alice", display_name="Alice")
    make_user(username="bob", display_name="Bob", password=PASSWORD)
    question = make_question(author=alice, title="Combien de jours de congés en alternance par an ?")
    return question


def page_cursor(question) -> str:
    """The cursor a watcher of the thread starts from: the page's, read before the load."""
    return str(queries.topic_cursor(events.thread_topic(question.pk)))


def token_from(url: str) -> str:
    response = httpx.post(
        f"{url}/api/v1/auth/token/",
        json={"username": "bob", "password": PASSWORD, "device_name": "load"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


async def run_load(urls, question_id, token, *, readers: int = 3, watcher: Watcher | None = None):
    figures = Figures()
    stop = asyncio.Event()
    tasks = [asyncio.create_task(read_load(urls, question_id, figures, stop)) for _ in range(readers)]
    tasks.append(asyncio.create_task(write_load(urls, question_id, token, figures, stop)))
    watch_stop = asyncio.Event()
    if watcher is not None:
        tasks.append(asyncio.create_task(watcher.run(watch_stop)))
    return figures, stop, watch_stop, tasks


def test_redis_stopped_under_load_gives_no_5xx_and_live_updates_catch_up(start_server_process, report_figures):
    require_postgres()
    redis = PrivateRedis().start()
    try:
        env = LOAD_ENV | {"REDIS_URL": redis.url(0)}
        servers = [start_server_process(name=name, extra_env=env) for name in ("a", "b")]
        urls = [s.url for s in servers]
        question = thread_and_writer()
        token = token_from(urls[0])
        watcher = Watcher(urls=urls, topic=f"thread:{question.pk}", cursor=page_cursor(question))

        async def scenario():
            figures, stop, watch_stop, tasks = await run_load(urls, question.pk, token, watcher=watcher)
            await asyncio.sleep(2)
            redis.stop()
            stopped_at = time.monotonic()
            await asyncio.sleep(REDIS_OUTAGE)
            redis.start()
            outage = time.monotonic() - stopped_at
            await asyncio.sleep(4)
            stop.set()
            await asyncio.gather(*tasks[:-1])
            # Every acknowledged answer reaches the reader, live or by catch-up.
            caught_up = await wait_until(lambda: set(figures.acknowledged.values()) <= watcher.answer_ids, 20)
            watch_stop.set()
            await tasks[-1]
            return figures, outage, caught_up

        figures, outage, caught_up = asyncio.run(scenario())
    finally:
        redis.close()

    stored = Answer.objects.filter(pk__in=figures.acknowledged.values()).count()
    report = (
        f"[faults] Redis stopped {outage:.1f} s: {figures.summary()}, stored {stored}; "
        f"websocket closes {watcher.close_codes}, connections {len(watcher.connections)}, "
        f"answers seen live or caught up {len(watcher.answer_ids & set(figures.acknowledged.values()))}"
    )
    report_figures(report)
    assert figures.server_errors == [], report
    assert figures.sent > 50, report
    assert len(figures.acknowledged) > 5, report
    assert stored == len(figures.acknowledged), report
    # The reader was told (1013 or a refused reconnect) and came back by itself.
    assert any(code in (1013, 1011, 1006, 0) for code in watcher.close_codes), report
    assert caught_up, report


def test_postgresql_restarted_under_load_gives_brief_503s_and_recovers(start_server_process, report_figures):
    require_postgres()
    redis_url = require_redis()
    question = thread_and_writer()
    cluster = PrivatePostgres().init()
    try:
        cluster.start()
        private_url = cluster.copy_database(source_url=database_url(), name="faults")
        env = LOAD_ENV | {"DATABASE_URL": private_url, "REDIS_URL": redis_url, "DB_POOL_TIMEOUT": "3"}
        server = start_server_process(name="pg", extra_env=env)
        pid = server.process.pid
        token = token_from(server.url)

        async def scenario():
            figures, stop, _watch_stop, tasks = await run_load([server.url], question.pk, token)
            await asyncio.sleep(2)
            await asyncio.to_thread(cluster.stop, "fast")
            stopped_at = time.monotonic()
            await asyncio.sleep(PG_OUTAGE)
            await asyncio.to_thread(cluster.start)
            outage = time.monotonic() - stopped_at
            recovered_at = time.monotonic()
            await asyncio.sleep(9)
            stop.set()
            await asyncio.gather(*tasks)
            return figures, outage, recovered_at

        figures, outage, recovered_at = asyncio.run(scenario())
        with psycopg.connect(private_url) as conn:
            ids = list(figures.acknowledged.values())
            stored = conn.execute("SELECT count(*) FROM forum_answer WHERE id = ANY(%s)", [ids]).fetchone()[0]
        # The same process answers normally again: the pool recovered by itself.
        after = httpx.get(f"{server.url}/api/v1/threads/{question.pk}/", timeout=10)
        assert server.process.pid == pid
        assert server.process.poll() is None
    finally:
        cluster.close()

    fives = figures.server_errors
    late_fives = [status for at, status in figures.timeline if at > recovered_at + 5 and status >= 500]
    report = (
        f"[faults] PostgreSQL down {outage:.1f} s: {figures.summary()}, stored {stored}; "
        f"503s {sum(1 for e in fives if e[0] == 503)}, other 5xx {sum(1 for e in fives if e[0] != 503)}"
    )
    report_figures(report)
    assert figures.sent > 30, report
    assert any(status == 503 for status, _, _ in fives), "the outage was not seen: " + report
    assert all(status == 503 and retry_after for status, retry_after, _ in fives), report
    assert not any("Traceback" in body for _, _, body in fives), report
    assert stored == len(figures.acknowledged), report
    # Recovered within seconds of the restart, in the same process.
    assert late_fives == [], report
    assert after.status_code == 200, after.text


def test_a_web_process_killed_while_answers_are_posted_loses_and_doubles_nothing(start_server_process, report_figures):
    require_postgres()
    redis_url = require_redis()
    env = LOAD_ENV | {"REDIS_URL": redis_url}
    servers = [start_server_process(name=name, extra_env=env) for name in ("a", "b")]
    urls = [s.url for s in servers]
    question = thread_and_writer()
    token = token_from(urls[1])
    start = page_cursor(question)
    # One reader starts on the process that will die and reconnects to the
    # survivor; the other stays on the survivor all along.
    watcher = Watcher(urls=urls, topic=f"thread:{question.pk}", cursor=start)
    staying = Watcher(urls=urls[::-1], topic=f"thread:{question.pk}", cursor=start)

    async def scenario():
        figures, stop, watch_stop, tasks = await run_load(urls, question.pk, token, readers=2, watcher=watcher)
        staying_task = asyncio.create_task(staying.run(watch_stop))
        # Two writers: answers keep being posted through both processes.
        tasks.insert(0, asyncio.create_task(write_load(urls[::-1], question.pk, token, figures, stop, start=10_000)))
        await asyncio.sleep(3)
        servers[0].process.send_signal(signal.SIGKILL)
        await asyncio.sleep(4)
        stop.set()
        await asyncio.gather(*tasks[:-1])
        stopped = time.monotonic()
        # Every stored answer (acknowledged, or refused as a duplicate of the
        # copy the dying process stored) reaches both readers. The reconnected
        # one caught up from its cursor; the rest comes live within
        # milliseconds, except a hint lost with the dying process (killed
        # between its COMMIT and its on-commit send): the survivor's hub
        # delivers that one from the event log within two sweep intervals
        # (api/fanout.py). Two intervals plus a margin for a loaded machine.
        stored = figures.stored_numbers()
        caught_up = await wait_until(
            lambda: stored <= watcher.numbers and stored <= staying.numbers, 2 * fanout.SWEEP_INTERVAL + 10
        )
        settled = time.monotonic() - stopped
        watch_stop.set()
        await asyncio.gather(tasks[-1], staying_task)
        return figures, caught_up, settled

    figures, caught_up, settled = asyncio.run(scenario())
    bodies = list(figures.acknowledged) + figures.duplicates_refused
    stored_ids = set(Answer.objects.filter(pk__in=figures.acknowledged.values()).values_list("pk", flat=True))
    copies = {body: Answer.objects.filter(question=question, body=body).count() for body in bodies}
    report = (
        f"[faults] web process killed: {figures.summary()}, acknowledged stored {len(stored_ids)}, "
        f"bodies stored more than once {sum(1 for n in copies.values() if n > 1)}; "
        f"websocket closes {watcher.close_codes}, connected to {watcher.connections}; "
        f"every stored answer seen by both readers {settled:.1f} s after the last write; "
        f"missing {sorted(figures.stored_numbers() - watcher.numbers)} (reconnected reader), "
        f"{sorted(figures.stored_numbers() - staying.numbers)} (reader on the survivor, "
        f"connected to {staying.connections})"
    )
    report_figures(report)
    assert len(figures.acknowledged) > 5, report
    # The survivor answers everything: no deadlock between two processes
    # posting for one member (forum.services.ratelimits.lock_member).
    assert figures.server_errors == [], report
    assert stored_ids == set(figures.acknowledged.values()), report
    assert all(n == 1 for n in copies.values()), report
    assert watcher.connections[0] == urls[0], report
    assert urls[1] in watcher.connections[1:], report
    assert caught_up, report


def test_a_frozen_redis_holds_no_request_for_long(start_server_process, report_figures):
    """Redis that hangs rather than refusing (SIGSTOP: connections open,
    nothing answers) must not hang requests: the cache gives up after 1 s and
    its breaker skips Redis, the event send after 2 s (forum.events)."""
    require_postgres()
    redis = PrivateRedis().start()
    try:
        server = start_server_process(name="frozen", extra_env=LOAD_ENV | {"REDIS_URL": redis.url(0)})
        question = thread_and_writer()
        token = token_from(server.url)
        watcher = Watcher(urls=[server.url], topic=f"thread:{question.pk}", cursor=page_cursor(question))

        async def scenario():
            figures, stop, watch_stop, tasks = await run_load([server.url], question.pk, token, watcher=watcher)
            await asyncio.sleep(2)
            redis.freeze()
            await asyncio.sleep(REDIS_OUTAGE * 0.75)
            redis.thaw()
            await asyncio.sleep(4)
            stop.set()
            await asyncio.gather(*tasks[:-1])
            caught_up = await wait_until(lambda: set(figures.acknowledged.values()) <= watcher.answer_ids, 20)
            watch_stop.set()
            await tasks[-1]
            return figures, caught_up

        figures, caught_up = asyncio.run(scenario())
    finally:
        redis.close()

    report = (
        f"[faults] Redis frozen {REDIS_OUTAGE * 0.75:.1f} s: {figures.summary()}; "
        f"websocket closes {watcher.close_codes}"
    )
    report_figures(report)
    assert figures.server_errors == [], report
    assert len(figures.acknowledged) > 3, report
    assert figures.slowest < 8, report
    assert caught_up, report
