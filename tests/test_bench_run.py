"""bench/run.py's own logic: reading wrk's output, and serving the app with
the flags the production entrypoint uses (a benchmark of another setup would
measure something nobody runs)."""

from pathlib import Path

import pytest

from bench.run import HTTP_SERVER_ARGS, UVICORN_ARGS, Wrk, parse_varnishstat, parse_wrk

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


VARNISHSTAT_OUTPUT = """\
{
  "version": 1,
  "timestamp": "2026-12-04T19:40:00",
  "counters": {
    "MGT.uptime": {"description": "Management process uptime", "flag": "c", "format": "d", "value": 12},
    "MAIN.client_req": {"description": "Good client requests received", "flag": "c", "format": "i", "value": 5021},
    "MAIN.cache_hit": {"description": "Cache hits", "flag": "c", "format": "i", "value": 5000},
    "MAIN.cache_miss": {"description": "Cache misses", "flag": "c", "format": "i", "value": 3},
    "MAIN.s_pass": {"description": "Total pass-ed requests seen", "flag": "c", "format": "i", "value": 18}
  }
}
"""


def test_it_reads_the_cache_counters_from_varnishstat():
    counters = parse_varnishstat(VARNISHSTAT_OUTPUT)

    assert counters == {"client_req": 5021, "cache_hit": 5000, "cache_miss": 3, "s_pass": 18}


def test_the_hit_share_is_over_the_requests_varnish_received():
    assert Wrk(cache_requests=200, cache_hits=150).hit_share == 0.75
    # The app server asked directly: no share, rather than 0 %.
    assert Wrk().hit_share is None


ENTRYPOINT = (Path(__file__).resolve().parents[1] / "docker" / "entrypoint.sh").read_text()


def test_the_app_is_served_as_the_entrypoint_serves_http():
    command = ENTRYPOINT[ENTRYPOINT.index("exec python") :].splitlines()[0]

    assert command.split()[2:] == HTTP_SERVER_ARGS


def test_the_asgi_comparison_uses_the_entrypoint_flags_of_the_websocket_processes():
    command = ENTRYPOINT[ENTRYPOINT.index("exec uvicorn") :]
    for flag in UVICORN_ARGS:
        if flag.startswith("--"):
            assert flag in command, flag
    assert '--workers "${WEB_CONCURRENCY:-2}"' in command
