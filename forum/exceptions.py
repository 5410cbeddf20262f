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


class AccountLocked(RateLimited):
    """Too many password attempts on one account (forum.services.login_limits)."""

    code = "account_locked"


class PersonalDataWarning(InvalidInput):
    """The text looks like it contains personal data. The author may edit it, or
    publish anyway with `confirm_personal_data=True`: the post then waits for a
    moderator. `matches` lists what was found: [{"kind": "email", "text": ...}]."""

    code = "personal_data"
    default_message = _(
        "Your text seems to contain personal data. Remove it, or confirm: your post will then be checked "
        "by a moderator before it is published."
    )

    def __init__(self, message=None, *, matches: list[dict], fields=None):
        self.matches = matches
        super().__init__(message, fields=fields)


class DuplicatePost(Conflict):
    """The member already posted this very text recently (a double submit or
    copy-paste spam). Not a RateLimited: waiting does not make a copy welcome."""

    code = "duplicate"
    default_message = _("You already posted this text recently.")
