"""Log records as one JSON object per line, for a log collector
(docs/operations.md, "Observability"). Stdlib only: a formatter is a dozen
lines and needs no dependency.

Every record gets the current request id (config.request_id) through
`RequestIdFilter`; fields passed with `extra={...}` become top-level keys
(`event` names what happened, e.g. "cache.unreachable").
"""

import json
import logging
from datetime import UTC, datetime

from config import request_id

# Attributes every LogRecord has: anything else came from `extra`.
# uvicorn's "color_message" repeats the message with terminal colours.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if not entry.get("request_id"):
            entry.pop("request_id", None)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
