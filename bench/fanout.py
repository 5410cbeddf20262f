"""Websocket fan-out benchmark: N watchers on one thread, over two uvicorn
processes sharing Redis (RedisPubSubChannelLayer) and PostgreSQL.

    .venv/bin/python -m bench.fanout                     # the three standard scenarios
    .venv/bin/python -m bench.fanout --scenario 1000:10:30 --write-docs

A scenario is WATCHERS:ANSWERS_PER_SECOND:SECONDS. Watchers are asyncio
clients on the `websockets` sans-I/O protocol (see `Watcher`), spread over
several client processes, half connected to each server, each subscribed to
`thread:<id>`. A publisher (this process, like
a WSGI worker would) posts answers through `forum.services.answers.post_answer`
on a fixed schedule. Latency is measured per delivery, from the commit of the
answer (an on_commit hook registered before the service's own, so it runs just
before the events go to the layer) to the moment a watcher has the frame; the
service call itself (validation, screening, Markdown, the transaction) is
reported apart. A delivery is lost if a watcher never gets an answer posted
while it was subscribed. Server CPU per delivery comes from /proc.

Everything runs on loopback on this machine: clients, publisher and servers
share its cores. Results go to stdout, and with --write-docs into
docs/benchmarks.md between the fan-out markers.
"""

import argparse
import asyncio
import math
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from array import array
from datetime import UTC, datetime
from pathlib import Path

from bench.processes import free_port, stop

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- fanout:begin -->", "<!-- fanout:end -->"
STANDARD = ["100:10:20", "1000:10:30", "5000:2:30"]
GOALS = {1000: ("10/s", 0.100), 5000: ("2/s", 0.500), 10000: ("2/s", 0.250)}
# Issue 16: this many idle subscribed sockets under 1 GiB RSS over both servers.
IDLE_GOAL_MIB = 1024
# After the last post, wait for deliveries until all arrived or none came for
# this long (a backlog drains; a lost message never comes).
DRAIN_QUIET_SECONDS = 5.0
DRAIN_MAX_SECONDS = 120.0
CONNECT_CONCURRENCY = 100


# --- watchers (client processes) ------------------------------------------------------


def watcher_process(urls, topic, count, index, ready, stop, results, progress, deflate=False):
    """One client process: `count` connections, round-robin over `urls`."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    received = asyncio.run(_watch(urls, topic, count, index, ready, stop, progress, deflate))
    results.put(received)


class Watcher(asyncio.Protocol):
    """A websocket client on the `websockets` sans-I/O protocol, driven
    straight from the transport: no task, queue or future per message, so the
    clients take as little as possible of the cores they share with the
    servers. The protocol answers the server's pings itself."""

    MARKER = b'"event":"answer.created"'
    ID_KEY = b'"data":{"id":'

    def __init__(self, url: str, subscribe: bytes, deliveries: array, errors: dict, deflate: bool):
        from websockets.client import ClientProtocol
        from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
        from websockets.uri import parse_uri

        extensions = [ClientPerMessageDeflateFactory()] if deflate else None
        self.protocol = ClientProtocol(parse_uri(url), extensions=extensions, max_size=2**20)
        self.subscribe = subscribe
        self.deliveries = deliveries
        self.errors = errors
        self.seen: set[int] = set()
        self.subscribed = asyncio.get_running_loop().create_future()
        self.transport = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.protocol.send_request(self.protocol.connect())
        self.flush()

    def data_received(self, data: bytes) -> None:
        from websockets.frames import Frame

        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if not isinstance(event, Frame):  # the handshake response
                if self.protocol.handshake_exc is not None:
                    self.fail(self.protocol.handshake_exc)
                else:
                    self.protocol.send_text(self.subscribe)
                continue
            payload = event.data
            if self.MARKER in payload:
                at = payload.index(self.ID_KEY) + len(self.ID_KEY)
                answer_id = int(payload[at : payload.index(b",", at)])
                if answer_id in self.seen:
                    self.errors["duplicates"] += 1
                    continue
                self.seen.add(answer_id)
                self.deliveries.append(answer_id)
                self.deliveries.append(time.time())
            elif not self.subscribed.done() and b'"subscribed"' in payload:
                self.subscribed.set_result(True)
        self.flush()

    def flush(self) -> None:
        for chunk in self.protocol.data_to_send():
            if chunk:
                self.transport.write(chunk)

    def fail(self, exc) -> None:
        if not self.subscribed.done():
            self.subscribed.set_exception(exc)

    def connection_lost(self, exc) -> None:
        if self.subscribed.done():
            self.errors["closed"] += 1
        else:
            self.fail(exc or ConnectionError("closed during the handshake"))


