"""Keyset ("cursor") pagination on the queryset's own ordering.

DRF's CursorPagination positions on the first ordering field only and skips
ties with an OFFSET, so "votes, then activity" or "accepted, then votes" would
scan every tied row again on each page. Here the cursor holds the values of
every ordering field of the last row sent, and the next page is a plain
WHERE (a, b, id) after (x, y, z): constant cost on any page, no COUNT(*)
(docs/known-traps.md), and no page shift when rows are added at the top.

The ordering is the one the read in forum.queries chose: plain, non-null
fields or annotations (NULLs sort differently on SQLite and PostgreSQL), ending
with a unique one (the primary key is appended otherwise). A row whose sort key
changes between two pages (a vote, new activity) may show twice or not at all:
clients merge pages by `id`.
"""

import base64
import binascii
import json
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from forum.exceptions import InvalidInput
from forum.limits import max_length_for, too_long_message


class CursorPagination(BasePagination):
    page_size = api_settings.PAGE_SIZE or 20
    max_page_size = 100
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.ordering = ordering_of(queryset)
        self.fields = [field_of(queryset, name) for name, _desc in self.ordering]
        position, backwards = self.decode_cursor(request)

        if position is not None:
            queryset = queryset.filter(beyond(self.ordering, position, backwards=backwards))
            if backwards:
                queryset = queryset.order_by(*[name if desc else f"-{name}" for name, desc in self.ordering])
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, position is not None
        self.page = rows
        return rows

    def check_parameters(self, queryset: QuerySet, request) -> None:
        """Raises InvalidInput for a bad page size or cursor without a query:
        for views that read something else first (a version, for an ETag)."""
        self.get_page_size(request)
        self.ordering = ordering_of(queryset)
        self.fields = [field_of(queryset, name) for name, _desc in self.ordering]
        self.decode_cursor(request)

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise InvalidInput(
                fields={
                    self.page_size_query_param: [
                        _("Enter a whole number between 1 and %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    # --- cursors -----------------------------------------------------------------

    def decode_cursor(self, request) -> tuple[list | None, bool]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, False
        limit = max_length_for(self.cursor_query_param)
        if len(encoded) > limit:
            raise InvalidInput(fields={self.cursor_query_param: [too_long_message(limit)]})
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii") + b"==="))
            values, backwards = data["p"], bool(data.get("b"))
            if not isinstance(values, list) or len(values) != len(self.fields):
                raise ValueError
            position = [_clean(field, value) for field, value in zip(self.fields, values, strict=True)]
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, ValidationError, OverflowError):
            raise InvalidInput(
                fields={self.cursor_query_param: [_("This cursor is not valid: start again from the first page.")]}
            ) from None
        return position, backwards

    def encode_cursor(self, row, *, backwards: bool) -> str:
        values = [_plain(getattr(row, name)) for name, _desc in self.ordering]
        data = {"p": values, "b": 1} if backwards else {"p": values}
        token = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor(self.page[-1], backwards=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor(self.page[0], backwards=True)

    # --- response and schema -------------------------------------------------------

    def get_paginated_response(self, data) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The previous page, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string", "maxLength": max_length_for(self.cursor_query_param)},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def ordering_of(queryset: QuerySet) -> list[tuple[str, bool]]:
    """[(field name, descending)], ending with a unique field."""
    names = list(queryset.query.order_by or queryset.model._meta.ordering)
    ordering = []
    for name in names:
        if not isinstance(name, str) or "__" in name or name.startswith("?"):
            raise TypeError(f"Keyset pagination needs plain field names, got {name!r}")
        descending = name.startswith("-")
        name = name.lstrip("-")
        ordering.append((queryset.model._meta.pk.name if name == "pk" else name, descending))
    if not ordering or not _is_unique(queryset, ordering[-1][0]):
        ordering.append((queryset.model._meta.pk.name, False))
    return ordering


def field_of(queryset: QuerySet, name: str):
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    return queryset.model._meta.get_field(name)


def _is_unique(queryset: QuerySet, name: str) -> bool:
    if name in queryset.query.annotations:
        return False
    return queryset.model._meta.get_field(name).unique


def beyond(ordering: list[tuple[str, bool]], position: list, *, backwards: bool) -> Q:
    """Rows strictly after `position` in this ordering (before it, backwards):
    (a > x) OR (a = x AND b > y) OR (a = x AND b = y AND c > z)..."""
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(ordering, position, strict=True):
        lookup = "lt" if descending != backwards else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def _clean(field, raw):
    """A cursor comes from the client: parse it like any other input, range
    included (an id past 2**63 would crash the query, not just match nothing)."""
    value = field.to_python(raw)
    if value is None:
        raise ValueError("Keyset ordering fields must not be null")
    field.run_validators(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Cursor datetimes carry their offset")
        value = value.astimezone(UTC)
    return value


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value
