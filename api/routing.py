"""Websocket routing. The stream at /ws/ is part of the public API (docs/websocket.md)."""

from channels.routing import URLRouter
from channels.security.websocket import WebsocketDenier
from django.urls import path, re_path

from api.consumers import StreamConsumer
from api.ws_auth import WebsocketAuthMiddleware

websocket_urlpatterns = [
    path("ws/", WebsocketAuthMiddleware(StreamConsumer.as_asgi())),
    # Any other path: refuse the handshake (403) rather than raise in the router.
    re_path(r"", WebsocketDenier.as_asgi()),
]

websocket_application = URLRouter(websocket_urlpatterns)
