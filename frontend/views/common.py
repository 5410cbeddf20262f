"""What every page view shares: turning domain errors into pages, messages or
redirects, and paginating lists without counting them."""

from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from forum import permissions, queries
from forum.exceptions import ForumError, NotAllowed, NotFound, RateLimited
from forum.models import Answer, Question
from forum.services.questions import viewer_key

# Far beyond any real list; it keeps OFFSET inside what every database accepts.
MAX_PAGE = 10_000


def live(topics: str) -> dict:
    """The live-update context of a page. Call it BEFORE reading what the page
    shows: an event committed after this cursor reaches the page by websocket
    catch-up, one committed before it is already in the HTML, so none is lost
    in between (live.js drops duplicates)."""
    return {"live_topics": topics, "live_cursor": queries.latest_cursor()}


def viewer_of(request: HttpRequest) -> str:
    """Who reads a page, for counting views once per reader (never the raw address)."""
    user = request.user
    return viewer_key(
        user_id=user.pk if user.is_authenticated else None,
        session_key=request.session.session_key if hasattr(request, "session") else None,
        address=request.META.get("REMOTE_ADDR"),
    )


def see_other(url: str) -> HttpResponse:
    """After a POST, the browser must GET the next page (303), never re-POST."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _not_found(exc: NotFound) -> Http404:
    # The generic message would repeat the 404 page's own heading.
    return Http404(exc.message) if exc.message != str(NotFound.default_message) else Http404()


def refuse(request: HttpRequest, exc: ForumError, next_url: str) -> HttpResponse:
    """A refused action from a button on a page: anonymous people are sent to
    log in and come back; others go back with the reason as a message."""
    if isinstance(exc, NotFound):
        raise _not_found(exc)
    if isinstance(exc, NotAllowed) and not request.user.is_authenticated:
        return redirect_to_login(next_url)
    messages.error(request, exc.message)
    return see_other(next_url)


def raise_for_page(exc: ForumError) -> NoReturn:
    """A page that cannot be shown: 404 or 403 with the reason on the error
    page, 400 for anything else (never a 500)."""
    if isinstance(exc, NotFound):
        raise _not_found(exc)
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message)
    raise BadRequest(exc.message)


def status_for(exc: ForumError) -> int:
    return 429 if isinstance(exc, RateLimited) else 400


def with_retry_after(response: HttpResponse, exc: ForumError) -> HttpResponse:
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@dataclass
class Page:
    """One page of a list, fetched with LIMIT n+1 instead of COUNT(*): the
    count is what costs on a large table, and 'next'/'previous' need no total."""

    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * settings.FORUM["PAGE_SIZE"] + 1


def page_number(raw: str | None) -> int:
    """Anything that is not a sensible page number means the first page."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def paginate(queryset, raw_page: str | None, per_page: int | None = None) -> Page:
    per_page = per_page or settings.FORUM["PAGE_SIZE"]
    number = page_number(raw_page)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        raise Http404("No such page.")
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


def moderator_only(request: HttpRequest) -> None:
    """Moderators' pages answer 403 up front rather than show forms nobody else may use."""
    try:
        permissions.check_can_review(request.user)
    except ForumError as exc:
        raise_for_page(exc)


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` the form carries, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def visible_post(request: HttpRequest, kind: str, pk: int) -> Question | Answer:
    """The thread (`kind` "question") or answer ("answer") the URL names, if the
    viewer may see it. `kind` is the code value: frontend/urls.py turns the
    French slug into it."""
    try:
        if kind == "question":
            return queries.get_visible_question(request.user, pk)
        if kind == "answer":
            return queries.get_visible_answer(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)
    raise Http404()
