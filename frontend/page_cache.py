"""Anonymous pages from the shared cache, and conditional responses
(docs/architecture.md, "Caching"); list and thread pages shared between
members too ("List pages shared between members", "Thread pages shared
between members").

A page is stored once per exact version (`forum.page_versions`: the newest
cursor of its topics, the generation, the release), language, host and full
path, and only when nothing in it belongs to one reader: the request is
anonymous, carries no message, and the view set no cookie. An anonymous page
normally carries no CSRF token (the language switch needs none: config/urls.py);
one that does has it stored as a placeholder, filled per response with this
reader's token.
"""

import logging
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from config.unavailable import is_database_unavailable
from forum import events, http_cache, legal_dates, page_versions, permissions, queries
from forum.insights import menu as insights_menu
from forum.models import Visibility

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "\x00csrf\x00"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')

# What a view may attach to its response for `on_hit` (e.g. what counting a view needs).
META_ATTRIBUTE = "page_cache_meta"

# The one part of a members' shared page that is the reader's own.
ACCOUNT_MENU = "frontend/partials/account_menu.html"
ACCOUNT_MENU_PLACEHOLDER = "\x00account\x00"
# A stored copy is its UTF-8 bytes cut at the placeholders, which stay at the
# odd places (`_cut`): a hit joins the pieces with the reader's own parts
# (`_filled`) instead of a str.replace and an encoding of the whole page each.
_PLACEHOLDERS = re.compile(f"({re.escape(CSRF_PLACEHOLDER)}|{re.escape(ACCOUNT_MENU_PLACEHOLDER)})")


def shared_page(
    topics: Callable[..., list[str] | None],
    *,
    on_hit: Callable[[HttpRequest, dict], None] | None = None,
    members: bool | Callable[..., tuple] = False,
    member_menu: bool = True,
    edge: Callable[..., list[str] | None] | None = None,
):
    """Serve the view's anonymous GETs from the shared cache.

    `topics(**view_kwargs)` names the event topics the page shows
    (page_versions.EVERY_TOPIC for a page that may show any thread). `on_hit`
    runs on a cache hit (not on a 304) with what the view attached as
    `response.page_cache_meta` (the thread page counts a view with it).
    `members`: True when the page is the same for every member who sees
    lists as any member does (`queries.sees_lists_as_any_member`) but for
    their account menu, which is rendered per response (`_member_page`); or
    a function `members(request, **view_kwargs)` that answers for the reader
    instead: what else of them the page shows, for the key (a tag page:
    whether they follow it), or None when the page is theirs alone (their
    lists are not anyone's; a thread they took part in). `member_menu=False`:
    a fragment without the account menu (a thread's live parts).

    `edge`: with a `members` function, lets the HTTP cache assemble the
    members' copies too (frontend/views/edge.py asks the view's `edge_record`
    about a member before the cache looks the page up for them):
    `edge(request, **view_kwargs)` does for the member what a hit does
    (`on_hit`) and returns the topics besides the member's own whose events
    change what the page shows of them, or None when the page is theirs."""

    def decorator(view):
        def edge_record(request: HttpRequest, **kwargs) -> tuple[tuple, list[str]] | None:
            """What the page shows of this member (the key part of their
            copy) and the topics that change it, or None: their own page."""
            if edge is None or not callable(members) or not _member_shareable(request):
                return None
            reader = members(request, **kwargs)
            if reader is None:
                return None
            topics = edge(request, **kwargs)
            return None if topics is None else (reader, topics)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if members and _member_shareable(request):
                reader = _reader_of(members, request, kwargs)
                if reader is None:
                    return view(request, *args, **kwargs)
                shown = (reader, members, member_menu)
                return _member_page(view, request, topics(**kwargs), shown, on_hit, *args, **kwargs)
            if not _shareable(request):
                return view(request, *args, **kwargs)
            page_topics = topics(**kwargs)
            try:
                version, key, entry = page_versions.version_and_entry(
                    page_topics, get_language(), request.get_host(), request.get_full_path()
                )
            except Exception as exc:
                if is_database_unavailable(exc):
                    raise  # the version is read from the database: a 503, not a cache problem
                # The cache is an optimisation: render as if it did not exist.
                logger.warning("Page cache unreachable; rendering", exc_info=True)
                return view(request, *args, **kwargs)

            secret = request.META.get("CSRF_COOKIE", "")
            last_modified = version.last_modified()
            not_modified = get_conditional_response(
                request, etag=_etag(key, version, secret), last_modified=last_modified, response=None
            )
            if not_modified is not None:
                return _finish(not_modified, key=key, version=version, secret=secret, last_modified=last_modified)

            if _usable(entry):
                pieces, content_type, meta = entry
                response = HttpResponse(_filled(pieces, request), content_type=content_type)
                response["X-Page-Cache"] = "hit"
                if on_hit is not None:
                    on_hit(request, meta)
                if CSRF_PLACEHOLDER not in pieces:
                    http_cache.share(response, page_topics)
            else:
                response = view(request, *args, **kwargs)
                if _storable(request, response):
                    content = _without_tokens(response.content.decode())
                    _store(key, version, (content, response["Content-Type"], getattr(response, META_ATTRIBUTE, {})))
                    if (
                        CSRF_PLACEHOLDER not in content
                        and http_cache.enabled()
                        and page_versions.still_current(version, page_topics, may_lag=events.SEARCH_MAY_LAG)
                    ):
                        http_cache.share(response, page_topics)
                response["X-Page-Cache"] = "miss"
                if response.status_code != 200:
                    return response
            # get_token() may just have made this reader's CSRF cookie.
            secret = request.META.get("CSRF_COOKIE", secret)
            return _finish(response, key=key, version=version, secret=secret, last_modified=last_modified)

        wrapper.edge_record = edge_record
        return wrapper

    return decorator


