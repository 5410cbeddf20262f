"""What the HTTP cache learns of a reader before it answers them from a
stored copy (deploy/varnish/default.vcl; forum/http_cache.py). Not public
addresses: the cache refuses them from outside.

A member whose lists are anyone's (`queries.sees_lists_as_any_member`) gets
exactly the anonymous REST thread list and search (`api.conditional`). The
cache cannot tell from a token or a session cookie whether that is the case,
so before it answers such a read it asks `edge_reader`, with the reader's
credentials, and keeps the answer a little while under the member's topic.

A thread's REST detail counts its reader once an hour (docs/api.md), so the
cache asks `edge_view` about every reader of a thread (their credentials, or
their address) before it answers from a stored copy: that request counts the
view, as the detail itself does, and says which copy is theirs: every
anonymous reader shares one, and every member whose lists are anyone's shares
another unless they asked the thread (what the detail shows of its asker is
theirs alone).

A thread's REST answers show a member their own votes and reports: every
member whose lists are anyone's and who took no part in the thread (asked,
answered, voted or reported there) reads the same body, which the cache
keeps for them once `edge_answers` says they are such a member for that
thread (their writes there ban the record: forum/receivers.py).

Authenticated as the REST API authenticates (a Bearer token first, then the
session). Anything else (a token that is invalid, expired or revoked, an
ended session, a moderator, a badge holder, a member with a held question)
is "own": the cache passes their read to the API, which answers as it always
did (a 401 for a bad token).
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from api.authentication import BearerTokenAuthentication
from forum import events, http_cache, queries
from forum.exceptions import NotAllowed, NotFound
from forum.services import questions


def edge_reader(request: HttpRequest) -> HttpResponse:
    response = _private()
    user, expires_in = _member(request)
    if user is None:
        # Credentials that name no member never will (a login makes a new
        # session key; a token is never revived).
        return _no_member(response)
    lists = queries.sees_lists_as_any_member(user)
    reader = http_cache.READER_LISTS if lists else http_cache.READER_OWN
    http_cache.describe_reader(response, topic=events.user_topic(user.pk), reader=reader, expires_in=expires_in)
    return response


def edge_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = _private()
    user, expires_in = _member(request)
    if user is None and _has_credentials(request):
        # The API answers them itself (a 401, or an anonymous read that counts there).
        return _no_member(response)
    reader = user if user is not None else request.user
    try:
        question = queries.get_visible_question(reader, pk)
    except (NotFound, NotAllowed):
        question = None
    if question is not None:
        # The detail's own count, same reader key: once per reader and hour
        # whichever of the two asks first.
        viewer = questions.viewer_key(user_id=user.pk if user else None, address=request.META.get("REMOTE_ADDR"))
        questions.record_view(question=question, viewer=viewer)
    if user is None:
        return _no_member(response)
    shares = question is not None and question.author_id != user.pk and queries.sees_lists_as_any_member(user)
    reader_kind = http_cache.READER_MEMBERS if shares else http_cache.READER_OWN
    http_cache.describe_reader(response, topic=events.user_topic(user.pk), reader=reader_kind, expires_in=expires_in)
    return response


def edge_answers(request: HttpRequest, pk: int) -> HttpResponse:
    response = _private()
    user, expires_in = _member(request)
    if user is None:
        return _no_member(response)
    shares = queries.thread_reader_state(user, pk) is not None
    reader_kind = http_cache.READER_MEMBERS if shares else http_cache.READER_OWN
    http_cache.describe_reader(response, topic=events.user_topic(user.pk), reader=reader_kind, expires_in=expires_in)
    return response


def _private() -> HttpResponse:
    response = HttpResponse(content_type="text/plain")
    response["Cache-Control"] = "private, no-store"
    return response


def _no_member(response: HttpResponse) -> HttpResponse:
    http_cache.describe_no_member(response)
    return response


def _has_credentials(request: HttpRequest) -> bool:
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def _member(request: HttpRequest):
    """The member these credentials are, with how long they stay valid at
    most, or (None, 0): as `REST_FRAMEWORK`'s authentication classes decide."""
    try:
        found = BearerTokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None, 0
    if found is not None:
        user, token = found
        return user, (token.expires_at - timezone.now()).total_seconds()
    # DRF's SessionAuthentication: the session's member, if active.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None, 0
    return user, request.session.get_expiry_age()