async def _watch(urls, topic, count, index, ready, stop, progress, deflate):
    from urllib.parse import urlsplit

    subscribe = f'{{"type":"subscribe","topic":"{topic}","since":null}}'.encode()
    deliveries = array("d")  # flat pairs: answer id, receive time (time.time())
    errors = {"connect": 0, "closed": 0, "duplicates": 0}
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    loop = asyncio.get_running_loop()
    watchers = []

    async def open_one(n):
        url = urls[(index + n) % len(urls)]
        parts = urlsplit(url)
        async with gate:
            try:
                _transport, watcher = await loop.create_connection(
                    lambda: Watcher(url, subscribe, deliveries, errors, deflate), parts.hostname, parts.port
                )
                await asyncio.wait_for(watcher.subscribed, 60)
                watchers.append(watcher)
            except Exception:
                errors["connect"] += 1

    await asyncio.gather(*(open_one(n) for n in range(count)))

    async def report_progress():
        while True:
            progress[index] = len(deliveries) // 2
            await asyncio.sleep(0.2)

    reporter = asyncio.create_task(report_progress())
    ready.put((index, len(watchers)))
    cpu_start = _cpu()
    await loop.run_in_executor(None, stop.wait)
    cpu = _cpu() - cpu_start
    reporter.cancel()
    for watcher in watchers:
        watcher.transport.abort()  # a clean close handshake x 5,000 only measures closing
    return {"sockets": len(watchers), "deliveries": deliveries, "errors": errors, "cpu": cpu}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- servers ----------------------------------------------------------------------------


class Server:
    def __init__(self, port: int, env: dict, log: Path, deflate: bool = False):
        self.port = port
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--ws",
                "websockets-sansio",
                "--ws-max-size",
                "65536",
                # Frames are small JSON; per-connection zlib on every delivery
                # costs more CPU than it saves on loopback (docs/benchmarks.md).
                "--ws-per-message-deflate",
                "true" if deflate else "false",
                "--backlog",
                "4096",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(log, "ab"),  # noqa: SIM115 (the child keeps it)
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server on {port} did not start, see {log}") from None
                time.sleep(0.2)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return math.nan

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        stop(self.process, timeout=15)


# --- the publisher (this process) ---------------------------------------------------------


def prepare_database():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group

    from forum.models import User
    from forum.permissions import MODERATORS_GROUP
    from forum.services.questions import ask_question

    # A moderator posts: moderators are not rate-limited or held, so the
    # benchmark measures the stream, not the anti-spam rules.
    poster, created = User.objects.get_or_create(username="bench-poster", defaults={"display_name": "Bench"})
    if created:
        poster.set_password(os.urandom(16).hex())
        poster.save()
    poster.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    question = ask_question(
        author=poster,
        title=f"Banc d'essai de diffusion {datetime.now(UTC):%Y-%m-%d %H:%M:%S}",
        body="Un fil où le banc d'essai publie des réponses à intervalle régulier.",
        tags=["banc-essai"],
    )
    return poster, question


def post_answers(poster, question, rate: float, seconds: float) -> tuple[dict[int, float], list[float]]:
    """Answer ids with their commit times, and how long each service call took.

    The service runs in a sync_to_async thread under an event loop, as a sync
    view does under uvicorn: `forum.events` then sends to the channel layer on
    that loop's long-lived Redis connection. (From plain sync code, such as a
    WSGI worker, async_to_sync opens a fresh loop and Redis connection for
    every event: a few milliseconds more per event.)"""
    from asgiref.sync import sync_to_async
    from django.db import close_old_connections, transaction

    from forum.services.answers import post_answer

    posted: dict[int, float] = {}
    durations: list[float] = []

    def post_one(n: int) -> None:
        began = time.monotonic()
        committed = []
        with transaction.atomic():
            # Registered first, so it runs first on commit, right before the
            # service's own on_commit hooks send the events to the layer.
            transaction.on_commit(lambda: committed.append(time.time()))
            answer = post_answer(
                author=poster,
                question=question,
                body=f"Réponse automatique numéro {n} du banc d'essai, envoyée à intervalle régulier.",
            )
        posted[answer.pk] = committed[0]
        durations.append(time.monotonic() - began)

    async def timeline() -> None:
        interval = 1 / rate
        start = time.monotonic()
        for n in range(int(rate * seconds)):
            # A fixed timeline, not "sleep after each post": a slow post is
            # not allowed to lower the rate.
            delay = start + n * interval - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await sync_to_async(post_one)(n)
        await sync_to_async(close_old_connections)()

    asyncio.run(timeline())
    return posted, durations