def _shareable(request: HttpRequest) -> bool:
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # A pending message ("you are logged out") is for this reader only; the
    # normal render shows and consumes it.
    return len(get_messages(request)) == 0


def _member_shareable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def _reader_of(members: bool | Callable[..., tuple | None], request: HttpRequest, kwargs: dict) -> tuple | None:
    """What of this member the page shows besides their menu (the key's
    part), or None when the page is theirs alone."""
    if callable(members):
        return members(request, **kwargs)
    return () if queries.sees_lists_as_any_member(request.user) else None


def _member_page(
    view,
    request: HttpRequest,
    page_topics: list[str] | None,
    shown: tuple,
    on_hit: Callable[[HttpRequest, dict], None] | None,
    *args,
    **kwargs,
) -> HttpResponse:
    """A page as every such member sees it, with this reader's account menu
    and CSRF tokens written in. Stored only when the menu is found once in
    the page, so that nothing else of the storing reader can be in it, and
    when `reader` still holds after rendering (what the page shows of them
    changed meanwhile: their page, not everyone's).
    Not conditional (no ETag): the menu's notification count changes with no
    event on the page's topics. `shown`: the reader's key part, the
    `members` argument that gave it, and whether the page holds the menu."""
    reader, members, with_menu = shown
    # The menu as it stands when the request began comes with the page, in
    # the same cache round trip (the usual hit: nothing marked read since).
    menu_key = _menu_key(request, queries.current_unread_count(request.user)) if with_menu else None
    try:
        version, key, entry, menus = page_versions.version_and_entries(
            page_topics,
            (get_language(), request.get_host(), request.get_full_path(), "member", *reader),
            (menu_key,) if menu_key else (),
        )
    except Exception as exc:
        if is_database_unavailable(exc):
            raise
        logger.warning("Page cache unreachable; rendering", exc_info=True)
        return view(request, *args, **kwargs)
    # The HTTP cache in front assembles the page itself for this member and
    # every such member: it asks for the copy with includes in place of the
    # member's own parts (their menu, CSRF tokens) and keeps it. Only for a
    # reader who holds a CSRF cookie: the includes cannot set one. A page
    # that shows more of its reader: for the variant the cache's record of
    # them named (`edge_record`, which did what `on_hit` does), if this
    # rendering shows them the same.
    variant = request.headers.get(http_cache.VARIANT_HEADER)
    edge = (
        with_menu
        and http_cache.enabled()
        and request.headers.get(http_cache.ESI_HEADER) == "1"
        and holds_csrf_cookie(request)
        and (variant == edge_variant(reader) if variant else members is True and on_hit is None)
    )
    if _usable(entry):
        pieces, content_type, meta = entry
        if edge and (page := _edge_page(pieces, content_type, page_topics)) is not None:
            return page
        if on_hit is not None:
            # First: it may read notifications, which the menu counts.
            on_hit(request, meta)
        menu = _account_menu(request, version, found=menus) if with_menu else None
        response = HttpResponse(_filled(pieces, request, menu), content_type=content_type)
        response["X-Page-Cache"] = "member-hit"
    else:
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            # Tokens out first: each rendering of a form masks the token anew.
            content = _without_tokens(response.content.decode())
            if with_menu:
                menu = _account_menu(request, version)
                if content.count(menu) == 1:
                    content = content.replace(menu, ACCOUNT_MENU_PLACEHOLDER)
                else:
                    logger.warning("Account menu not found once in %s: not shared", request.path)
                    content = None
            if content is not None and _reader_of(members, request, kwargs) == reader:
                _store(key, version, (content, response["Content-Type"], getattr(response, META_ATTRIBUTE, {})))
                # Rendering the forms renewed the reader's CSRF cookie: a
                # page the cache keeps must not (it is everyone's).
                if edge and page_versions.still_current(version, page_topics, may_lag=events.SEARCH_MAY_LAG):
                    page = _edge_page(_cut(content), response["Content-Type"], page_topics)
                    if page is not None:
                        keep_csrf_cookie(request)
                        return page
        response["X-Page-Cache"] = "member-miss"
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


