"""Lighthouse (tools/lighthouse/, pinned) on the home page, a thread, a tag
page, the ask page and a profile, mobile profile, Debian's Chromium, against a
real server process: SEO, accessibility and best practices 100, performance
at least 95 (issue 18).

The ask page is for members: it is audited logged in (a session cookie in the
request headers) and is `noindex` on purpose (docs/seo.md), so its "is
crawlable" audit is skipped and SEO is scored on the others.

Needs node and npm (`npm ci` from the committed lockfile runs on first use),
Chromium and a server process; skips off-CI without them, fails under CI=true.
Slow (a few seconds per page): marked `lighthouse`."""

import json
import os
import shutil
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_answer, make_question
from tests.support.requirements import _missing, require_chromium
from tests.support.server import ServerProcess, free_port

pytestmark = [pytest.mark.lighthouse, pytest.mark.server, pytest.mark.browser]

TOOL = Path(__file__).resolve().parents[1] / "tools" / "lighthouse"
CLI = TOOL / "node_modules" / "lighthouse" / "cli" / "index.js"
TARGETS = {"seo": 1.0, "accessibility": 1.0, "best-practices": 1.0, "performance": 0.95}
RUN_TIMEOUT_SECONDS = 120
# Five audits, and room for the reruns of one or two pages (see below).
BUDGET_SECONDS = 240


def require_lighthouse() -> str:
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        _missing("node and npm are needed for Lighthouse (apt-get install -y nodejs npm)")
    if not CLI.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True, timeout=600)
    return node


@pytest.fixture
def site_server(transactional_db, tmp_path):
    """A server whose SITE_URL is its own address, as in production: canonical
    links and share tags name the origin the audit loads (docs/seo.md)."""
    port = free_port()
    server = ServerProcess(outbox=tmp_path / "outbox", port=port, extra_env={"SITE_URL": f"http://127.0.0.1:{port}"})
    server.start()
    yield server
    server.stop()


def audit(node: str, chromium: str, url: str, out: Path, *, cookie: str = "", skip: tuple[str, ...] = ()) -> dict:
    command = [
        node,
        str(CLI),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    if skip:
        command.append("--skip-audits=" + ",".join(skip))
    for attempt in range(2):
        run = subprocess.run(
            command,
            timeout=RUN_TIMEOUT_SECONDS,
            env=os.environ | {"CHROME_PATH": chromium},
            capture_output=True,
            text=True,
        )
        # Lighthouse sometimes loses the trace of a load on a busy machine
        # ("NO_NAVSTART", "Please run Lighthouse again"): one more run, as it says.
        if run.returncode == 0 or attempt == 1 or "run Lighthouse again" not in run.stderr:
            break
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text())
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = {
        audit_id: (result["title"], result.get("score"))
        for audit_id, result in report["audits"].items()
        if result.get("score") is not None and result["score"] < 1 and result.get("scoreDisplayMode") == "binary"
    }
    return {"scores": scores, "failing": failing}


def test_main_pages_score_100_and_at_least_95_for_performance(site_server, student, other_student, tmp_path):
    node = require_lighthouse()
    chromium = require_chromium()
    question = make_question(author=student, title="Combien de jours en entreprise pendant un BTS en alternance ?")
    make_answer(author=other_student, question=question)
    client = Client()
    client.force_login(student)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    base = site_server.url
    pages = {
        "home": (f"{base}/", {}),
        "thread": (f"{base}{question.get_absolute_url()}", {}),
        "tag": (f"{base}/tags/bts/", {}),
        "ask": (f"{base}/questions/poser/", {"cookie": cookie, "skip": ("is-crawlable",)}),
        "profile": (f"{base}/membres/{student.username}/", {}),
    }

    # A fresh process compiles templates and opens connections on its first
    # requests: warm it, so the audit measures pages, not a cold start.
    for url, _options in pages.values():
        urllib.request.urlopen(url, timeout=30).read()
    started = time.monotonic()
    results = {}
    for name, (url, options) in pages.items():
        result = audit(node, chromium, url, tmp_path / f"{name}.json", **options)
        if result["scores"]["performance"] < TARGETS["performance"]:
            # Performance is measured, not computed from the page alone: one
            # run can lose to a burst on a busy machine. Lighthouse's own advice
            # on variance is the median of several runs; three here.
            reruns = [audit(node, chromium, url, tmp_path / f"{name}-{n}.json", **options) for n in (2, 3)]
            result["scores"]["performance"] = statistics.median(
                run["scores"]["performance"] for run in (result, *reruns)
            )
        results[name] = result
    elapsed = time.monotonic() - started

    below = {
        name: {category: score for category, score in result["scores"].items() if score < TARGETS[category]}
        for name, result in results.items()
    }
    below = {name: (scores, results[name]["failing"]) for name, scores in below.items() if scores}
    assert not below, json.dumps(below, indent=1)
    assert elapsed < BUDGET_SECONDS, f"Lighthouse took {elapsed:.0f} s for {len(pages)} pages"
