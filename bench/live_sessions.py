"""Live session load check (issue 13): N viewers of one session over two
uvicorn processes while questions are submitted, votes cast and answers posted.

    .venv/bin/python -m bench.live_sessions                      # 5000:5:50:30
    .venv/bin/python -m bench.live_sessions --scenario 1000:5:50:20 --write-docs

A scenario is VIEWERS:QUESTIONS_PER_SECOND:VOTES_PER_SECOND:SECONDS; the host
answers one question per second meanwhile. Viewers are the sans-I/O clients of
bench/fanout.py, subscribed to `live:<id>`, spread over client processes.
The publisher (this process, like a sync view) calls the real services:
`submit_question` by members, `cast_vote` concentrated on the newest questions
(a storm: most votes hit few questions, the case coalescing is for),
`answer_question` by the host. Latency runs from the commit of a question or an
answer to the viewer having its frame (`live.question.created`,
`live.question.answered`). A share of the viewers (--reconnect, 10 %) drop
their socket once during the run and reconnect one second later with the last
cursor they saw: what they missed must come back by catch-up. A delivery is
lost if a viewer never gets, live or by catch-up, a question or an answer
committed while it was subscribed. Vote frames are counted, to show what
coalescing leaves of the storm. Server CPU per delivered frame from /proc.
Results to stdout, and with --write-docs into docs/benchmarks.md between the
live-sessions markers.
"""

import argparse
import asyncio
import math
import multiprocessing as mp
import os
import random
import re
import sys
import tempfile
import time
from array import array
from collections import Counter, deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.fanout import (
    CONNECT_CONCURRENCY,
    Server,
    _cpu,
    ensure_database,
    free_port,
    percentile,
    raise_fd_limit,
    write_section,
)

BEGIN, END = "<!-- live-sessions:begin -->", "<!-- live-sessions:end -->"
STANDARD = "5000:5:50:30"
GOAL_P99 = 0.250
ANSWERS_PER_SECOND = 1.0
# Live frames are compact JSON, catch-up frames json.dumps' default spacing: one pattern for both.
EVENT = re.compile(rb'"event": ?"live\.question\.(created|answered)", ?"cursor": ?"(\d+)", ?"data": ?\{"id": ?(\d+)')
VOTES = re.compile(rb'"event": ?"live\.votes", ?"cursor": ?"(\d+)"')
# Where each frame of a batch begins ("type" first; live and replayed frames
# are compact JSON, the pattern also takes json.dumps' default spacing).
BATCHED_FRAME = re.compile(rb'\{"type": ?"event"')
SUBSCRIBED = re.compile(rb'"type": ?"subscribed", ?"topic": ?"[^"]*", ?"cursor": ?"(\d+)"')
# The web client's resume rule (docs/websocket.md, "Resuming after live events
# arrived out of order"): a cursor settles after this long on a caught-up socket.
SETTLE_SECONDS = 5.0
CREATED, ANSWERED = 1.0, 2.0
DRAIN_QUIET_SECONDS = 5.0
DRAIN_MAX_SECONDS = 120.0


# --- viewers (client processes) ------------------------------------------------------------


def masked(opcode: int, payload: bytes) -> bytes:
    """A final client frame (clients must mask theirs); control payloads are short."""
    key = os.urandom(4)
    body = bytes(byte ^ key[n % 4] for n, byte in enumerate(payload))
    return bytes((0x80 | opcode, 0x80 | len(payload))) + key + body


def viewer_process(urls, topic, count, index, reconnect_share, seconds, ready, stop, results, progress):
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results.put(asyncio.run(_view(urls, topic, count, index, reconnect_share, seconds, ready, stop, progress)))


