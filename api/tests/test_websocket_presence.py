"""Readers of a thread learn how many they are ("12 personnes lisent cette
question"): on subscribing, then whenever the count changes. Across server
processes this is counted in Redis (see tests/test_two_processes.py)."""

import asyncio

import pytest

from api.fanout import hub
from api.tests.websocket_support import open_socket, open_socket_as, receive, subscribe

pytestmark = pytest.mark.django_db(transaction=True)


async def test_readers_are_counted_when_they_come_and_go(question):
    topic = f"thread:{question.pk}"
    first = await open_socket()
    await subscribe(first, topic)
    assert first.presence == 1

    second = await open_socket()
    await subscribe(second, topic)
    assert second.presence == 2

    await hub().refresh_presence()
    assert await receive(first) == {"type": "presence", "topic": topic, "count": 2}
    assert await second.receive_nothing(timeout=0.2)  # it was told already

    await second.disconnect()
    await hub().refresh_presence()
    assert await receive(first) == {"type": "presence", "topic": topic, "count": 1}
    await first.disconnect()


async def two_tabs_and_an_anonymous_reader(topic: str, member):
    tabs = [await open_socket_as(member) for _ in range(2)]
    for tab in tabs:
        await subscribe(tab, topic)
    anonymous = await open_socket()
    await subscribe(anonymous, topic)
    return tabs, anonymous


async def test_a_member_with_two_tabs_counts_once(question, other_student):
    tabs, anonymous = await two_tabs_and_an_anonymous_reader(f"thread:{question.pk}", other_student)

    assert [tabs[0].presence, tabs[1].presence, anonymous.presence] == [1, 1, 2]
    for ws in (*tabs, anonymous):
        await ws.disconnect()


async def test_an_unchanged_count_is_not_repeated(question):
    ws = await open_socket()
    await subscribe(ws, f"thread:{question.pk}")

    await hub().refresh_presence()

    assert await ws.receive_nothing(timeout=0.2)
    await ws.disconnect()


async def test_a_member_leaves_the_count_with_their_last_tab(question, other_student):
    topic = f"thread:{question.pk}"
    tabs, anonymous = await two_tabs_and_an_anonymous_reader(topic, other_student)
    assert anonymous.presence == 2

    await tabs[0].disconnect()
    await hub().refresh_presence()
    assert await anonymous.receive_nothing(timeout=0.2)  # still two readers

    await tabs[1].disconnect()
    await hub().refresh_presence()
    assert await receive(anonymous) == {"type": "presence", "topic": topic, "count": 1}
    await anonymous.disconnect()


async def test_a_large_audience_is_told_its_count_without_holding_the_loop(question):
    """Thousands of readers in one process (a live session): the refresh tells
    them all, and lets other work (event deliveries) run between bursts."""
    from api.fanout import PRESENCE_BURST

    topic = f"thread:{question.pk}"
    told: list[int] = []

    class Reader:
        def __init__(self, n):
            self.presence_key = f"reader-{n}"

        def on_events(self, messages, shared):
            pass

        def on_presence(self, topic, count):
            told.append(count)

    readers = [Reader(n) for n in range(2 * PRESENCE_BURST + 50)]
    for reader in readers:
        await hub().join(topic, reader)
        await hub().enter_presence(topic, reader)
    seen_meanwhile: list[int] = []
    done = asyncio.Event()

    async def other_work():
        # What another task sees each time the loop lets it run.
        while not done.is_set():
            seen_meanwhile.append(len(told))
            await asyncio.sleep(0)

    told.clear()
    hub().topics[topic].presence = None  # as if the count had changed since the last refresh
    other = asyncio.ensure_future(other_work())
    await hub().refresh_presence()
    done.set()
    await other

    assert told == [len(readers)] * len(readers)
    assert any(0 < seen < len(readers) for seen in seen_meanwhile)
    for reader in readers:
        await hub().leave(topic, reader)
