"""WSGI entry point: HTTP in production (gunicorn, `docker/entrypoint.sh`
with ROLE=http); websockets stay on the ASGI server (`config/asgi.py`, ROLE=ws)
behind the same proxy (docs/operations.md, "Serving: gunicorn for HTTP,
uvicorn for /ws/")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from config.forwarded import ForwardedClientAddress  # noqa: E402

application = ForwardedClientAddress(django_application)