# How `{% csrf_token %}` writes a token, placeholder in: Varnish reads no
# include inside an attribute, so the cache's include is the whole field.
_CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}">'.encode()


def _edge_page(pieces: tuple, content_type: str, topics: list[str] | None) -> HttpResponse | None:
    """The members' copy of a page for the HTTP cache to keep and assemble:
    an Edge Side Include where each reader's own part goes (their account
    menu, a form's CSRF field: frontend/views/edge.py), nothing of this
    reader. None for a page with a token written some other way."""
    includes = {
        ACCOUNT_MENU_PLACEHOLDER: f'<esi:include src="{http_cache.ESI_MENU_URL}"/>'.encode(),
        CSRF_PLACEHOLDER: CSRF_PLACEHOLDER.encode(),
    }
    parts = [includes[piece] if index % 2 else piece for index, piece in enumerate(pieces)]
    content = b"".join(parts).replace(_CSRF_FIELD, f'<esi:include src="{http_cache.ESI_CSRF_URL}"/>'.encode())
    if CSRF_PLACEHOLDER.encode() in content:
        logger.warning("A CSRF token outside a form's field: no members' copy of this page")
        return None
    response = HttpResponse(content, content_type=content_type)
    response[http_cache.ESI_HEADER] = "1"
    response["X-Page-Cache"] = "member-edge"
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    http_cache.share(response, topics, members=True)
    return response


def edge_variant(reader: tuple) -> str:
    """The name of the members' copy of a page for the readers it shows as
    `reader` (what the page shows of them, the key part `members` gives):
    what the HTTP cache's record of a member says (frontend/views/edge.py)."""
    return page_versions.digest(*reader)


def holds_csrf_cookie(request: HttpRequest) -> bool:
    """Whether the reader sent a CSRF cookie that CsrfViewMiddleware kept (a
    malformed one is replaced there with a new secret, which they do not hold)."""
    secret = request.META.get("CSRF_COOKIE")
    return bool(secret) and secret == request.COOKIES.get(settings.CSRF_COOKIE_NAME)


def keep_csrf_cookie(request: HttpRequest) -> None:
    """No renewal of the reader's CSRF cookie on this response, as Django
    sends whenever a token was used: for a response the HTTP cache keeps or
    assembles (its fragments' cookies are not passed on)."""
    request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)


def edge_menu(request: HttpRequest) -> str:
    """This member's account menu with their CSRF token, for the HTTP cache
    to write into the members' pages it assembles (frontend/views/edge.py)."""
    return _filled(_cut(_account_menu(request, page_versions.of_generation())), request).decode()


