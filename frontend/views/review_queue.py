"""The review queue (moderators): the list, one item's markup for live
updates, decisions one by one or in bulk, and "edit and approve".

Every view has the same shape: fetch, parse, call one service, answer with a
message and a redirect (303) or the form again with its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum import queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import CharterClause, HoldReason, ReviewItem
from forum.services import moderation as moderation_services
from frontend.forms import add_service_errors
from frontend.moderation_forms import DecisionForm, EditApproveForm
from frontend.views.common import live, moderator_only, paginate, raise_for_page, refuse, safe_next_url, see_other

QUEUE_PAGE_SIZE = 30


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    moderator_only(request)
    live_context = live("moderation")
    status = "decided" if request.GET.get("status") == "decided" else "open"
    reason = request.GET.get("reason", "all")
    if reason not in queries.REVIEW_FILTERS:
        reason = "all"
    items = queries.review_queue(status=status, reason=reason)
    page = paginate(items, request.GET.get("page"), per_page=QUEUE_PAGE_SIZE)
    context = {
        "page": page,
        "status_filter": status,
        "reason_filter": reason,
        "reason_choices": [("all", _("All")), *[(r, HoldReason(r).label) for r in queries.REVIEW_FILTERS[1:]]],
        "open_count": queries.open_review_count() if status == "open" else None,
        **live_context,
        "charter_clauses": CharterClause.choices,
    }
    return render(request, "frontend/moderation/queue.html", context)


@login_required
def queue_item(request: HttpRequest, pk: int) -> HttpResponse:
    """One item's markup, for the queue page's live updates."""
    moderator_only(request)
    try:
        item = queries.review_item(pk)
    except ForumError as exc:
        raise_for_page(exc)
    # Its forms come back to the queue, not to this fragment.
    context = {"item": item, "charter_clauses": CharterClause.choices, "next_url": reverse("frontend:moderation_queue")}
    return render(request, "frontend/moderation/_item.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    back = safe_next_url(request, reverse("frontend:moderation_queue"))
    try:
        item = queries.review_item(pk)
    except ForumError as exc:
        return refuse(request, exc, back)
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        moderation_services.decide(
            moderator=request.user,
            item=item,
            decision=data.get("decision", ""),
            clause=data.get("clause", ""),
            note=data.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message)
        return see_other(back + f"#item-{pk}")
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, _decision_message(data.get("decision", "")))
    return see_other(back)


def _decision_message(decision: str) -> str:
    return {
        ReviewItem.Decision.APPROVE: _("Approved: the post is published."),
        ReviewItem.Decision.HIDE: _("Hidden: its author sees the clause and your note."),
        ReviewItem.Decision.EDIT_APPROVE: _("Edited and approved: the post is published."),
        ReviewItem.Decision.RESTORE: _("Restored: the post is published again."),
    }.get(decision, _("Decision recorded."))


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    back = safe_next_url(request, reverse("frontend:moderation_queue"))
    form = DecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        results = moderation_services.decide_many(
            moderator=request.user,
            item_ids=request.POST.getlist("ids")[: moderation_services.BULK_MAX + 1],
            decision=data.get("decision", ""),
            clause=data.get("clause", ""),
            note=data.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message)
        return see_other(back)
    except ForumError as exc:
        return refuse(request, exc, back)
    done = sum(1 for outcome in results.values() if outcome == "ok")
    messages.success(
        request,
        ngettext("%(done)d of %(total)d item decided.", "%(done)d of %(total)d items decided.", len(results))
        % {"done": done, "total": len(results)},
    )
    for pk, outcome in results.items():
        if outcome != "ok":
            messages.warning(request, _("Item %(pk)s: %(why)s") % {"pk": pk, "why": outcome})
    return see_other(back)


@login_required
def edit_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit and approve: the moderator corrects the text, then publishes."""
    moderator_only(request)
    try:
        item = queries.review_item(pk)
    except ForumError as exc:
        raise_for_page(exc)
    post = item.question if item.question_id else item.answer
    template = "frontend/moderation/edit_item.html"
    if request.method != "POST":
        initial = {"title": getattr(post, "title", ""), "body": post.body}
        return render(request, template, {"item": item, "post": post, "form": EditApproveForm(initial=initial)})
    form = EditApproveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        moderation_services.decide(
            moderator=request.user,
            item=item,
            decision=ReviewItem.Decision.EDIT_APPROVE,
            note=data.get("note", ""),
            title=data.get("title") if item.question_id else None,
            body=data.get("body", ""),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, {"item": item, "post": post, "form": form}, status=400)
    except ForumError as exc:
        return refuse(request, exc, reverse("frontend:moderation_queue"))
    messages.success(request, _decision_message(ReviewItem.Decision.EDIT_APPROVE))
    return see_other(reverse("frontend:moderation_queue"))
