"""WSGI entry point: an option for HTTP-only workers (gunicorn) beside the
ASGI server that handles /ws/ (docs/operations.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
