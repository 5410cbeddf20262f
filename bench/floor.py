"""The floor of the HTTP benchmark: a bare Django JSON view, no middleware,
no database, served by gunicorn with 2 sync workers. A page's "share of the
floor" is its req/s over this one's in the same run, which cancels out how
busy and how fast the machine was that day.

    gunicorn --workers 2 bench.floor:application
"""

import django
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-floor-signs-nothing",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )
    django.setup()


def floor(request):
    return JsonResponse({"ok": True, "questions": [1, 2, 3]})


urlpatterns = [path("", floor)]
application = get_wsgi_application()

# The same view for an ASGI server (bench/servers.py compares servers on the floor itself).
asgi_application = get_asgi_application()
