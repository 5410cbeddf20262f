"""The member's own parts of the pages the HTTP cache assembles for every
member whose lists are anyone's (Edge Side Includes: deploy/varnish/default.vcl,
frontend/page_cache.py). Asked by the cache only, with the reader's cookies,
and kept under them (a 404 from outside).

Neither renews the CSRF cookie as Django does each time a token is used
(`page_cache.keep_csrf_cookie`): the answer is kept for the cookie it was made
for, and the cache does not pass a fragment's cookies on."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

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
    """A CSRF token for the reader's cookie, for each form of such a page."""
    if not page_cache.holds_csrf_cookie(request):
        return _fragment("")
    response = _fragment(get_token(request))
    page_cache.keep_csrf_cookie(request)
    http_cache.keep_for_reader(response, topic=None, expires_in=http_cache.READER_SECONDS)
    return response


def _fragment(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
