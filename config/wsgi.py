"""WSGI entry point: HTTP in production (granian, `config/http_server.py`,
`docker/entrypoint.sh` with ROLE=http); websockets stay on the ASGI server
(`config/asgi.py`, ROLE=ws) behind the same proxy (docs/operations.md,
"Serving: granian for HTTP, uvicorn for /ws/")."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from config.access_log import AccessLog  # noqa: E402
from config.forwarded import ForwardedClientAddress  # noqa: E402

# The access log reads REMOTE_ADDR once the forwarded address replaced it.
application = AccessLog(ForwardedClientAddress(django_application))
