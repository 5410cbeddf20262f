"""Logging filters named in settings.LOGGING."""

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A 403 is an expected answer (a member trying a moderator's page), not a
    bug: Django logs it with the PermissionDenied traceback, dozens of lines
    per refusal that bury real errors. Keep the one line "Forbidden: /path"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class UnavailableAsWarning(logging.Filter):
    """A 503 is the database being away (config/unavailable.py), expected
    during a restart: one warning line per request, with its request id, not
    an ERROR with a traceback per request that pages whoever is on call for a
    bug that does not exist. The outage itself shows in psycopg.pool's lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 503:
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.WARNING
            record.levelname = "WARNING"
        return True