class Viewer(asyncio.Protocol):
    """One socket; records (kind, question id, time) of each question and answer frame, once.

    The handshake and the client's own frames go through the `websockets`
    sans-I/O protocol. The server's frames are then read by `read_frames`, a
    minimal RFC 6455 reader: every frame is still framed, checked (unmasked,
    final, known opcode) and its payload parsed by `on_payload`, but without the
    library's generator-based parser, a fifth of the clients' CPU in a profile
    (py-spy, docs/benchmarks.md), on the cores they share with the servers.
    Pings are answered; any other control frame ends the socket."""

    def __init__(self, url, subscribe: bytes, out: array, stats: Counter, seen: set, state: dict):
        from websockets.client import ClientProtocol
        from websockets.uri import parse_uri

        self.protocol = ClientProtocol(parse_uri(url), max_size=2**20)
        self.subscribe = subscribe
        self.out, self.stats, self.seen, self.state = out, stats, seen, state
        self.subscribed = asyncio.get_running_loop().create_future()
        self.transport = None
        self.cursors_here: set[int] = set()
        # Set once the handshake is done: frames are then read by read_frames.
        self.framed = False
        self.pending = b""

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.protocol.send_request(self.protocol.connect())
        self.flush()

    def data_received(self, data: bytes) -> None:
        if self.framed:
            self.read_frames(self.pending + data if self.pending else data, time.time())
            return
        from websockets.frames import Frame

        self.protocol.receive_data(data)
        now = time.time()
        for event in self.protocol.events_received():
            if isinstance(event, Frame):
                self.on_payload(event.data, now)
            elif self.protocol.handshake_exc is not None:
                self.fail(self.protocol.handshake_exc)
            else:
                self.protocol.send_text(self.subscribe)
                # The server says nothing before it reads the subscription, so
                # nothing of its frames can be in the library's buffer yet.
                if self.protocol.reader.buffer:
                    self.fail(RuntimeError("frames before the subscription"))
                self.framed = True
        self.flush()

    def read_frames(self, data: bytes, now: float) -> None:
        end, size = 0, len(data)
        while size - end >= 2:
            head, second = data[end], data[end + 1]
            length, start = second & 0x7F, end + 2
            if length == 126:
                if size - end < 4:
                    break
                length, start = int.from_bytes(data[end + 2 : end + 4]), end + 4
            elif length == 127:
                if size - end < 10:
                    break
                length, start = int.from_bytes(data[end + 2 : end + 10]), end + 10
            if start + length > size:
                break
            opcode = head & 0x0F
            if second & 0x80 or not head & 0x80 or head & 0x70:
                # Masked, fragmented or with extension bits: the server never sends these.
                self.stats["protocol_errors"] += 1
                self.transport.abort()
                return
            payload = data[start : start + length]
            end = start + length
            if opcode == 0x1:
                self.on_payload(payload, now)
            elif opcode == 0x9:
                self.transport.write(masked(0xA, payload))
            elif opcode != 0xA:
                if opcode != 0x8:
                    self.stats["protocol_errors"] += 1
                self.transport.abort()
                return
        self.pending = data[end:]

    def on_payload(self, payload: bytes, now: float) -> None:
        self.stats["websocket_frames"] += 1
        if payload[:1] == b"[":
            # A batch (docs/websocket.md, "Batches"): event frames, live or replayed.
            starts = [match.start() for match in BATCHED_FRAME.finditer(payload)]
            for start, end in zip(starts, [*starts[1:], len(payload)], strict=True):
                self.on_frame(payload[start:end], now)
        else:
            self.on_frame(payload, now)

    def on_frame(self, payload: bytes, now: float) -> None:
        votes = VOTES.search(payload)
        if votes:
            self.note(int(votes.group(1)), now)
            self.stats["vote_frames"] += 1
            return
        match = EVENT.search(payload)
        if match:
            kind, cursor, question_id = match.group(1), int(match.group(2)), int(match.group(3))
            self.note(cursor, now)
            code = CREATED if kind == b"created" else ANSWERED
            key = (code, question_id)
            if key in self.seen:
                # Received before a drop and replayed by the catch-up, as
                # the resume rule asks: skipped, like the web client does.
                self.stats["replayed_again"] += 1
                return
            self.seen.add(key)
            self.out.extend((code, question_id, now, 1.0 if self.state.get("caught_up") else 0.0))
        elif not self.subscribed.done() and b'"subscribed"' in payload:
            # The catch-up is complete: everything received so far settles.
            subscribed = SUBSCRIBED.search(payload)
            self.settle(float("inf"), int(subscribed.group(1)) if subscribed else 0)
            self.subscribed.set_result(True)
        elif b'"resync"' in payload:
            self.stats["resyncs"] += 1

    def note(self, cursor: int, now: float) -> None:
        """One event frame's cursor: a second copy on one socket is a server
        bug; settled cursors move the resume point (docs/websocket.md)."""
        if cursor in self.cursors_here:
            self.stats["duplicates"] += 1
        self.cursors_here.add(cursor)
        self.state.setdefault("unsettled", deque()).append((cursor, now))
        if self.subscribed.done():
            self.settle(now - SETTLE_SECONDS)

    def settle(self, before: float, floor: int = 0) -> None:
        settled = max(self.state.get("settled", 0), floor)
        unsettled = self.state.get("unsettled")
        # Appended in receive order, so what settles is a prefix: no scan of
        # the last seconds' cursors at every frame.
        while unsettled and unsettled[0][1] <= before:
            settled = max(settled, unsettled.popleft()[0])
        self.state["settled"] = settled

    def flush(self) -> None:
        for chunk in self.protocol.data_to_send():
            if chunk:
                self.transport.write(chunk)

    def fail(self, exc) -> None:
        if not self.subscribed.done():
            self.subscribed.set_exception(exc)

    def connection_lost(self, exc) -> None:
        if not self.subscribed.done():
            self.fail(exc or ConnectionError("closed during the handshake"))
        elif not self.state.get("dropping"):
            self.stats["closed"] += 1


