"""Where a page's time goes: the home page and the 30-answer thread, rendered
in-process by Django's test client under pyinstrument, on the database seeded
by bench.seed.

    .venv/bin/python -m bench.profile                 # prints the top of each profile
    .venv/bin/python -m bench.profile --html var/     # and writes the full ones

Settings as bench.run's servers (DEBUG off, PostgreSQL, Redis). Each page is
requested once to warm up, then `--requests` times under the profiler; the
time per request and the CPU time per request (on a busy machine the wall
time includes waiting for a core; the CPU time much less so) are printed with
the call tree, cut to `--lines` lines.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from bench.run import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, in_process_environment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--html", type=Path, help="a folder for the full HTML profiles")
    args = parser.parse_args(argv)

    in_process_environment(database_url=args.database_url, redis_url=args.redis_url)
    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from bench.seed import reference_thread

    thread = reference_thread()
    pages = {"home": "/", "thread, 30 answers": thread.get_absolute_url()}
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in pages.items():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        profiler = Profiler(interval=0.0005)
        started, cpu_started = time.perf_counter(), time.process_time()
        profiler.start()
        for _ in range(args.requests):
            client.get(path)
        profiler.stop()
        per_request = (time.perf_counter() - started) / args.requests * 1000
        cpu = (time.process_time() - cpu_started) / args.requests * 1000
        print(
            f"#### {name} `{path}`: {per_request:.1f} ms per request in-process, {cpu:.1f} ms of it CPU "
            f"({args.requests} requests, 1-minute load average {os.getloadavg()[0]:.1f})\n"
        )
        text = profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)
        print("\n".join(text.splitlines()[: args.lines]))
        print()
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            out = args.html / f"profile-{name.split(',')[0]}.html"
            out.write_text(profiler.output_html())
            print(f"full profile: {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
