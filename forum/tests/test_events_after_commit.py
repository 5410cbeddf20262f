import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from forum.events import group_name
from forum.models import Answer, Event
from tests.factories import make_answer


@pytest.mark.django_db(transaction=True)
async def test_an_event_reaches_the_layer_after_commit(question, other_student):
    # One event loop for the whole test: the Redis pub/sub layer keeps its
    # connections per loop, as a server process does.
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_name(f"thread:{question.pk}"), channel)

    answer = await sync_to_async(make_answer)(author=other_student, question=question)
    message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    assert message["event"] == "answer.created"
    assert message["data"]["id"] == answer.pk
    event = await Event.objects.filter(name="answer.created").aget()
    assert message["cursor"] == str(event.pk)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_event(question, other_student):
    def answer_then_fail():
        with transaction.atomic():
            make_answer(author=other_student, question=question)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        answer_then_fail()
    assert not Answer.objects.exists()
    assert not Event.objects.filter(name="answer.created").exists()


def test_event_payloads_carry_sanitised_html_and_author_data(question, other_student):
    make_answer(author=other_student, question=question, body="Voici <script>alert(1)</script> mon conseil détaillé.")
    payload = Event.objects.get(name="answer.created").payload
    assert "<script" not in payload["body_html"]
    assert payload["author"]["username"] == other_student.username
    assert payload["author"]["badges"] == []
