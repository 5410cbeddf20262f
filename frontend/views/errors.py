"""Error pages in the site's layout.

The 500 page is rendered without a RequestContext: whatever broke (the
database, a context processor, the session) must not break the error page too.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


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
    template = loader.get_template("frontend/errors/500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    """Usually an expired session or a page left open for days: say so and how
    to get back, instead of Django's technical page."""
    return render(request, "frontend/errors/403_csrf.html", status=403)
