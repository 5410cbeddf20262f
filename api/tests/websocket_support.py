"""Helpers for the websocket tests: a real `/ws/` communicator through the
project's ASGI application (routing, auth middleware and consumer), and the
services called from async tests through the same thread hop a consumer uses."""

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application

OUR_ORIGIN = b"http://127.0.0.1:8000"
TIMEOUT = 3


def session_cookie(user) -> bytes:
    """A real session for `user`, as a Cookie header (call from sync code)."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def open_socket(
    *, cookie: bytes | None = None, origin: bytes | None = OUR_ORIGIN, token: str | None = None, path: str = "/ws/"
):
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie))
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    return communicator


async def open_socket_as(user, **kwargs):
    cookie = await database_sync_to_async(session_cookie)(user)
    return await open_socket(cookie=cookie, **kwargs)


async def receive(ws) -> dict:
    return json.loads(await ws.receive_from(timeout=TIMEOUT))


async def subscribe(ws, topic: str, since=None) -> list[dict]:
    """Subscribe and return every frame up to and including the answer to the
    subscription (`subscribed`, `resync` then `subscribed`, or `error`).

    A thread subscription is followed by its reader count: kept apart, in
    `ws.presence`, so that tests about events see only events."""
    await ws.send_json_to({"type": "subscribe", "topic": topic, "since": since})
    frames = []
    while True:
        frame = await receive(ws)
        frames.append(frame)
        if frame["type"] == "error":
            return frames
        if frame["type"] == "subscribed":
            if topic.startswith("thread:"):
                presence = await receive(ws)
                assert (presence["type"], presence["topic"]) == ("presence", topic), presence
                ws.presence = presence["count"]
            return frames


async def subscribed(ws, topic: str, since=None) -> dict:
    """Subscribe where nothing is to be caught up; return the acknowledgement."""
    frames = await subscribe(ws, topic, since)
    assert [f["type"] for f in frames] == ["subscribed"], frames
    return frames[0]


def events_in(frames: list[dict]) -> list[dict]:
    return [f for f in frames if f["type"] == "event"]


def in_thread(function):
    """Call a sync service (or factory) from an async test, like a consumer would."""
    return database_sync_to_async(function)
