"""The request id: one value that follows a request from the proxy, through
every log line written while serving it, into the events it published
(`Event.request_id`, docs/operations.md, "Observability").

A proxy in front (TRUSTED_PROXY_COUNT > 0) may name the request with
`X-Request-ID`; the id is honoured only then, and only if it looks like an id
(a client reaching the app directly could otherwise write anything into the
logs). Otherwise one is made here. It goes back in the response's
`X-Request-ID`, so a member reporting a problem can quote it.
"""

import re
import uuid
from contextvars import ContextVar

from django.conf import settings

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

current: ContextVar[str] = ContextVar("request_id", default="")


def get() -> str:
    return current.get()


def from_request(headers) -> str:
    offered = headers.get(HEADER, "")
    if settings.TRUSTED_PROXY_COUNT > 0 and _VALID.match(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = from_request(request.headers)
        token = current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request.request_id
        return response
