"""Websocket routing. The stream at /ws/ is part of the public API."""

from channels.routing import URLRouter

websocket_urlpatterns = []

websocket_application = URLRouter(websocket_urlpatterns)
