"""Moderation pages: the review queue, decisions, thread and answer tools,
sanctions, the audit log (with its CSV export); and for members, reporting a
post, appealing a decision and reading one's warnings.

Every view has the same shape: fetch, parse, call one service, answer with a
message and a redirect (303) or the form again with its errors. Who may do
what is forum.permissions' decision, asked by the services (pages only ask it
up front to answer 403 instead of showing forms nobody may use)."""

import csv
import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum import permissions, queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import Answer, CharterClause, HoldReason, Question, ReviewItem, Visibility
from forum.presenters import iso
from forum.services import flags as flag_services
from forum.services import moderation as moderation_services
from forum.services import sanctions as sanction_services
from forum.services import thread_tools
from frontend.forms import add_service_errors
from frontend.moderation_forms import (
    AppealForm,
    AuditSearchForm,
    DecisionForm,
    EditApproveForm,
    FlagForm,
    SanctionForm,
)
from frontend.views.common import live, paginate, raise_for_page, refuse, see_other, status_for, with_retry_after

QUEUE_PAGE_SIZE = 30
AUDIT_PAGE_SIZE = 50
POST_KINDS = {"question": Question, "reponse": Answer}

# --- Helpers shared with the thread page -------------------------------------------------


def announce_post(request: HttpRequest, post: Question | Answer, published_message: str) -> None:
    """After posting or editing: the usual thanks. A post waiting for a
    moderator gets no message: the page it leads to already explains why and
    what happens next (moderation/_post_status.html), once is enough."""
    if post.visibility != Visibility.PENDING:
        messages.success(request, published_message)


def thread_moderation_context(request: HttpRequest, question: Question, answers: list[Answer]) -> dict:
    """What the thread page needs for reports, appeals and moderator tools:
    two small queries for the whole thread, none per answer."""
    user = request.user
    posts = [question, *answers]
    own_hidden = [p for p in posts if p.visibility == Visibility.HIDDEN and p.author_id == getattr(user, "pk", None)]
    appealed = {"question": set(), "answer": set()}
    if own_hidden:
        rows = ReviewItem.objects.filter(is_appeal=True).filter(
            Q(question__in=[p.pk for p in own_hidden if isinstance(p, Question)])
            | Q(answer__in=[p.pk for p in own_hidden if isinstance(p, Answer)])
        )
        for question_id, answer_id in rows.values_list("question_id", "answer_id"):
            appealed["question" if question_id else "answer"].add(question_id or answer_id)
    flagged = queries.flagged_post_ids(user, question=question) if permissions.can_participate(user) else None
    return {
        "is_moderator": permissions.is_moderator(user),
        "flagged_question_ids": flagged["question"] if flagged else set(),
        "flagged_answer_ids": flagged["answer"] if flagged else set(),
        "appealed_question_ids": appealed["question"],
        "appealed_answer_ids": appealed["answer"],
        "charter_clauses": CharterClause.choices,
    }


def _moderator_only(request: HttpRequest) -> None:
    try:
        permissions.check_can_review(request.user)
    except ForumError as exc:
        raise_for_page(exc)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _post(request: HttpRequest, kind: str, pk: int) -> Question | Answer:
    if kind not in POST_KINDS:
        raise Http404()
    try:
        if kind == "question":
            return queries.get_visible_question(request.user, pk)
        return queries.get_visible_answer(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)


def _thread_id(raw: str) -> int | None:
    """A thread given as its number or as a link to it ("…/questions/42/")."""
    raw = (raw or "").strip()
    match = re.search(r"/questions/(\d{1,18})", raw) or re.fullmatch(r"#?(\d{1,18})", raw)
    return int(match.group(1)) if match else None


def _thread_or_error(request: HttpRequest, raw: str, field: str) -> Question:
    pk = _thread_id(raw)
    if pk is None:
        raise InvalidInput(fields={field: [_("Give the number or the link of a thread.")]})
    return queries.get_visible_question(request.user, pk)


