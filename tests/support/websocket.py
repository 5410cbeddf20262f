"""Reading a real server's websocket stream (the `websockets` client) in
tests: frames up to one of a kind, and the close code."""

import asyncio
import json

from websockets.exceptions import ConnectionClosed

TIMEOUT = 10


async def frames_until(ws, kind: str) -> list[dict]:
    """The frames received up to the first of `kind` (or an error frame), included."""
    frames = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        frames.append(frame)
        if frame["type"] in (kind, "error"):
            return frames


async def close_code(ws) -> int:
    """Read until the server closes; its close code."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    except ConnectionClosed as closed:
        return closed.rcvd.code
