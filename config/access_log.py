"""The HTTP access log, written by the application: one line per request with
the client address (config/forwarded.py's), the request line, the status,
the request id of config/request_id.py and the duration, whichever WSGI
server runs config/wsgi.py (the same message as uvicorn's access lines for
/ws/, so one log query reads both kinds of process).

Written when the response starts: the status and the request id are known,
and every page is rendered by then. The duration is the application's time
to its response's headers; a streamed body (an account export) is not in it.
"""

import logging
import time

from config import request_id

logger = logging.getLogger("http.access")


_HEADER = request_id.HEADER.lower()


def _request_id(headers) -> str:
    for name, value in headers:
        if name.lower() == _HEADER:
            return value
    return ""


class AccessLog:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not logger.isEnabledFor(logging.INFO):
            return self.application(environ, start_response)
        started = time.perf_counter()

        def start_response_logged(status, headers, exc_info=None):
            query = environ.get("QUERY_STRING")
            path = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
            logger.info(
                '%s - "%s %s %s" %s',
                environ.get("REMOTE_ADDR", "-"),
                environ.get("REQUEST_METHOD", ""),
                path,
                environ.get("SERVER_PROTOCOL", ""),
                status.split(None, 1)[0],
                extra={
                    "request_id": _request_id(headers),
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return start_response(status, headers, exc_info)

        return self.application(environ, start_response_logged)