# --- one scenario ---------------------------------------------------------------------------


def run_scenario(
    servers, question, poster, watchers: int, rate: float, seconds: float, clients: int, deflate: bool = False
) -> dict:
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    stop = ctx.Event()
    progress = ctx.Array("q", clients, lock=False)
    topic = f"thread:{question.pk}"
    per_client = [watchers // clients + (1 if i < watchers % clients else 0) for i in range(clients)]
    urls = [server.url for server in servers]
    processes = [
        ctx.Process(
            target=watcher_process, args=(urls, topic, n, i, ready, stop, results, progress, deflate), daemon=True
        )
        for i, n in enumerate(per_client)
    ]
    connect_started = time.monotonic()
    for process in processes:
        process.start()
    connected = sum(ready.get(timeout=600)[1] for _ in processes)
    connect_seconds = time.monotonic() - connect_started
    time.sleep(1.0)

    load_before = os.getloadavg()
    cpu_before = [server.cpu_seconds() for server in servers]
    publisher_before = _cpu()
    posted, durations = post_answers(poster, question, rate, seconds)
    publisher_cpu = _cpu() - publisher_before
    posting_ended = time.monotonic()
    drain(progress, connected * len(posted))
    drain_seconds = time.monotonic() - posting_ended
    cpu_used = sum(server.cpu_seconds() - before for server, before in zip(servers, cpu_before, strict=True))
    load_after = os.getloadavg()
    stop.set()

    reports = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(30)

    latencies = []
    delivered = 0
    for report in reports:
        pairs = report["deliveries"]
        for i in range(0, len(pairs), 2):
            answer_id, received_at = int(pairs[i]), pairs[i + 1]
            sent_at = posted.get(answer_id)
            if sent_at is not None:
                latencies.append(received_at - sent_at)
                delivered += 1
    expected = connected * len(posted)
    duplicates = sum(r["errors"]["duplicates"] for r in reports)
    latencies.sort()
    return {
        "watchers": watchers,
        "connected": connected,
        "rate": rate,
        "seconds": seconds,
        "answers": len(posted),
        "expected": expected,
        "delivered": delivered,
        "lost": max(0, expected - delivered),
        "duplicates": duplicates,
        "connect_errors": sum(r["errors"]["connect"] for r in reports),
        "dropped_sockets": sum(r["errors"]["closed"] for r in reports),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": latencies[-1] if latencies else math.nan,
        "mean": statistics.fmean(latencies) if latencies else math.nan,
        "server_cpu_us_per_delivery": cpu_used / delivered * 1e6 if delivered else math.nan,
        "drain_seconds": drain_seconds,
        "connect_seconds": connect_seconds,
        "load_before": load_before,
        "load_after": load_after,
        "clients": clients,
        "deflate": deflate,
        "client_cpu_us_per_delivery": sum(r["cpu"] for r in reports) / delivered * 1e6 if delivered else math.nan,
        "publisher_cpu_ms_per_answer": publisher_cpu / len(posted) * 1e3 if posted else math.nan,
        "post_p50": percentile(sorted(durations), 50),
        "post_p99": percentile(sorted(durations), 99),
    }


def run_idle(servers, question, watchers: int, clients: int, hold: float = 10.0) -> dict:
    """Connect and subscribe `watchers` sockets, let them sit idle for
    `hold` seconds, and read the servers' RSS: what an audience costs in
    memory when nothing is posted."""
    ctx = mp.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    stop = ctx.Event()
    progress = ctx.Array("q", clients, lock=False)
    topic = f"thread:{question.pk}"
    per_client = [watchers // clients + (1 if i < watchers % clients else 0) for i in range(clients)]
    urls = [server.url for server in servers]
    rss_before = [server.rss_mib() for server in servers]
    processes = [
        ctx.Process(target=watcher_process, args=(urls, topic, n, i, ready, stop, results, progress), daemon=True)
        for i, n in enumerate(per_client)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    connected = sum(ready.get(timeout=900)[1] for _ in processes)
    connect_seconds = time.monotonic() - started
    cpu_before = [server.cpu_seconds() for server in servers]
    time.sleep(hold)
    idle_cpu = sum(server.cpu_seconds() - before for server, before in zip(servers, cpu_before, strict=True))
    rss = [server.rss_mib() for server in servers]
    stop.set()
    reports = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(30)
    return {
        "watchers": watchers,
        "connected": connected,
        "connect_errors": sum(r["errors"]["connect"] for r in reports),
        "connect_seconds": connect_seconds,
        "rss_before": rss_before,
        "rss": rss,
        "idle_cpu_percent": idle_cpu / hold * 100,
        "hold": hold,
    }


def idle_line(r: dict) -> str:
    total = sum(r["rss"])
    verdict = "met" if total < IDLE_GOAL_MIB and r["connected"] == r["watchers"] else "missed"
    return (
        f"- Idle audience ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python -m bench.fanout --idle "
        f"{r['watchers']}`): {r['connected']:,} of {r['watchers']:,} sockets connected and subscribed in "
        f"{r['connect_seconds']:.0f} s ({r['connect_errors']} errors); the two uvicorn processes' RSS "
        f"{' + '.join(f'{x:.0f}' for x in r['rss'])} = {total:,.0f} MiB (before: "
        f"{' + '.join(f'{x:.0f}' for x in r['rss_before'])} MiB), "
        f"{(total - sum(r['rss_before'])) * 1024 / max(1, r['connected']):.0f} KiB per socket; "
        f"{r['idle_cpu_percent']:.0f} % of a core while idle for {r['hold']:g} s; goal < {IDLE_GOAL_MIB:,} MiB: "
        f"{verdict}."
    )


def drain(progress, expected: int) -> None:
    last, quiet_since, started = -1, time.monotonic(), time.monotonic()
    while time.monotonic() - started < DRAIN_MAX_SECONDS:
        total = sum(progress)
        if total >= expected:
            return
        if total != last:
            last, quiet_since = total, time.monotonic()
        elif time.monotonic() - quiet_since > DRAIN_QUIET_SECONDS:
            return
        time.sleep(0.2)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    k = (len(values) - 1) * p / 100
    low, high = math.floor(k), math.ceil(k)
    return values[low] + (values[high] - values[low]) * (k - low)


# --- report ---------------------------------------------------------------------------------


def verdict(result: dict) -> str:
    goal = GOALS.get(result["watchers"])
    if goal is None:
        return "—"
    ok = (
        result["p99"] < goal[1]
        and result["lost"] == 0
        and result["duplicates"] == 0
        and result["connected"] == result["watchers"]
    )
    return f"{'met' if ok else 'missed'} (p99 < {goal[1] * 1000:.0f} ms, 0 lost)"


def table(results: list[dict]) -> str:
    lines = [
        "| watchers (connected) | answers/s × s | deliveries | lost | duplicates | p50 | p99 | max "
        "| server CPU / delivery | goal |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['watchers']:,} ({r['connected']:,}) | {r['rate']:g} × {r['seconds']:g} "
            f"| {r['delivered']:,} / {r['expected']:,} | {r['lost']} | {r['duplicates']} | {r['p50'] * 1000:.1f} ms "
            f"| {r['p99'] * 1000:.1f} ms | {r['max'] * 1000:.0f} ms | {r['server_cpu_us_per_delivery']:.0f} µs "
            f"| {verdict(r)} |"
        )
    return "\n".join(lines)


def conditions(results: list[dict], note: str) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    loads = ", ".join(f"{r['watchers']:,}: {r['load_before'][0]:.1f} → {r['load_after'][0]:.1f}" for r in results)
    lines = [
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `python -m bench.fanout` "
        f"({', '.join(f'{r["watchers"]}:{r["rate"]:g}:{r["seconds"]:g}' for r in results)}).",
        f"- Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        "2 uvicorn processes (uvloop, httptools, websockets, per-message-deflate "
        f"{'on' if results[0]['deflate'] else 'off'}), "
        "RedisPubSubChannelLayer, PostgreSQL; watchers in "
        f"{', '.join(str(r['clients']) for r in results)} client process(es); all on loopback, same cores.",
        f"- 1-minute load average before → after each scenario: {loads}.",
        "- The publisher's service call (`post_answer`, before the latency clock starts): "
        + ", ".join(
            f"{r['watchers']:,}: p50 {r['post_p50'] * 1000:.0f} ms, p99 {r['post_p99'] * 1000:.0f} ms, "
            f"{r['publisher_cpu_ms_per_answer']:.0f} ms CPU"
            for r in results
        )
        + ".",
        "- Client CPU per delivery (the watchers' processes, same cores): "
        + ", ".join(f"{r['watchers']:,}: {r['client_cpu_us_per_delivery']:.0f} µs" for r in results)
        + ".",
    ]
    if note:
        lines.append(f"- {note}")
    return "\n".join(lines)


def write_section(begin: str, end: str, body: str) -> None:
    """Replace what docs/benchmarks.md holds between the markers `begin` and
    `end` (a bench's own section), or append the section if it is new."""
    section = "\n".join([begin, body, end])
    text = DOCS.read_text() if DOCS.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOCS.write_text(text)


def write_docs(results: list[dict], note: str) -> None:
    write_section(BEGIN, END, "\n".join([table(results), "", conditions(results, note)]))


# --- main --------------------------------------------------------------------------------------


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, needed))
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    if want < needed:
        print(f"warning: only {want} file descriptors allowed, {needed} wanted", file=sys.stderr)


def parse_scenario(text: str) -> tuple[int, float, float]:
    watchers, rate, seconds = text.split(":")
    return int(watchers), float(rate), float(seconds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", action="append", help="WATCHERS:RATE:SECONDS (repeatable)")
    parser.add_argument("--clients", type=int, default=0, help="client processes (default: 2, or 1 per 1,250 watchers)")
    parser.add_argument("--write-docs", action="store_true", help="write the results into docs/benchmarks.md")
    parser.add_argument(
        "--deflate", action="store_true", help="servers and clients negotiate per-message-deflate, like browsers"
    )
    parser.add_argument("--note", default="", help="a line about the conditions, e.g. other load on the machine")
    parser.add_argument("--idle", type=int, default=0, help="only connect this many idle sockets and report RSS")
    args = parser.parse_args(argv)
    scenarios = [parse_scenario(s) for s in (args.scenario or STANDARD)]

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/alternance_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    # The settings refuse to start without a key when DEBUG is off (as here).
    os.environ.setdefault("SECRET_KEY", "django-insecure-bench-only")
    raise_fd_limit(max(args.idle, *(w for w, _, _ in scenarios)) * 2 + 1024)
    ensure_database(os.environ["DATABASE_URL"])
    poster, question = prepare_database()

    from django.db import connections

    connections.close_all()
    env = dict(os.environ, DEBUG="0", ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="WARNING")
    logs = Path(tempfile.mkdtemp(prefix="fanout-"))
    servers = [Server(free_port(), env, logs / f"server-{n}.log", deflate=args.deflate) for n in range(2)]
    results = []
    if args.idle:
        try:
            print(
                idle_line(run_idle(servers, question, args.idle, args.clients or max(2, math.ceil(args.idle / 1250))))
            )
        finally:
            for server in servers:
                server.stop()
        return 0
    try:
        for watchers, rate, seconds in scenarios:
            # At least two, so that the clients' share of a burst runs on both cores.
            clients = args.clients or max(2, math.ceil(watchers / 1250))
            print(f"… {watchers} watchers, {rate:g} answers/s for {seconds:g} s, {clients} client process(es)")
            result = run_scenario(servers, question, poster, watchers, rate, seconds, clients, args.deflate)
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
    finally:
        for server in servers:
            server.stop()
    print()
    print(table(results))
    print(conditions(results, args.note))
    print(f"(server logs in {logs})")
    if args.write_docs:
        write_docs(results, args.note)
    return 0


def ensure_database(url: str) -> None:
    """A fresh benchmark database for every run (migrations may have changed).
    Only a database whose name ends in "bench" is ever dropped."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and name.endswith("bench"):
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    sys.exit(main())
