"""The member's own parts of the pages the HTTP cache assembles for every
member whose lists are anyone's (Edge Side Includes: deploy/varnish/default.vcl,
frontend/page_cache.py), and its record of what a member is to a thread or
tag page. Asked by the cache only, with the reader's cookies, and kept under
them (a 404 from outside).

Neither renews the CSRF cookie as Django does each time a token is used
(`page_cache.keep_csrf_cookie`): the answer is kept for the cookie it was made
for, and the cache does not pass a fragment's cookies on."""

from django.http import HttpRequest, HttpResponse
from django.template.backends.utils import csrf_input
from django.urls import Resolver404, resolve

from forum import events, http_cache, queries
from frontend import page_cache


def edge_menu(request: HttpRequest) -> HttpResponse:
    """The member's account menu (their name, unread count, the logout form
    with their token), kept under their event topic: a notification, a read,
    a warning or a logout bans it."""
    user = request.user
    member = user.is_authenticated and queries.sees_lists_as_any_member(user)
    if not member or not page_cache.holds_csrf_cookie(request):
        # A page given to someone it no longer fits (a ban on its way): no menu, kept nowhere.
        return _fragment("")
    response = _fragment(page_cache.edge_menu(request))
    page_cache.keep_csrf_cookie(request)
    http_cache.keep_for_reader(response, topic=events.user_topic(user.pk), expires_in=request.session.get_expiry_age())
    return response


def edge_csrf(request: HttpRequest) -> HttpResponse:
    """A form's CSRF field with a token for the reader's cookie, for each
    form of such a page (an include cannot sit inside an attribute)."""
    if not page_cache.holds_csrf_cookie(request):
        return _fragment("")
    response = _fragment(str(csrf_input(request)))
    page_cache.keep_csrf_cookie(request)
    http_cache.keep_for_reader(response, topic=None, expires_in=http_cache.READER_SECONDS)
    return response


def edge_page(request: HttpRequest, page: str) -> HttpResponse:
    """The cache's record of a member and the page at `/<page>` (its path):
    the members' copy that is theirs (`X-Edge-Variant`: a thread or tag page
    shows whether they follow it, their composer's hints), after doing what
    opening it does for them (a thread counts its reader and reads their
    notifications about it); or "own" (a moderator, a member who took part in
    the thread, any other page). Kept under the member's topic, which their
    writes that such a page shows ban (forum/receivers.py), and the topics the
    page names."""
    response = _fragment("")
    user = request.user
    if not user.is_authenticated or not page_cache.holds_csrf_cookie(request):
        http_cache.describe_no_member(response)
        return response
    try:
        match = resolve("/" + page)
    except Resolver404:
        match = None
    record = getattr(match.func, "edge_record", None) if match is not None else None
    found = record(request, **match.kwargs) if record is not None else None
    topic, expires_in = events.user_topic(user.pk), request.session.get_expiry_age()
    if found is None:
        http_cache.describe_reader(response, topic=topic, reader=http_cache.READER_OWN, expires_in=expires_in)
        return response
    reader, topics = found
    http_cache.describe_reader(
        response,
        topic=topic,
        reader=http_cache.READER_MEMBERS,
        expires_in=expires_in,
        variant=page_cache.edge_variant(reader),
        also=tuple(topics),
    )
    # The cache keeps no response that sets a cookie: whatever the page's
    # record did for the member, their CSRF cookie is not renewed here.
    page_cache.keep_csrf_cookie(request)
    return response


def _fragment(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