async def _view(urls, topic, count, index, reconnect_share, seconds, ready, stop, progress):
    from urllib.parse import urlsplit

    # Flat records: kind (1 created, 2 answered), question id, receive time, by catch-up (0/1).
    out = array("d")
    stats: Counter = Counter()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    loop = asyncio.get_running_loop()
    viewers: list[tuple[Viewer, dict, set, str]] = []
    # Per viewer: when it was away (start, end), for the lost count.
    away: list[tuple[float, float]] = []

    async def connect(url: str, seen: set, state: dict, since: int | None) -> Viewer:
        since_text = "null" if since is None else f'"{since}"'
        subscribe = f'{{"type":"subscribe","topic":"{topic}","since":{since_text}}}'.encode()
        parts = urlsplit(url)
        async with gate:
            _transport, viewer = await loop.create_connection(
                lambda: Viewer(url, subscribe, out, stats, seen, state), parts.hostname, parts.port
            )
            await asyncio.wait_for(viewer.subscribed, 60)
        return viewer

    async def open_one(n):
        url = urls[(index + n) % len(urls)]
        seen, state = set(), {}
        try:
            viewers.append((await connect(url, seen, state, None), state, seen, url))
        except Exception:
            stats["connect_errors"] += 1

    await asyncio.gather(*(open_one(n) for n in range(count)))

    async def report_progress():
        while True:
            progress[index] = len(out) // 4
            await asyncio.sleep(0.2)

    async def drop_and_come_back(slot: int, delay: float):
        await asyncio.sleep(delay)
        viewer, state, seen, url = viewers[slot]
        state["dropping"] = True
        left = time.time()
        viewer.transport.abort()
        await asyncio.sleep(1.0)
        state["dropping"] = False
        state["caught_up"] = True
        state["since"] = state.get("settled", 0)
        state["left"] = left
        try:
            fresh = await connect(url, seen, state, state["since"])
            viewers[slot] = (fresh, state, seen, url)
            stats["reconnected"] += 1
        except Exception:
            stats["reconnect_errors"] += 1
        away.append((left, time.time()))

    reporter = asyncio.create_task(report_progress())
    ready.put((index, len(viewers)))
    rng = random.Random(index)
    droppers = [
        asyncio.create_task(drop_and_come_back(slot, rng.uniform(1.0, max(1.5, seconds - 2))))
        for slot in rng.sample(range(len(viewers)), k=int(len(viewers) * reconnect_share))
    ]
    cpu_start = _cpu()
    await loop.run_in_executor(None, stop.wait)
    cpu = _cpu() - cpu_start
    reporter.cancel()
    for task in droppers:
        task.cancel()
    for viewer, *_rest in viewers:
        viewer.transport.abort()
    # For the lost-delivery diagnosis: what each viewer saw, and where a dropped one resumed.
    seen_by_viewer = [(sorted(seen), state.get("since"), state.get("left")) for _viewer, state, seen, _url in viewers]
    return {"sockets": len(viewers), "records": out, "stats": dict(stats), "cpu": cpu, "seen": seen_by_viewer}


# --- the publisher (this process) ---------------------------------------------------------------