# --- Review queue --------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
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
    _moderator_only(request)
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
    back = _next_url(request, reverse("frontend:moderation_queue"))
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
    back = _next_url(request, reverse("frontend:moderation_queue"))
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
    _moderator_only(request)
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


# --- Thread and answer tools ------------------------------------------------------------


@login_required
@require_POST
def thread_tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    question = _post(request, "question", pk)
    back = _next_url(request, question.get_absolute_url())
    reason = request.POST.get("reason", "")
    user = request.user
    try:
        if tool in ("lock", "unlock"):
            thread_tools.set_locked(moderator=user, question=question, locked=tool == "lock", reason=reason)
            done = _("Thread locked.") if tool == "lock" else _("Thread unlocked.")
        elif tool in ("pin", "unpin"):
            thread_tools.set_pinned(moderator=user, question=question, pinned=tool == "pin", reason=reason)
            done = _("Thread pinned on the home page.") if tool == "pin" else _("Thread unpinned.")
        elif tool == "duplicate":
            original = _thread_or_error(request, request.POST.get("original", ""), "original")
            thread_tools.close_as_duplicate(moderator=user, question=question, original=original, reason=reason)
            done = _("Closed as a duplicate.")
        elif tool == "retag":
            thread_tools.retag(moderator=user, question=question, tags=request.POST.get("tags", ""), reason=reason)
            done = _("Tags updated.")
        elif tool == "merge":
            target = _thread_or_error(request, request.POST.get("into", ""), "into")
            target = thread_tools.merge_threads(moderator=user, source=question, target=target, reason=reason)
            messages.success(request, _("Threads merged: the answers are now in this thread."))
            return see_other(target.get_absolute_url())
        elif tool == "hide":
            moderation_services.hide_post(
                moderator=user, post=question, clause=request.POST.get("clause", ""), note=request.POST.get("note", "")
            )
            done = _("Thread hidden: its author sees the clause and your note.")
        elif tool == "restore":
            moderation_services.restore_post(moderator=user, post=question, note=request.POST.get("note", ""))
            done = _("Thread published again.")
        else:
            raise Http404()
    except InvalidInput as exc:
        messages.error(request, " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message)
        return see_other(back)
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, done)
    return see_other(back)


@login_required
@require_POST
def answer_tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    answer = _post(request, "reponse", pk)
    back = _next_url(request, answer.question.get_absolute_url())
    user = request.user
    try:
        if tool == "hide":
            moderation_services.hide_post(
                moderator=user, post=answer, clause=request.POST.get("clause", ""), note=request.POST.get("note", "")
            )
            done = _("Answer hidden: its author sees the clause and your note.")
        elif tool == "restore":
            moderation_services.restore_post(moderator=user, post=answer, note=request.POST.get("note", ""))
            done = _("Answer published again.")
        elif tool == "move":
            target = _thread_or_error(request, request.POST.get("to", ""), "to")
            thread_tools.move_answers(
                moderator=user, answers=[answer], target=target, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Answer moved to this thread."))
            return see_other(target.get_absolute_url())
        else:
            raise Http404()
    except InvalidInput as exc:
        messages.error(request, " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message)
        return see_other(back)
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, done)
    return see_other(back)


# --- Members and sanctions -------------------------------------------------------------


@login_required
def member(request: HttpRequest, username: str) -> HttpResponse:
    _moderator_only(request)
    target = get_user_model().objects.filter(username=username).first()
    if target is None:
        raise Http404()
    form = SanctionForm(request.POST or None)
    if request.method == "POST":
        response = _sanction(request, target, form)
        if response is not None:
            return response
    context = {
        "member": queries.member_with_history(target),
        "sanctions": queries.member_sanctions(target),
        "form": form,
        "can_sanction": permissions.can_sanction(request.user, target),
        "is_suspended": permissions.is_suspended(target),
        "recent_items": ReviewItem.objects.filter(author=target)
        .select_related("question", "answer", "answer__question", "decided_by")
        .order_by("-created_at")[:20],
    }
    return render(request, "frontend/moderation/member.html", context, status=400 if form.errors else 200)


def _sanction(request: HttpRequest, target, form: SanctionForm) -> HttpResponse | None:
    """Apply the sanction form; None means "show the page again with errors"."""
    form.is_valid()
    data = form.cleaned_data
    action = request.POST.get("action", "")
    back = reverse("frontend:moderation_member", kwargs={"username": target.username})
    user = request.user
    try:
        if action == "warn":
            sanction_services.warn_member(
                moderator=user, member=target, clause=data.get("clause", ""), message=data.get("message", "")
            )
            done = _("Warning sent.")
        elif action == "suspend":
            sanction_services.suspend_member(
                moderator=user,
                member=target,
                days=request.POST.get("days", ""),
                clause=data.get("clause", ""),
                message=data.get("message", ""),
            )
            done = _("Member suspended.")
        elif action == "ban":
            sanction_services.ban_member(
                moderator=user, member=target, clause=data.get("clause", ""), message=data.get("message", "")
            )
            done = _("Account deactivated.")
        elif action == "unsuspend":
            sanction_services.lift_suspension(moderator=user, member=target, note=data.get("message", ""))
            done = _("Suspension lifted.")
        elif action == "unban":
            sanction_services.unban_member(moderator=user, member=target, note=data.get("message", ""))
            done = _("Account reactivated.")
        else:
            form.add_error(None, _("Choose an action."))
            return None
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return None
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, done)
    return see_other(back)


