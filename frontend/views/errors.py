"""Error pages in the site's layout.

The 500 page is rendered without a RequestContext: whatever broke (the
database, a context processor, the session) must not break the error page too.
"""

import sys

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from config.unavailable import RETRY_AFTER_SECONDS, is_database_unavailable


def _message(exception) -> str:
    """The reason to show, only when we wrote it for people: a plain Http404 or
    PermissionDenied raised by our views with a sentence. Django's own (a
    Resolver404 carries the URL patterns tried) must never reach the page."""
    if type(exception) not in (Http404, PermissionDenied, BadRequest) or not exception.args:
        return ""
    first = exception.args[0]
    return str(first) if isinstance(first, str) else ""


def bad_request(request, exception=None):
    return render(request, "frontend/errors/400.html", {"message": _message(exception)}, status=400)


def permission_denied(request, exception=None):
    return render(request, "frontend/errors/403.html", {"message": _message(exception)}, status=403)


def page_not_found(request, exception=None):
    return render(request, "frontend/errors/404.html", {"message": _message(exception)}, status=404)


def server_error(request):
    # Called while the uncaught exception is being handled: sys.exception() is it.
    if is_database_unavailable(sys.exception()):
        return service_unavailable(request)
    template = loader.get_template("frontend/errors/500.html")
    return HttpResponseServerError(template.render({}))


def service_unavailable(request):
    """The database is away (restarting, failing over): come back in a few
    seconds. JSON in the API's error shape under /api/ (an error raised
    outside a DRF view, e.g. by a middleware, lands here too)."""
    if request.path.startswith("/api/"):
        body = {
            "error": {
                "code": "unavailable",
                "message": _("The service is briefly unavailable. Please try again in a few seconds."),
                "fields": {},
            }
        }
        response = JsonResponse(body, status=503)
    else:
        template = loader.get_template("frontend/errors/503.html")
        response = HttpResponse(template.render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request, reason=""):
    """Usually an expired session or a page left open for days: say so and how
    to get back, instead of Django's technical page."""
    return render(request, "frontend/errors/403_csrf.html", status=403)
