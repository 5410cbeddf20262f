"""Domain errors. Each front door maps them to its own shape: an HTTP status and
the API error body, a form message, or a websocket error frame."""

from django.utils.translation import gettext_lazy as _


class ForumError(Exception):
    code = "error"
    default_message = _("Something went wrong.")

    def __init__(self, message=None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}
        super().__init__(self.message)


class InvalidInput(ForumError):
    code = "invalid"
    default_message = _("Some fields need your attention.")


class NotAllowed(ForumError):
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotFound(ForumError):
    code = "not_found"
    default_message = _("This page does not exist or is no longer available.")


class Conflict(ForumError):
    code = "conflict"
    default_message = _("This action conflicts with the current state.")


class RateLimited(ForumError):
    code = "rate_limited"
    default_message = _("You are going too fast. Please wait a moment.")

    def __init__(self, message=None, *, retry_after: int = 60, fields=None):
        self.retry_after = retry_after
        super().__init__(message, fields=fields)
