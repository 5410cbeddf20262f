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
