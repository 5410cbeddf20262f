"""bench/run.py's own logic: reading wrk's output, and serving the app with
the flags the production entrypoint uses (a benchmark of another setup would
measure something nobody runs)."""

from pathlib import Path

import pytest

from bench.run import GUNICORN_ARGS, UVICORN_ARGS, parse_wrk

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:9150/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.50ms  120.10ms   1.90s    80.00%
    Req/Sec    60.12     20.00   100.00     70.00%
  Latency Distribution
     50%  398.20ms
     75%  450.00ms
     90%  520.00ms
     99%    1.52s
  1203 requests in 10.01s, 25.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:    120.18
Transfer/sec:      2.51MB
"""


def test_it_reads_throughput_latency_and_errors_from_wrk():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 120.18
    assert result.p50_ms == pytest.approx(398.2)
    assert result.p99_ms == pytest.approx(1520)
    assert result.requests == 1203
    assert result.non_2xx == 7
    assert result.errors == 12


def test_microsecond_latencies_and_a_clean_run():
    result = parse_wrk(
        WRK_OUTPUT.replace("398.20ms", "635.91us")
        .replace("  Socket errors", "  X")
        .replace("  Non-2xx or 3xx responses: 7\n", "")
    )
    assert result.p50_ms == pytest.approx(0.63591)
    assert result.errors == 0


ENTRYPOINT = (Path(__file__).resolve().parents[1] / "docker" / "entrypoint.sh").read_text()


def test_the_app_is_served_as_the_entrypoint_serves_http():
    command = ENTRYPOINT[ENTRYPOINT.index("exec gunicorn") :].splitlines()[0]

    assert command.split()[2:] == [*GUNICORN_ARGS, "config.wsgi:application"]


def test_the_asgi_comparison_uses_the_entrypoint_flags_of_the_websocket_processes():
    command = ENTRYPOINT[ENTRYPOINT.index("exec uvicorn") :]
    for flag in UVICORN_ARGS:
        if flag.startswith("--"):
            assert flag in command, flag
    assert '--workers "${WEB_CONCURRENCY:-2}"' in command
