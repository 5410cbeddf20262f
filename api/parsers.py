import io
import json

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class JSONParser(DRFJSONParser):
    """DRF's JSON parser, with the limits a public endpoint needs:

    - the body size: DRF reads the stream itself, so Django's
      DATA_UPLOAD_MAX_MEMORY_SIZE would never apply;
    - nesting: a deeply nested document exhausts the recursion limit;
    - text that can be stored: Python's json module accepts lone surrogates
      ("\\ud800"), which no UTF-8 column can hold, so the first write would fail.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge()
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
            _encodable(data)
        except ParseError as exc:
            # DRF words it in English, with the json module's own English
            # reason ("JSON parse error - Expecting value..."): say it in the
            # request's language, with where the document breaks.
            raise ParseError(_json_error_message(exc.__context__)) from None
        except RecursionError:
            raise ParseError(_("The JSON document is nested too deeply.")) from None
        except UnicodeEncodeError:
            raise ParseError(_("The request contains text that is not valid Unicode.")) from None
        return data


def _json_error_message(cause) -> str:
    if isinstance(cause, json.JSONDecodeError):
        return gettext("The request body is not valid JSON (line %(line)d, column %(column)d).") % {
            "line": cause.lineno,
            "column": cause.colno,
        }
    if isinstance(cause, UnicodeDecodeError):
        return gettext("The request body is not valid UTF-8.")
    return gettext("The request body is not valid JSON.")


def _encodable(value) -> None:
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            _encodable(key)
            _encodable(item)
    elif isinstance(value, list):
        for item in value:
            _encodable(item)
