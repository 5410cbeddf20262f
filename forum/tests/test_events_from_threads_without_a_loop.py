"""Events published from threads that have no server event loop (granian's
WSGI workers, the notifications worker) go to Redis through one long-lived
loop per process (forum/layer_loop.py): one connection for every send rather
than a new loop and a new connection per event, and the outage behaviour of
forum/events.py is kept (a hung Redis costs a send LAYER_SEND_TIMEOUT, then
the layer pauses)."""

import asyncio
import threading
import time

import pytest
import redis
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.utils import timezone

from forum import events, layer_loop
from forum.models import Event
from tests.support.private_services import PrivateRedis

pytestmark = [pytest.mark.redis]


@pytest.fixture
def private_redis():
    server = PrivateRedis().start()
    yield server
    server.close()


@pytest.fixture
def layer(private_redis, monkeypatch):
    layer = RedisPubSubChannelLayer(hosts=[{"address": private_redis.url(), "socket_timeout": None}])
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    monkeypatch.setattr(events, "_layer_paused_until", 0.0)
    return layer


def unsaved_event(number: int) -> Event:
    return Event(id=number, topic="thread:1", name="answer.created", payload={"n": number}, created_at=timezone.now())


def connections_received(server: PrivateRedis) -> int:
    return redis.Redis(port=server.port).info("stats")["total_connections_received"]


def send_from_plain_threads(count: int, threads: int) -> None:
    def send(numbers):
        for number in numbers:
            events.send_to_layer(unsaved_event(number))

    workers = [threading.Thread(target=send, args=(range(i, count, threads),)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_sends_from_many_threads_share_one_loop_and_one_connection_and_all_arrive(layer, private_redis):
    async def receive_all(count: int) -> list[int]:
        channel = await layer.new_channel()
        await layer.group_add(events.group_name("thread:1"), channel)
        before = connections_received(private_redis)
        await asyncio.to_thread(send_from_plain_threads, count, 4)
        after = connections_received(private_redis)
        received = [(await asyncio.wait_for(layer.receive(channel), 5))["data"]["n"] for _ in range(count)]
        await layer.flush()
        return received, after - before

    received, new_connections = asyncio.run(receive_all(20))

    assert sorted(received) == list(range(20))
    # The shared loop's publishing connection (and the check's own INFO
    # connection); a loop per send opened one connection per event.
    assert new_connections <= 2


def test_one_shared_loop_per_process_and_the_servers_own_loop_inside_a_server():
    shared = layer_loop._shared_loop()
    assert layer_loop._shared_loop() is shared

    async def inside_a_server():
        # sync_to_async threads have the server's loop: async_to_sync goes there.
        from asgiref.sync import sync_to_async

        return await sync_to_async(lambda: layer_loop._server_loop())(), asyncio.get_running_loop()

    seen, server_loop = asyncio.run(inside_a_server())
    assert seen is server_loop
    assert layer_loop._server_loop() is None  # this test's own thread has none


def test_a_hung_redis_costs_one_send_the_timeout_then_the_layer_pauses(layer, private_redis):
    events.send_to_layer(unsaved_event(1))  # connected while Redis answers
    private_redis.freeze()
    try:
        started = time.monotonic()
        events.send_to_layer(unsaved_event(2))
        first = time.monotonic() - started
        started = time.monotonic()
        events.send_to_layer(unsaved_event(3))
        second = time.monotonic() - started
    finally:
        private_redis.thaw()

    assert events.LAYER_SEND_TIMEOUT - 0.1 <= first < events.LAYER_SEND_TIMEOUT + 1
    assert events._layer_paused()
    assert second < 0.1