def _account_menu(request: HttpRequest, version: page_versions.Version, *, found: dict | None = None) -> str:
    """This member's account menu, the same on every page they open: kept
    per state of what it shows (names, unread count, the menu's links) and
    generation, its CSRF token a placeholder. Only for the members whose menu
    `sees_lists_as_any_member` (or a `members` function asking the same
    traits) vouches for: no moderator links. `found`: menus read already,
    with the page's version (`_member_page`)."""
    unread = queries.current_unread_count(request.user)
    key = _menu_key(request, unread)
    if found and key in found:
        menu = page_versions.stamped_value(found[key], version)
    else:
        try:
            menu = page_versions.stamped_value(cache.get(key), version)
        except Exception:
            logger.warning("Fragment cache unreachable; rendering", exc_info=True)
            menu = None
    if menu is None:
        # The count just read, not the context processor's second query.
        context = {"unread_notifications": unread}
        menu = _without_tokens(render_to_string(ACCOUNT_MENU, context, request=request))
        try:
            page_versions.store_stamped(key, version, menu, timeout=settings.PAGE_CACHE_SECONDS * 10)
        except Exception:
            logger.warning("Could not store a fragment in the cache", exc_info=True)
    return menu


def _menu_key(request: HttpRequest, unread: int) -> str:
    """Everything the account menu shows that the generation does not cover."""
    user = request.user
    return "menu:" + page_versions.digest(
        page_versions.release(),
        get_language(),
        user.pk,
        user.username,
        user.public_name,
        unread,
        user.unseen_sanctions,
        insights_menu.may_view_insights(user),
    )


def _without_tokens(html: str) -> str:
    """The page's CSRF tokens as placeholders, for a copy shared between readers."""
    return _CSRF_INPUT.sub(rf"\g<1>{CSRF_PLACEHOLDER}\g<2>", html)


def _cut(content: str) -> tuple:
    """A page with placeholders as the pieces `_filled` joins."""
    pieces = _PLACEHOLDERS.split(content)
    return tuple(piece if index % 2 else piece.encode() for index, piece in enumerate(pieces))


def _filled(pieces: tuple, request: HttpRequest, menu: str | None = None) -> bytes:
    """A stored copy's bytes with this reader's account menu and CSRF token
    (in the menu's own form too); get_token(), which may set the CSRF
    cookie, only if the page holds a form."""
    token = None
    # Each kind of placeholder filled once (a thread holds a form per answer).
    filled: dict[str, bytes] = {}
    parts = list(pieces)
    for index in range(1, len(parts), 2):
        placeholder = parts[index]
        if placeholder not in filled:
            text = menu if placeholder == ACCOUNT_MENU_PLACEHOLDER else placeholder
            if CSRF_PLACEHOLDER in text:
                token = token or get_token(request)
                text = text.replace(CSRF_PLACEHOLDER, token)
            filled[placeholder] = text.encode()
        parts[index] = filled[placeholder]
    return b"".join(parts)


def _usable(entry: tuple | None) -> bool:
    # A copy stored as one string (before 2026-12-06) is not: rendered again.
    return entry is not None and isinstance(entry[0], tuple)


def _store(key: str, version: page_versions.Version, entry: tuple) -> None:
    entry = (_cut(entry[0]), *entry[1:])
    try:
        page_versions.store_entry(key, version, entry, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store a page in the cache", exc_info=True)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A message added while rendering would belong to this reader.
        and len(get_messages(request)) == 0
    )


def _etag(key: str, version: page_versions.Version, secret: str) -> str:
    # The reader's CSRF secret is part of it: a page revalidated after the
    # cookie changed (signing in rotates it) must come back with a valid token.
    # The key names the cursor, not the generation: both count.
    return 'W/"' + page_versions.digest(key, version.generation, secret) + '"'


def _finish(
    response: HttpResponse, *, key: str, version: page_versions.Version, secret: str, last_modified: float | None
) -> HttpResponse:
    response["ETag"] = _etag(key, version, secret)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Browsers revalidate every time (the page changes live); proxies never
    # store it (it carries a CSRF token and may set a cookie).
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def post_fragments(kind: str, posts: list, render: Callable[[object], str]) -> dict[int, str]:
    """The shared part of each post's card, rendered once per post revision
    and generation (names and badges change the generation), in this language:
    one cache round trip for the whole list, whoever reads it. `render(post)`
    makes a missing one; the per-reader parts stay outside."""
    fragments = _shared_fragments("post", posts, lambda post: (kind, post.pk, post.edited_at, post.author_id), render)
    return {post.pk: mark_safe(html) for post, html in zip(posts, fragments, strict=True)}  # noqa: S308 (our own rendered template)


