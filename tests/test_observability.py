"""Request ids from the proxy to the logs and the events, JSON log lines, and
the restricted Prometheus endpoint (docs/operations.md, "Observability")."""

import json
import logging

import pytest
from django.test import Client

from config import request_id
from config.json_logs import JsonFormatter, RequestIdFilter
from config.log_filters import UnavailableAsWarning
from forum.models import Event
from tests.factories import make_question, make_user

pytestmark = pytest.mark.django_db


def test_every_response_names_its_request():
    first = Client().get("/healthz")
    second = Client().get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_trusted_proxys_request_id_follows_the_request_into_its_events(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    alice = make_user(username="alice")
    question = make_question(author=alice)
    bob = make_user(username="bob")
    client = Client()
    client.force_login(bob)

    response = client.post(
        f"/api/v1/threads/{question.pk}/answers/",
        data={"body": "Le contrat se signe avant le début de la formation, en général."},
        content_type="application/json",
        headers={"X-Request-ID": "proxy-7f3a-42"},
    )

    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "proxy-7f3a-42"
    event = Event.objects.filter(name="answer.created").latest("id")
    assert event.request_id == "proxy-7f3a-42"
    # Not part of the public payload: clients never see it.
    assert "request_id" not in event.payload


def test_a_request_id_is_not_taken_from_a_client_without_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    response = Client().get("/healthz", headers={"X-Request-ID": "chosen-by-the-client"})
    assert response["X-Request-ID"] != "chosen-by-the-client"


def test_a_malformed_request_id_from_the_proxy_is_replaced(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = Client().get("/healthz", headers={"X-Request-ID": "two words\u00e9" + "x" * 80})
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_are_one_json_object_with_the_request_id_and_extra_fields():
    record = logging.makeLogRecord(
        {"name": "forum", "levelname": "WARNING", "msg": "Redis %s", "args": ("away",), "event": "cache.unreachable"}
    )
    token = request_id.current.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.current.reset(token)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "Redis away"
    assert line["request_id"] == "abc123"
    assert line["event"] == "cache.unreachable"
    assert line["level"] == "WARNING"


def test_metrics_are_refused_to_other_addresses_and_to_proxied_requests(settings):
    settings.METRICS_TOKEN = ""
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403
    assert Client().get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


def test_metrics_are_served_on_loopback_with_requests_by_route():
    client = Client()
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'forum_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "forum_http_request_duration_seconds_bucket" in text
    assert "forum_websocket_connections" in text
    assert "forum_task_queue_depth" in text


def test_metrics_with_a_token_need_that_token_from_anywhere(settings):
    settings.METRICS_TOKEN = "s3cret-scraper-token"
    remote = Client(REMOTE_ADDR="10.1.2.3")
    assert remote.get("/metrics").status_code == 403
    assert remote.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert remote.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"}).status_code == 200
    # With a token set, loopback alone is not enough.
    assert Client().get("/metrics").status_code == 403


def test_a_503_is_logged_as_one_warning_line_without_traceback():
    try:
        raise OSError("connection refused")
    except OSError:
        import sys

        record = logging.makeLogRecord(
            {"name": "django.request", "levelno": logging.ERROR, "levelname": "ERROR", "msg": "Service Unavailable: /"}
        )
        record.exc_info = sys.exc_info()
    record.status_code = 503

    UnavailableAsWarning().filter(record)

    assert record.levelname == "WARNING"
    assert record.exc_info is None
