"""The audit log (moderators): search, pages, and the CSV export. Read-only."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from forum import queries
from forum.presenters import iso
from frontend.moderation_forms import AuditSearchForm
from frontend.views.common import moderator_only, paginate

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    moderator_only(request)
    form = AuditSearchForm(request.GET)
    entries = queries.audit_log(**form.values())
    if request.GET.get("format") == "csv":
        return _audit_csv(entries)
    page = paginate(entries, request.GET.get("page"), per_page=AUDIT_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request, "frontend/moderation/audit.html", {"form": form, "page": page, "csv_query": query.urlencode()}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _audit_csv(entries) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["id", "created_at", "actor", "action", "target_type", "target_id", "target", "reason", "before", "after"]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _csv_cell(value)
                    for value in (
                        entry.pk,
                        iso(entry.created_at),
                        entry.actor.username if entry.actor_id else "",
                        entry.action,
                        entry.target_type,
                        entry.target_id,
                        entry.target_repr,
                        entry.reason,
                        entry.before,
                        entry.after,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="journal-moderation-{stamp}.csv"'
    return response
