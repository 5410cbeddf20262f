"""bench/search_mix.lua, the wrk script of the search throughput runs: it must
send bench/search.py's terms, all of them, correctly encoded, and with
--fresh never the same URL twice (else a cache keyed by the path answers and
the run measures the cache, not the search)."""

import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.search import TERMS

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "search_mix.lua"


def test_the_script_rotates_through_the_terms_of_bench_search():
    table = SCRIPT.read_text().split("local TERMS = {", 1)[1].split("\n}", 1)[0]
    lua_terms = {kind: re.findall(r'"([^"]+)"', terms) for kind, terms in re.findall(r"(\w+) = \{([^}]*)\}", table)}
    assert lua_terms == TERMS


def _record(args: list[str]) -> list[str]:
    """The paths wrk sends in half a second with the script and `args`."""
    if not shutil.which("wrk"):
        pytest.skip("wrk is not installed (apt-get install wrk)")
    paths: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        subprocess.run(["wrk", "-t2", "-c2", "-d1s", "-s", str(SCRIPT), url, "--", *args],
                       check=True, capture_output=True, timeout=30)  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert len(paths) > 30, paths
    return paths


def test_every_term_is_sent_url_encoded_on_every_prefix():
    paths = _record(["/recherche/?q=", "/other/?q="])
    all_terms = {term for terms in TERMS.values() for term in terms}
    sent = {(urlsplit(p).path, parse_qs(urlsplit(p).query)["q"][0]) for p in paths}
    assert {term for _, term in sent} == all_terms
    assert {path for path, _ in sent} == {"/recherche/", "/other/"}
    # Two prefixes: each term is asked on both, so the mix stays the same per prefix.
    per_prefix = {prefix: sum(1 for p in paths if p.startswith(prefix)) for prefix in ("/recherche/", "/other/")}
    assert abs(per_prefix["/recherche/"] - per_prefix["/other/"]) <= 4, per_prefix


def test_fresh_never_repeats_a_url_and_without_it_the_terms_repeat():
    fresh = _record(["--fresh", "/recherche/?q="])
    assert len(set(fresh)) == len(fresh)
    time.sleep(1)  # the run's start time is part of the URL: a second run starts a second later
    again = _record(["--fresh", "/recherche/?q="])
    assert not set(fresh) & set(again)
    assert all(parse_qs(urlsplit(p).query)["q"][0] for p in fresh)
    plain = _record(["/recherche/?q="])
    assert len(set(plain)) == 15


def test_kind_sends_that_kind_only():
    paths = _record(["--kind=misspelled", "/recherche/?q="])
    assert {parse_qs(urlsplit(p).query)["q"][0] for p in paths} == set(TERMS["misspelled"])
