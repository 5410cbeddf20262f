"""Moderators' tools on the thread page: lock, pin, close as a duplicate,
retag, merge, hide and restore a thread; hide, restore and move an answer.

One URL per post kind takes the tool's name (`moderation/questions/<pk>/lock/`);
each tool is a small function in a table, which runs one service and says
what to tell the moderator and, when the thread changed, where to go next."""

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum import queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import Answer, Question
from forum.services import moderation as moderation_services
from forum.services import thread_tools
from frontend.views.common import refuse, safe_next_url, see_other, visible_post

# A tool: (request, post) -> (message, the page to go to, or None for back where the form was).
Tool = Callable[[HttpRequest, Question | Answer], tuple[str, str | None]]


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


# --- Thread tools ----------------------------------------------------------------------


def _lock(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    reason = request.POST.get("reason", "")
    thread_tools.set_locked(moderator=request.user, question=question, locked=True, reason=reason)
    return _("Thread locked."), None


def _unlock(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    reason = request.POST.get("reason", "")
    thread_tools.set_locked(moderator=request.user, question=question, locked=False, reason=reason)
    return _("Thread unlocked."), None


def _pin(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    reason = request.POST.get("reason", "")
    thread_tools.set_pinned(moderator=request.user, question=question, pinned=True, reason=reason)
    return _("Thread pinned on the home page."), None


def _unpin(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    reason = request.POST.get("reason", "")
    thread_tools.set_pinned(moderator=request.user, question=question, pinned=False, reason=reason)
    return _("Thread unpinned."), None


def _close_as_duplicate(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    original = _thread_or_error(request, request.POST.get("original", ""), "original")
    thread_tools.close_as_duplicate(
        moderator=request.user, question=question, original=original, reason=request.POST.get("reason", "")
    )
    return _("Closed as a duplicate."), None


def _retag(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    thread_tools.retag(
        moderator=request.user,
        question=question,
        tags=request.POST.get("tags", ""),
        reason=request.POST.get("reason", ""),
    )
    return _("Tags updated."), None


def _merge(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    target = _thread_or_error(request, request.POST.get("into", ""), "into")
    target = thread_tools.merge_threads(
        moderator=request.user, source=question, target=target, reason=request.POST.get("reason", "")
    )
    return _("Threads merged: the answers are now in this thread."), target.get_absolute_url()


def _hide_thread(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    _hide(request, question)
    return _("Thread hidden: its author sees the clause and your note."), None


def _restore_thread(request: HttpRequest, question: Question) -> tuple[str, str | None]:
    moderation_services.restore_post(moderator=request.user, post=question, note=request.POST.get("note", ""))
    return _("Thread published again."), None


THREAD_TOOLS: dict[str, Tool] = {
    "lock": _lock,
    "unlock": _unlock,
    "pin": _pin,
    "unpin": _unpin,
    "duplicate": _close_as_duplicate,
    "retag": _retag,
    "merge": _merge,
    "hide": _hide_thread,
    "restore": _restore_thread,
}


# --- Answer tools ----------------------------------------------------------------------


def _hide_answer(request: HttpRequest, answer: Answer) -> tuple[str, str | None]:
    _hide(request, answer)
    return _("Answer hidden: its author sees the clause and your note."), None


def _restore_answer(request: HttpRequest, answer: Answer) -> tuple[str, str | None]:
    moderation_services.restore_post(moderator=request.user, post=answer, note=request.POST.get("note", ""))
    return _("Answer published again."), None


def _move_answer(request: HttpRequest, answer: Answer) -> tuple[str, str | None]:
    target = _thread_or_error(request, request.POST.get("to", ""), "to")
    thread_tools.move_answers(
        moderator=request.user, answers=[answer], target=target, reason=request.POST.get("reason", "")
    )
    return _("Answer moved to this thread."), target.get_absolute_url()


ANSWER_TOOLS: dict[str, Tool] = {
    "hide": _hide_answer,
    "restore": _restore_answer,
    "move": _move_answer,
}


def _hide(request: HttpRequest, post: Question | Answer) -> None:
    moderation_services.hide_post(
        moderator=request.user, post=post, clause=request.POST.get("clause", ""), note=request.POST.get("note", "")
    )


# --- Views -----------------------------------------------------------------------------


@login_required
@require_POST
def thread_tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    question = visible_post(request, "question", pk)
    return _run(request, THREAD_TOOLS, tool, question, back=safe_next_url(request, question.get_absolute_url()))


@login_required
@require_POST
def answer_tool(request: HttpRequest, pk: int, tool: str) -> HttpResponse:
    answer = visible_post(request, "answer", pk)
    return _run(request, ANSWER_TOOLS, tool, answer, back=safe_next_url(request, answer.question.get_absolute_url()))


def _run(request: HttpRequest, tools: dict[str, Tool], tool: str, post, *, back: str) -> HttpResponse:
    if tool not in tools:
        raise Http404()
    try:
        done, next_page = tools[tool](request, post)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message)
        return see_other(back)
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, done)
    return see_other(next_page or back)
