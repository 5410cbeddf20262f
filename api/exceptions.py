"""One error shape for the whole API:

    {"error": {"code": "invalid", "message": "...", "fields": {"title": ["..."]}}}

`code` is stable and meant for programs, `message` is for people (in the
request's language, French by default), `fields` maps input names to their
messages (empty when the error is not about one field).

Every /api/ URL resolves to a DRF view (api/urls.py ends with a catch-all), so
this handler sees every error raised while answering an API request: DRF's own,
the domain's ForumError, Django's Http404/PermissionDenied and anything
unexpected, which becomes a logged JSON 500 here instead of the site's HTML
error page. Errors outside the view (a crashing middleware) are not API
errors and keep Django's handler500.
"""

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from api.parsers import RequestTooLarge
from config.unavailable import RETRY_AFTER_SECONDS, is_database_unavailable
from forum.exceptions import Conflict, ForumError, InvalidInput, NotAllowed, NotFound, RateLimited

logger = logging.getLogger("api")

DOMAIN_STATUS = (
    (InvalidInput, status.HTTP_400_BAD_REQUEST),
    (NotAllowed, status.HTTP_403_FORBIDDEN),
    (NotFound, status.HTTP_404_NOT_FOUND),
    (Conflict, status.HTTP_409_CONFLICT),
    (RateLimited, status.HTTP_429_TOO_MANY_REQUESTS),
)

# DRF's codes, renamed where the domain already has a word for the same thing.
DRF_CODES = {"permission_denied": "forbidden", "throttled": "rate_limited"}


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}, **extra}}


def exception_handler(exc, context):
    if isinstance(exc, ForumError):
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        # Too large a body, too many fields, a malformed header...
        exc = exceptions.ParseError(_("The request could not be read."))
    if isinstance(exc, exceptions.APIException):
        return _drf_response(exc)
    return _server_error(exc, context)


def _domain_response(exc: ForumError) -> Response:
    code = next((code for kind, code in DOMAIN_STATUS if isinstance(exc, kind)), status.HTTP_400_BAD_REQUEST)
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    extra = {}
    if getattr(exc, "matches", None) is not None:
        # forum.exceptions.PersonalDataWarning: what looked like personal data.
        extra["matches"] = exc.matches
    set_rollback()
    return Response(error_body(exc.code, exc.message, exc.fields, **extra), status=code, headers=headers)


def _drf_response(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled):
        headers["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", InvalidInput.default_message, flatten_fields(exc.detail))
    else:
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        body = error_body(DRF_CODES.get(code, code), str(detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def flatten_fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as flat, dotted names: {"tags.2": ["..."]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            fields.update(flatten_fields(value, f"{prefix}.{name}" if prefix else str(name)))
        return fields
    if isinstance(detail, list) and detail and all(isinstance(item, str) for item in detail):
        return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(item) for item in detail]}
    if isinstance(detail, list):
        fields = {}
        for index, value in enumerate(detail):
            if value:
                fields.update(flatten_fields(value, f"{prefix}.{index}" if prefix else str(index)))
        return fields
    return {prefix or api_settings.NON_FIELD_ERRORS_KEY: [str(detail)]}


def _server_error(exc: Exception, context) -> Response:
    request = context.get("request")
    django_request = getattr(request, "_request", request)
    if is_database_unavailable(exc):
        # An outage, not a bug: one line, no traceback, and a time to come back.
        logger.warning("Database unavailable: %s: %s", getattr(django_request, "path", "?"), exc)
        set_rollback()
        return Response(
            error_body("unavailable", _("The service is briefly unavailable. Please try again in a few seconds.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    logger.error(
        "Internal Server Error: %s",
        getattr(django_request, "path", "?"),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    # What Django sends for an uncaught exception: error reporters listen to it,
    # and the test client re-raises from it, so a bug never hides behind a 500.
    got_request_exception.send(sender=None, request=django_request)
    set_rollback()
    return Response(
        error_body("server_error", _("Something went wrong on our side. Please try again later.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
