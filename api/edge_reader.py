"""What the HTTP cache learns of a signed-in reader's credentials
(deploy/varnish/default.vcl; forum/http_cache.py).

A member whose lists are anyone's (`queries.sees_lists_as_any_member`) gets
exactly the anonymous REST thread list and search (`api.conditional`). The
cache cannot tell from a token or a session cookie whether that is the case,
so before it answers such a read it asks here, with the reader's
credentials, and keeps the answer a little while under the member's topic.

Authenticated as the REST API authenticates (a Bearer token first, then the
session). Anything that is not a member whose lists are anyone's (a token
that is invalid, expired or revoked, an ended session, a moderator, a badge
holder, a member with a held question) is "own": the cache passes their read
to the API, which answers as it always did (a 401 for a bad token). Not a
public address: the cache refuses it from outside.
"""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from api.authentication import BearerTokenAuthentication
from forum import events, http_cache, queries


def edge_reader(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/plain")
    response["Cache-Control"] = "private, no-store"
    user, expires_in = _member(request)
    if user is None:
        # Credentials that name no member never will (a login makes a new
        # session key; a token is never revived): kept as "own", under no member.
        http_cache.describe_reader(response, topic=None, lists=False, expires_in=http_cache.READER_SECONDS)
    else:
        lists = queries.sees_lists_as_any_member(user)
        http_cache.describe_reader(response, topic=events.user_topic(user.pk), lists=lists, expires_in=expires_in)
    return response


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
