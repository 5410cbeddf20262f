"""Prometheus metrics at /metrics (docs/operations.md, "Observability").

What an operator watches: HTTP requests and their latency by route, open
websockets, how late live events reach this process (fan-out lag), and the
background task queue's depth. Route labels are URL pattern names, never
paths, so that the number of series stays bounded.

With several worker processes, set PROMETHEUS_MULTIPROC_DIR to an empty
folder shared by them (cleared at each start): prometheus-client then keeps
each process's values in files there and /metrics sums them.
"""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter("forum_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "forum_http_request_duration_seconds",
    "Time to answer an HTTP request, middleware included.",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
WEBSOCKETS = Gauge("forum_websocket_connections", "Open websocket connections.", multiprocess_mode="livesum")
FANOUT_LAG = Histogram(
    "forum_event_fanout_lag_seconds",
    "From an event's creation (in its transaction) to its arrival in a web process's hub, once per process.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

FRAMES_WRITTEN = Counter(
    "forum_websocket_frames_written_total",
    "Live frames written to websockets: serialised once and written straight to the socket (direct), "
    "or through the ASGI send (asgi: another server, a compressed or slow socket).",
    ["path"],
)


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


class TaskQueueCollector:
    """Tasks waiting for the worker, read at scrape time (one indexed COUNT)."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        family = GaugeMetricFamily("forum_task_queue_depth", "Background tasks ready and waiting for a worker.")
        try:
            family.add_metric([], DBTaskResult.objects.ready().count())
        except Exception:
            return  # the database is away: /metrics still answers, without this gauge
        yield family


def allowed(request) -> bool:
    if settings.METRICS_TOKEN:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(offered.encode(), settings.METRICS_TOKEN.encode())
    # No token: only a scraper on this machine, not a request relayed by a
    # proxy (which would arrive from loopback too).
    return request.META.get("REMOTE_ADDR") in {"127.0.0.1", "::1"} and "HTTP_X_FORWARDED_FOR" not in request.META


def metrics_view(request):
    if not allowed(request):
        return HttpResponseForbidden("metrics: token or loopback required\n", content_type="text/plain")
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output = generate_latest(registry) + generate_latest(_queue_registry())
    response = HttpResponse(output, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


def _queue_registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(TaskQueueCollector())
    return registry