def prepare(seconds: float, questions_per_second: float, votes_per_second: float):
    """A live session with a verified host, members to ask (at most the
    per-session limit each) and members to vote."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from forum.models import Badge, BadgeRole, LiveSession, Organisation, User, VerificationRequest
    from forum.permissions import MODERATORS_GROUP
    from forum.services import live_sessions

    now = timezone.now()
    old = now - timedelta(days=90)
    moderator, _ = User.objects.get_or_create(username="bench-modo", defaults={"display_name": "Modo"})
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    organisation, _ = Organisation.objects.get_or_create(name="Banc Entreprise", defaults={"slug": "banc-entreprise"})
    host, created = User.objects.get_or_create(
        username="bench-host", defaults={"display_name": "Hôte", "date_joined": old}
    )
    if created:
        request = VerificationRequest.objects.create(
            user=host,
            organisation=organisation,
            role=BadgeRole.HR,
            work_email="host@banc.example",
            status=VerificationRequest.Status.APPROVED,
            email_confirmed_at=now,
            decided_at=now,
            decided_by=moderator,
        )
        Badge.objects.create(
            user=host, organisation=organisation, role=BadgeRole.HR, request=request, verified_at=now,
            expires_at=now + timedelta(days=365),
        )  # fmt: skip
    askers_needed = math.ceil(questions_per_second * seconds / 5) + 1
    voters_needed = max(200, math.ceil(votes_per_second * 2))
    names = [f"bench-asker-{n}" for n in range(askers_needed)] + [f"bench-voter-{n}" for n in range(voters_needed)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(username=name, display_name=name, date_joined=old, password=make_password(None))
            for name in names
            if name not in existing
        ]
    )
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    starts = now + timedelta(minutes=1)
    session = live_sessions.schedule_session(
        organiser=host,
        title=f"Banc d'essai chat conseil {datetime.now(UTC):%H:%M:%S}",
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        hosts=[host],
    )
    # Open now (the service refuses a start in the past; this is a benchmark).
    LiveSession.objects.filter(pk=session.pk).update(starts_at=now - timedelta(minutes=1), start_announced_at=now)
    session.refresh_from_db()
    askers = [users[f"bench-asker-{n}"] for n in range(askers_needed)]
    voters = [users[f"bench-voter-{n}"] for n in range(voters_needed)]
    return session, host, askers, voters


def publish(session, host, askers, voters, qps: float, vps: float, seconds: float) -> dict:
    """Run the three timelines; returns commit times and service durations."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections, transaction

    from forum.models import LiveQuestion
    from forum.services import live_sessions

    created_at: dict[int, float] = {}
    answered_at: dict[int, float] = {}
    durations: dict[str, list[float]] = {"question": [], "vote": [], "answer": []}
    questions: list[LiveQuestion] = []
    votes_cast = Counter()
    rng = random.Random(13)
    voted: set[tuple[int, int]] = set()

    def timed(kind: str, call):
        began = time.monotonic()
        committed = []
        try:
            with transaction.atomic():
                transaction.on_commit(lambda: committed.append(time.time()))
                result = call()
        except Exception as error:  # a refusal is a result too; count it
            votes_cast[f"{kind}_errors"] += 1
            votes_cast[f"{kind}_error:{type(error).__name__}"] += 1
            if "deadlock" in str(error):
                print(str(error), file=sys.stderr)
            return None, None
        finally:
            close_old_connections()
        durations[kind].append(time.monotonic() - began)
        return result, committed[0] if committed else None

    def ask(n: int):
        body = f"Question numéro {n} du banc d'essai : comment convaincre une entreprise de me prendre en alternance ?"
        question, at = timed(
            "question",
            lambda: live_sessions.submit_question(author=askers[n // 5], session=session, body=body),
        )
        if question is not None:
            question.session = session
            created_at[question.pk] = at
            questions.append(question)

    def vote(_n: int):
        if not questions:
            return
        # A storm: four votes in five go to the three newest questions.
        pool = questions[-3:] if rng.random() < 0.8 else questions
        question = rng.choice(pool)
        for _ in range(20):
            voter = rng.choice(voters)
            if (voter.pk, question.pk) not in voted and voter.pk != question.author_id:
                voted.add((voter.pk, question.pk))
                break
        else:
            return
        result, _at = timed("vote", lambda: live_sessions.cast_vote(user=voter, question=question))
        if result is not None:
            votes_cast["votes"] += 1

    answered: set[int] = set()

    def answer(_n: int):
        waiting = [q for q in questions if q.pk not in answered]
        if not waiting:
            return
        question = max(waiting, key=lambda q: q.vote_count)
        answered.add(question.pk)
        text = f"Réponse de l'hôte à la question {question.pk} : montrez votre motivation et votre projet."
        result, at = timed("answer", lambda: live_sessions.answer_question(host=host, question=question, answer=text))
        if result is not None:
            answered_at[question.pk] = at

    async def timeline(rate: float, action, pool) -> None:
        loop = asyncio.get_running_loop()
        start = time.monotonic()
        pending = []
        for n in range(int(rate * seconds)):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(loop.run_in_executor(pool, action, n))
        await asyncio.gather(*pending)

    async def run() -> None:
        # Writes run in threads, as sync views do under uvicorn; votes get their own pool.
        # 4 + 6 threads: the database pool of this process holds 10 connections.
        with ThreadPoolExecutor(4) as writes, ThreadPoolExecutor(6) as votes:
            await asyncio.gather(
                timeline(qps, ask, writes), timeline(vps, vote, votes), timeline(ANSWERS_PER_SECOND, answer, writes)
            )

    asyncio.run(run())
    return {
        "created_at": created_at,
        "answered_at": answered_at,
        "durations": durations,
        "counts": votes_cast,
    }


# --- one scenario ---------------------------------------------------------------------------------


def run_scenario(
    servers, viewers: int, qps: float, vps: float, seconds: float, clients: int, reconnect: float, batches: bool
):
    from forum import events
    from forum.models import Event

    session, host, askers, voters = prepare(seconds, qps, vps)
    from django.db import connections

    connections.close_all()
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    stop = ctx.Event()
    progress = ctx.Array("q", clients, lock=False)
    topic = f"live:{session.pk}"
    per_client = [viewers // clients + (1 if i < viewers % clients else 0) for i in range(clients)]
    urls = [server.url + ("?batch=1" if batches else "") for server in servers]
    processes = [
        ctx.Process(
            target=viewer_process,
            args=(urls, topic, n, i, reconnect, seconds, ready, stop, results, progress),
            daemon=True,
        )
        for i, n in enumerate(per_client)
    ]
    for process in processes:
        process.start()
    connected = sum(ready.get(timeout=900)[1] for _ in processes)
    time.sleep(1.0)
    first_cursor = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0

    load_before = os.getloadavg()
    cpu_before = [server.cpu_seconds() for server in servers]
    published = publish(session, host, askers, voters, qps, vps, seconds)
    expected_each = len(published["created_at"]) + len(published["answered_at"])
    # Wait for the deliveries (and the trailing vote flushes) to arrive.
    started = time.monotonic()
    last, quiet = -1, time.monotonic()
    while time.monotonic() - started < DRAIN_MAX_SECONDS:
        total = sum(progress)
        if total >= connected * expected_each:
            break
        if total != last:
            last, quiet = total, time.monotonic()
        elif time.monotonic() - quiet > DRAIN_QUIET_SECONDS:
            break
        time.sleep(0.2)
    cpu_used = sum(server.cpu_seconds() - before for server, before in zip(servers, cpu_before, strict=True))
    load_after = os.getloadavg()
    stop.set()
    reports = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(30)

    commit = {CREATED: published["created_at"], ANSWERED: published["answered_at"]}
    live_latencies, caught_up, delivered = [], 0, 0
    # Latencies by the second of the run their commit fell in: a bad p99 from
    # a burst (a pause, a reconnect storm) looks different from a steady backlog.
    by_second: dict[int, list[float]] = {}
    run_start = min((at for times in commit.values() for at in times.values()), default=0.0)
    stats: Counter = Counter()
    for report in reports:
        stats.update(report["stats"])
        records = report["records"]
        for i in range(0, len(records), 4):
            code, question_id, received, by_catch_up = records[i : i + 4]
            sent = commit[code].get(int(question_id))
            if sent is None:
                continue
            delivered += 1
            if by_catch_up:
                caught_up += 1
            else:
                live_latencies.append(received - sent)
                by_second.setdefault(int(sent - run_start), []).append(received - sent)
    expected = connected * expected_each
    live_latencies.sort()
    vote_events = Event.objects.filter(topic=events.live_topic(session.pk), name=events.LIVE_VOTES, id__gt=first_cursor)
    per_question_second = Counter(
        (item["id"], int(at.timestamp()))
        for payload, at in vote_events.values_list("payload", "created_at")
        for item in payload["questions"]
    )
    frames = delivered + stats["vote_frames"]
    # Which deliveries were lost, and by whom: printed, to tell a bench artifact from a protocol gap.
    cursors = {}
    for cursor, name, payload in Event.objects.filter(
        topic=events.live_topic(session.pk),
        id__gt=first_cursor,
        name__in=[events.LIVE_QUESTION_CREATED, events.LIVE_QUESTION_ANSWERED],
    ).values_list("id", "name", "payload"):
        code = CREATED if name == events.LIVE_QUESTION_CREATED else ANSWERED
        cursors.setdefault((code, payload["id"]), cursor)
    wanted = {(CREATED, pk) for pk in published["created_at"]} | {(ANSWERED, pk) for pk in published["answered_at"]}
    shown = 0
    for report in reports:
        for seen, since, _left in report["seen"]:
            for key in sorted(wanted - set(map(tuple, seen))):
                if shown < 10:
                    print(
                        f"lost: {'created' if key[0] == CREATED else 'answered'} {key[1]} cursor {cursors.get(key)}"
                        f" for a viewer {'that resumed from ' + str(since) if since is not None else 'never dropped'}"
                    )
                shown += 1
    return {
        "viewers": viewers,
        "connected": connected,
        "qps": qps,
        "vps": vps,
        "seconds": seconds,
        "questions": len(published["created_at"]),
        "answers": len(published["answered_at"]),
        "votes": published["counts"]["votes"],
        "errors": {k: v for k, v in published["counts"].items() if "error" in k},
        "vote_events": vote_events.count(),
        "max_vote_events_per_question_second": max(per_question_second.values(), default=0),
        "vote_frames": stats["vote_frames"],
        "websocket_frames": stats["websocket_frames"],
        "batches": batches,
        "expected": expected,
        "delivered": delivered,
        "caught_up": caught_up,
        "lost": max(0, expected - delivered),
        "duplicates": stats["duplicates"],
        "replayed_again": stats["replayed_again"],
        "reconnected": stats["reconnected"],
        "resyncs": stats["resyncs"],
        "dropped": stats["closed"],
        "protocol_errors": stats["protocol_errors"],
        "connect_errors": stats["connect_errors"] + stats["reconnect_errors"],
        "p50": percentile(live_latencies, 50),
        "p99": percentile(live_latencies, 99),
        "max": live_latencies[-1] if live_latencies else math.nan,
        "server_cpu_us_per_frame": cpu_used / frames * 1e6 if frames else math.nan,
        "client_cpu_us_per_frame": sum(r["cpu"] for r in reports) / frames * 1e6 if frames else math.nan,
        "service_p50_ms": {k: percentile(sorted(v), 50) * 1000 for k, v in published["durations"].items() if v},
        "service_p99_ms": {k: percentile(sorted(v), 99) * 1000 for k, v in published["durations"].items() if v},
        "p99_by_second": {second: percentile(sorted(values), 99) for second, values in sorted(by_second.items())},
        "load_before": load_before,
        "load_after": load_after,
        "clients": clients,
    }


# --- report ------------------------------------------------------------------------------------------


def verdict(r: dict) -> str:
    ok = r["p99"] < GOAL_P99 and r["lost"] == 0 and r["duplicates"] == 0 and r["connected"] == r["viewers"]
    full = r["viewers"] >= 5000 and r["qps"] >= 5 and r["vps"] >= 50
    return f"{'met' if ok else 'missed'}{'' if full else ' (reduced size)'}"


def table(results: list[dict]) -> str:
    lines = [
        "| viewers (connected) | questions/s, votes/s, answers/s × s | question and answer deliveries (by catch-up) "
        "| lost | duplicates | p50 | p99 | max | votes → vote events (max per question per s) → vote frames "
        "| websocket frames written (viewers asked for) | server CPU / event delivered | goal (p99 < 250 ms, 0 lost) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['viewers']:,} ({r['connected']:,}) | {r['qps']:g}, {r['vps']:g}, {ANSWERS_PER_SECOND:g} × "
            f"{r['seconds']:g} | {r['delivered']:,} / {r['expected']:,} ({r['caught_up']:,}) | {r['lost']} "
            f"| {r['duplicates']} | {r['p50'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms "
            f"| {r['votes']:,} → {r['vote_events']:,} ({r['max_vote_events_per_question_second']}) → "
            f"{r['vote_frames']:,} | {r['websocket_frames']:,} ({'batches' if r['batches'] else 'one per event'}) "
            f"| {r['server_cpu_us_per_frame']:.0f} µs | {verdict(r)} |"
        )
    return "\n".join(lines)


def conditions(results: list[dict], note: str) -> str:
    lines = [
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python -m bench.live_sessions` "
        + ", ".join(f"{r['viewers']}:{r['qps']:g}:{r['vps']:g}:{r['seconds']:g}" for r in results)
        + f"; {os.cpu_count()} cores shared by servers, viewers ("
        + ", ".join(str(r["clients"]) for r in results)
        + " client processes), publisher, PostgreSQL and Redis; RedisPubSubChannelLayer; loopback.",
        "- 1-minute load average before → after: "
        + ", ".join(f"{r['load_before'][0]:.1f} → {r['load_after'][0]:.1f}" for r in results)
        + ".",
        "- Latency: commit of the question or answer → frame read by the viewer, live deliveries only; "
        "catch-up deliveries (the viewers that dropped and came back) are counted as delivered, not timed.",
        "- Reconnects: "
        + ", ".join(
            f"{r['reconnected']} viewers dropped and caught up, {r['resyncs']} resyncs, {r['dropped']} sockets closed"
            f" by the server, {r['protocol_errors']} frames the client could not read"
            for r in results
        )
        + ". Service calls p50 / p99 (ms): "
        + "; ".join(
            ", ".join(f"{k} {r['service_p50_ms'][k]:.0f} / {r['service_p99_ms'][k]:.0f}" for k in r["service_p50_ms"])
            for r in results
        )
        + ". Refused service calls: "
        + "; ".join(str(r["errors"] or "none") for r in results)
        + ".",
        "- Client CPU per event delivered (same cores): "
        + ", ".join(f"{r['client_cpu_us_per_frame']:.0f} µs" for r in results)
        + ".",
    ]
    if note:
        lines.append(f"- {note}")
    return "\n".join(lines)


def write_docs(results: list[dict], note: str) -> None:
    write_section(BEGIN, END, "\n".join([table(results), "", conditions(results, note)]))


def parse_scenario(text: str) -> tuple[int, float, float, float]:
    viewers, qps, vps, seconds = text.split(":")
    return int(viewers), float(qps), float(vps), float(seconds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=STANDARD, help="VIEWERS:QUESTIONS/S:VOTES/S:SECONDS")
    parser.add_argument("--clients", type=int, default=0, help="viewer processes (default: 1 per 1,250 viewers, ≥ 2)")
    parser.add_argument("--reconnect", type=float, default=0.10, help="share of viewers that drop and come back")
    parser.add_argument(
        "--frames",
        choices=("batch", "single"),
        default="batch",
        help="viewers ask for batch frames (?batch=1, as the web client does) or one frame per event",
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)
    viewers, qps, vps, seconds = parse_scenario(args.scenario)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alternance_live_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("SECRET_KEY", "django-insecure-bench-only")
    raise_fd_limit(viewers * 2 + 1024)
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connections

    connections.close_all()
    env = dict(os.environ, DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="WARNING")
    logs = Path(tempfile.mkdtemp(prefix="live-bench-"))
    servers = [Server(free_port(), env, logs / f"server-{n}.log") for n in range(2)]
    clients = args.clients or max(2, math.ceil(viewers / 1250))
    try:
        print(
            f"… {viewers} viewers, {qps:g} questions/s, {vps:g} votes/s for {seconds:g} s, {clients} client processes"
        )
        result = run_scenario(servers, viewers, qps, vps, seconds, clients, args.reconnect, args.frames == "batch")
    finally:
        for server in servers:
            server.stop()
    print(table([result]))
    print(conditions([result], args.note))
    print(
        "p99 by second of the run (ms): "
        + " ".join(f"{second}:{p99 * 1000:.0f}" for second, p99 in result["p99_by_second"].items())
    )
    print(f"(server logs in {logs})")
    if args.write_docs:
        write_docs([result], args.note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
