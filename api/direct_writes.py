"""Live frames serialised once per event and written straight to each
watcher's transport.

A live event goes to every watcher of its topic: 2,500 sockets per process in
a busy live session. Through ASGI, each of those writes was a task, a
coroutine and uvicorn's websocket `send`, which encodes the text, builds,
checks and serialises a frame and joins its bytes: the same bytes for every
watcher, rebuilt 2,500 times (py-spy: about a fifth of a server's samples,
beside the `send(2)` itself; docs/benchmarks.md, "Live sessions").

`writer_for(send)` recognises uvicorn's sans-I/O websocket protocol behind the
ASGI `send` callable and returns a function that writes a text frame to its
transport when the connection is in the state where `send` would write
exactly those bytes at once: handshake done, open, not closing, writable (no
back-pressure), no extension negotiated (permessage-deflate compresses per
socket) and nothing else waiting to be written. It returns False otherwise,
and the caller goes through ASGI `send`, which waits for the socket as before;
with any other server (daphne, the test communicator) there is no writer at
all. The same idea as `websockets.broadcast`, one step further: the frame
itself is shared.
"""

from collections.abc import Callable

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.protocol import State
except ImportError:  # another server, or a uvicorn without that protocol
    WebSocketsSansIOProtocol = None
    State = None

# What the writer reads of uvicorn's protocol and of its websockets
# connection: if a release renames one, there is no writer (ASGI as before),
# and tests/test_websocket_direct_writes.py says so.
_PROTOCOL_ATTRIBUTES = ("close_sent", "disconnected", "handshake_complete", "initial_response", "writable", "conn")
_CONNECTION_ATTRIBUTES = ("state", "expect_continuation_frame", "extensions", "writes")

_frames: dict[str, bytes] = {}
# Frames are shared while their event is being written; a few hundred cover
# the batches of every topic of a process.
_FRAMES_MAX = 512

# Live frames written by each path since the process started:
# [direct, through ASGI send]. Plain integers on the hot path; the hub adds
# them to the metrics once per delivery (`take_counts`).
counts = [0, 0]


def text_frame(text: str) -> bytes:
    """An unmasked, final, uncompressed text frame (RFC 6455, 5.2): what a
    server's websocket `send` writes for `text` without extensions."""
    frame = _frames.get(text)
    if frame is None:
        payload = text.encode()
        size = len(payload)
        if size < 126:
            header = bytes((0x81, size))
        elif size < 1 << 16:
            header = bytes((0x81, 126)) + size.to_bytes(2, "big")
        else:
            header = bytes((0x81, 127)) + size.to_bytes(8, "big")
        frame = header + payload
        if len(_frames) >= _FRAMES_MAX:
            _frames.clear()
        _frames[text] = frame
    return frame


def writer_for(send) -> Callable[[bytes], bool] | None:
    """A function that writes frames (`text_frame`'s bytes, one or several
    joined) now and says whether it did, for the connection behind this ASGI
    `send`; None when that is not uvicorn's sans-I/O websocket protocol."""
    protocol = getattr(send, "__self__", None)
    if WebSocketsSansIOProtocol is None or type(protocol) is not WebSocketsSansIOProtocol:
        return None
    connection = getattr(protocol, "conn", None)
    if not all(hasattr(protocol, name) for name in _PROTOCOL_ATTRIBUTES) or not all(
        hasattr(connection, name) for name in _CONNECTION_ATTRIBUTES
    ):
        return None
    opened = State.OPEN
    writable = protocol.writable

    def write(frames: bytes) -> bool:
        transport = protocol.transport
        if (
            not protocol.handshake_complete
            or protocol.initial_response is not None
            or protocol.close_sent
            or protocol.disconnected
            or not writable.is_set()
            or connection.state is not opened
            or connection.expect_continuation_frame
            or connection.extensions
            or connection.writes
            or transport.is_closing()
        ):
            return False
        transport.write(frames)
        return True

    return write


def take_counts() -> tuple[int, int]:
    """The frames written (direct, through ASGI) since the last call."""
    direct, through_asgi = counts
    counts[0] = counts[1] = 0
    return direct, through_asgi