# --- Audit log --------------------------------------------------------------------------


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _moderator_only(request)
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


# --- Members: report, appeal, warnings ---------------------------------------------------


def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(request, kind, pk)
    back = post.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    template = "frontend/moderation/flag.html"
    context = {"post": post, "kind": kind, "question": post if kind == "question" else post.question}
    if request.method != "POST":
        try:
            permissions.check_can_flag(request.user, post)
        except ForumError as exc:
            return refuse(request, exc, back)
        return render(request, template, context | {"form": FlagForm()})
    form = FlagForm(request.POST)
    form.is_valid()
    try:
        flag_services.flag_post(
            user=request.user,
            post=post,
            reason=form.cleaned_data.get("reason", ""),
            text=form.cleaned_data.get("text", ""),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, context | {"form": form}, status=400)
    except ForumError as exc:
        if status_for(exc) == 429:
            form.add_error(None, exc.message)
            return with_retry_after(render(request, template, context | {"form": form}, status=429), exc)
        return refuse(request, exc, back)
    messages.success(request, _("Thank you: the moderators will look at this post."))
    return see_other(back)


@login_required
def appeal(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = _post(request, kind, pk)
    back = post.get_absolute_url()
    template = "frontend/moderation/appeal.html"
    context = {
        "post": post,
        "kind": kind,
        "question": post if kind == "question" else post.question,
        "clause_text": CharterClause(post.moderation_reason).label
        if post.moderation_reason in CharterClause.values
        else "",
    }
    if request.method != "POST":
        try:
            permissions.check_can_appeal(request.user, post)
        except ForumError as exc:
            return refuse(request, exc, back)
        return render(request, template, context | {"form": AppealForm()})
    form = AppealForm(request.POST)
    form.is_valid()
    try:
        moderation_services.appeal(user=request.user, post=post, text=form.cleaned_data.get("text", ""))
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, context | {"form": form}, status=400)
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, _("Your appeal is sent: another moderator will review your post."))
    return see_other(back)


@login_required
def my_warnings(request: HttpRequest) -> HttpResponse:
    sanctions = list(queries.member_sanctions(request.user))
    unseen = {s.pk for s in sanctions if s.seen_at is None}
    sanction_services.mark_warnings_seen(user=request.user)
    context = {
        "sanctions": sanctions,
        "unseen": unseen,
        "is_suspended": permissions.is_suspended(request.user),
    }
    return render(request, "frontend/moderation/warnings.html", context)