# Where a cached question row or answer card shows its relative time ("il y a
# 3 heures"), written per response: the rest of the fragment does not age.
ROW_TIME = "\x00reltime\x00"


def question_rows(request: HttpRequest, questions: list, reltime: Callable[[object], str]) -> list[str]:
    """Each question's row of a list (home, tag, discovery pages), rendered once
    per state of the row and shared by every reader who sees it the same way,
    in this language: one cache round trip for the page. The key holds what
    the row shows (title, text, tags, counts, status), the generation (names
    and badges), and whether this reader sees the asker (discreet mode); the
    relative time is written in per response by `reltime(question)`."""
    user = request.user
    # The tags for the keys in one small query; the tags and badges a row
    # renders are loaded for the rows not in the cache only (`prepare`).
    tags = queries.tag_names_of(questions)

    def state(question) -> tuple:
        return (
            question.pk,
            question.title,
            question.body,
            question.author_id,
            question.accepted_answer_id,
            question.is_locked,
            question.visibility,
            question.answer_count,
            question.last_activity_at > question.created_at,
            tags.get(question.pk, ()),
            permissions.can_see_person(user, question.author_id, question),
        )

    def prepare(absent: list) -> None:
        prefetch_related_objects(absent, "tags", *queries.author_badge_prefetches("author"))

    def render(question) -> str:
        context = {"question": question, "row_time": ROW_TIME}
        return render_to_string("frontend/partials/question_row.html", context, request=request)

    rows = _shared_fragments("row", questions, state, render, prepare)
    return [
        mark_safe(html.replace(ROW_TIME, reltime(question)))  # noqa: S308 (our own rendered template)
        for question, html in zip(questions, rows, strict=True)
    ]


# Where a cached search result's row takes the query's marked title and
# excerpts: the rest of the row is the question's, whatever was searched.
HIT_TITLE = "\x00hit-title\x00"
HIT_DETAIL = "\x00hit-detail\x00"


def search_rows(
    request: HttpRequest, hits: list, reltime: Callable[[object], str], detail: Callable[[object], str]
) -> list[str]:
    """The row of each search result (forum.search.Hit), in order: the frame
    (status, verified mark, counts, tags, byline) rendered once per state of
    the question and shared by every search that finds it, like a list's rows
    (`question_rows`); the query's marked title, `detail(hit)` (the excerpts
    and the matching answer) and `reltime(hit)` written in per response. A
    search nobody made before mostly finds questions other searches showed:
    their tags and badges are loaded for the rows not in the cache only."""
    user = request.user
    questions = [hit.question for hit in hits]
    tags = queries.tag_names_of(questions)

    def state(hit) -> tuple:
        question = hit.question
        return (
            question.pk,
            question.title,
            question.author_id,
            question.accepted_answer_id,
            question.is_locked,
            question.visibility,
            question.answer_count,
            bool(hit.has_verified_answer),
            tags.get(question.pk, ()),
            permissions.can_see_person(user, question.author_id, question),
        )

    def prepare(absent: list) -> None:
        prefetch_related_objects([hit.question for hit in absent], "tags", *queries.author_badge_prefetches("author"))

    def render(hit) -> str:
        context = {
            "question": hit.question,
            "verified": hit.has_verified_answer,
            "hit_title": HIT_TITLE,
            "hit_detail": HIT_DETAIL,
            "row_time": ROW_TIME,
        }
        return render_to_string("frontend/partials/search_row.html", context, request=request)

    frames = _shared_fragments("hit", hits, state, render, prepare)
    return [
        mark_safe(  # noqa: S308 (our own rendered template; the marked text is escaped by forum.search.text.marked_html)
            frame.replace(HIT_TITLE, hit.title_html).replace(HIT_DETAIL, detail(hit)).replace(ROW_TIME, reltime(hit))
        )
        for hit, frame in zip(hits, frames, strict=True)
    ]


