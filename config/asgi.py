"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Build the Django app (and so the app registry) before importing consumers,
# which import models.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from api.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_application, "websocket": websocket_application})
