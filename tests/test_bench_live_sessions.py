"""bench/live_sessions.py's viewers read the server's frames with their own
minimal reader (`Viewer.read_frames`): it must read back every frame the
`websockets` library writes (the library uvicorn's server uses), however TCP
splits the stream, answer pings as the protocol asks, and refuse what a
server never sends, so that the bench counts and times what it says."""

import asyncio
import random
from array import array
from collections import Counter

from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from bench.live_sessions import ANSWERED, CREATED, SETTLE_SECONDS, Viewer


class Transport:
    def __init__(self):
        self.written: list[bytes] = []
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def abort(self) -> None:
        self.aborted = True


def viewer() -> Viewer:
    """A subscribed viewer past its handshake, on a recording transport."""
    one = Viewer("ws://127.0.0.1:9/ws/", b"{}", array("d"), Counter(), set(), {})
    one.transport = Transport()
    one.framed = True
    one.subscribed.set_result(True)
    return one


def event_frame(name: str, cursor: int, question_id: int, padding: int = 0) -> bytes:
    """A live event as the consumer writes it (compact JSON, api/consumers.event_frame)."""
    body = "é" * padding
    text = (
        f'{{"type":"event","topic":"live:1","event":"{name}","cursor":"{cursor}",'
        f'"data":{{"id":{question_id},"session_id":1,"body_html":"{body}"}}}}'
    )
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def read_back(frame: bytes) -> Frame:
    """What the server's side of `websockets` makes of a frame the client wrote."""
    reader = StreamReader()
    reader.feed_data(frame)
    parser = Frame.parse(reader.read_exact, mask=True)
    try:
        next(parser)
    except StopIteration as done:
        return done.value
    raise AssertionError("incomplete frame")


def test_every_frame_is_read_however_the_stream_is_split():
    async def run():
        rng = random.Random(13)
        one = viewer()
        # Short frames, and frames with 16-bit and 64-bit lengths.
        stream = b"".join(
            event_frame(
                "live.question.created" if n % 2 else "live.question.answered",
                cursor=100 + n,
                question_id=n,
                padding=rng.choice([0, 200, 40_000]),
            )
            for n in range(60)
        )
        stream += Frame(Opcode.TEXT, b'{"type":"event","event":"live.votes","cursor":"999","data":{}}').serialize(
            mask=False
        )
        at = 0
        while at < len(stream):
            step = rng.randint(1, 3000)
            one.data_received(stream[at : at + step])
            at += step
        records = [tuple(one.out[i : i + 2]) for i in range(0, len(one.out), 4)]
        assert records == [(ANSWERED if n % 2 == 0 else CREATED, float(n)) for n in range(60)]
        assert one.stats["vote_frames"] == 1
        assert one.stats["duplicates"] == 0
        assert one.pending == b""
        assert not one.transport.aborted

    asyncio.run(run())


def test_a_ping_is_answered_with_a_masked_pong():
    async def run():
        one = viewer()
        one.data_received(Frame(Opcode.PING, b"keepalive").serialize(mask=False))
        (pong,) = one.transport.written
        frame = read_back(pong)
        assert (frame.opcode, frame.data) == (Opcode.PONG, b"keepalive")

    asyncio.run(run())


def test_what_a_server_never_sends_ends_the_socket_and_is_counted():
    async def run():
        masked, fragmented = viewer(), viewer()
        masked.data_received(Frame(Opcode.TEXT, b"{}").serialize(mask=True))
        fragmented.data_received(Frame(Opcode.TEXT, b"{}", fin=False).serialize(mask=False))
        for one in (masked, fragmented):
            assert one.transport.aborted
            assert one.stats["protocol_errors"] == 1
            assert len(one.out) == 0

    asyncio.run(run())


def test_cursors_settle_once_they_are_old_enough():
    async def run():
        one = viewer()
        for cursor, at in ((10, 100.0), (12, 101.0), (11, 102.0)):
            one.note(cursor, at)
        assert one.state.get("settled", 0) == 0
        # A frame received at 110 s settles those received SETTLE_SECONDS or
        # more before it: the resume point is the highest of their cursors,
        # not the last one received.
        one.note(13, 110.0)
        assert one.state["settled"] == 12
        assert [cursor for cursor, _at in one.state["unsettled"]] == [13]
        assert SETTLE_SECONDS <= 110.0 - 102.0

    asyncio.run(run())


def test_every_event_of_a_batch_frame_is_counted_in_order():
    """A batch (docs/websocket.md, "Batches"): a JSON array of the same
    frames, as api/consumers.batch_frame joins them."""

    async def run():
        from api.consumers import batch_frame

        one = viewer()
        frames = [
            '{"type":"event","topic":"live:1","event":"live.question.created","cursor":"10","data":{"id":4}}',
            '{"type":"event","topic":"live:1","event":"live.votes","cursor":"11","data":{"questions":[]}}',
            '{"type":"event","topic":"live:1","event":"live.question.answered","cursor":"12","data":{"id":3}}',
        ]
        one.data_received(Frame(Opcode.TEXT, batch_frame(frames).encode()).serialize(mask=False))

        records = [tuple(one.out[i : i + 2]) for i in range(0, len(one.out), 4)]
        assert records == [(CREATED, 4.0), (ANSWERED, 3.0)]
        assert one.stats["vote_frames"] == 1
        assert one.stats["websocket_frames"] == 1
        assert [cursor for cursor, _at in one.state["unsettled"]] == [10, 11, 12]

    asyncio.run(run())
