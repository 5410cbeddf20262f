import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from conftest import make_answer
from forum.events import group_name
from forum.models import Answer, Event


@pytest.mark.django_db(transaction=True)
def test_an_event_reaches_the_layer_only_after_commit(question, other_student):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_name(f"thread:{question.pk}"), channel)

    answer = make_answer(author=other_student, question=question)
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "answer.created"
    assert message["data"]["id"] == answer.pk
    assert message["cursor"] == str(Event.objects.filter(name="answer.created").get().pk)


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