def answer_cards(request: HttpRequest, context: dict, reltime: Callable[[object], str]) -> dict[int, str]:
    """The card of each answer of a thread (`context`: thread_answers_context),
    rendered once per state of the card and shared by every reader for whom it
    reads the same, in this language: one cache round trip for the thread.
    The key holds what the card shows (body, counts, dating, author block) and
    what this reader may do with it (vote, accept, edit, report); this reader's
    CSRF token and the relative time (`reltime(answer.created_at)`) are
    written in per response.

    Answers a moderator reads (their tools), answers not published (status,
    appeals) and answers whose author this reader may not see (discreet mode)
    are left out: `_answers.html` renders those itself."""
    if context["is_moderator"]:
        return {}
    user = request.user
    question, flagged = context["question"], context["flagged_answer_ids"]
    rows = [row for row in context["answers"] if row.author_html and row.answer.visibility == Visibility.PUBLISHED]

    def state(row) -> tuple:
        answer = row.answer
        return (
            question.pk,
            question.title,  # the answer's URL carries the thread's slug
            answer.pk,
            answer.body_html,
            answer.edited_at,
            answer.vote_count,
            answer.valid_as_of,
            answer.sources,
            legal_dates.answer_needs_check(answer),
            row.author_html,
            row.is_accepted,
            row.voted,
            row.can_vote,
            row.can_accept,
            row.can_edit,
            row.can_withdraw,
            row.is_own,
            row.can_confirm_validity,
            answer.pk in flagged,
            permissions.can_flag(user, answer),
            user.is_authenticated,
        )

    def render(row) -> str:
        # Without the request's context processors: the token is a placeholder
        # here, and nothing of this reader's but the key's state may end up in
        # a shared card.
        card = {
            "row": row,
            "question": question,
            "user": user,
            "request": request,
            "is_moderator": False,
            "flagged_answer_ids": flagged,
            "appealed_answer_ids": (),
            "csrf_token": CSRF_PLACEHOLDER,
            "row_time": ROW_TIME,
        }
        return render_to_string("frontend/partials/answer.html", card)

    cards = _shared_fragments("card", rows, state, render)
    # Asked only when a card holds a form: for an anonymous reader get_token()
    # would set the CSRF cookie, and a page with a cookie is not shared.
    token = get_token(request) if any(CSRF_PLACEHOLDER in html for html in cards) else ""
    return {
        row.answer.pk: mark_safe(  # noqa: S308 (our own rendered template)
            html.replace(CSRF_PLACEHOLDER, token).replace(ROW_TIME, reltime(row.answer.created_at))
        )
        for row, html in zip(rows, cards, strict=True)
    }


def shared_value(prefix: str, parts: tuple, build: Callable[[], object]):
    """One value the same for every reader (a thread's structured data), built
    once per `parts`, generation and language and shared: `parts` must hold
    everything `build()` reads that the generation does not cover."""
    (value,) = _shared_fragments(prefix, [parts], lambda same: same, lambda _parts: build())
    return value


def _shared_fragments(
    prefix: str,
    items: list,
    key_of: Callable[[object], tuple],
    render: Callable[[object], str],
    prepare: Callable[[list], None] | None = None,
) -> list[str]:
    """The fragment of each item, in order: from the cache under `key_of(item)`
    with the release, the generation and the language (one `get_many`), else
    `render(item)`, stored for the next reader. `prepare(items)` loads what
    rendering needs beyond the key, for the items about to be rendered only.
    Rendered without the cache when it is unreachable."""
    if not items:
        return []
    try:
        stamp = page_versions.generation()
        release, language = page_versions.release(), get_language()
        keys = [f"{prefix}:" + page_versions.digest(release, stamp, language, *key_of(item)) for item in items]
        found = cache.get_many(keys)
    except Exception:
        logger.warning("Fragment cache unreachable; rendering", exc_info=True)
        found, keys = {}, None
    absent = items if keys is None else [item for item, key in zip(items, keys, strict=True) if key not in found]
    if absent and prepare is not None:
        prepare(absent)
    if keys is None:
        return [render(item) for item in items]
    fragments, missing = [], {}
    for item, key in zip(items, keys, strict=True):
        html = found.get(key)
        if html is None:
            html = missing[key] = render(item)
        fragments.append(html)
    if missing:
        try:
            cache.set_many(missing, timeout=settings.PAGE_CACHE_SECONDS * 10)
        except Exception:
            logger.warning("Could not store fragments in the cache", exc_info=True)
    return fragments
