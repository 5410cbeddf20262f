from conftest import make_answer, make_question
from forum.models import Event


def test_a_question_and_an_answer_write_events(student, other_student):
    question = make_question(author=student, tags=("BTS", "Contrat apprentissage"))
    assert sorted(question.tags.names()) == ["bts", "contrat-apprentissage"]
    make_answer(author=other_student, question=question)
    question.refresh_from_db()
    assert question.answer_count == 1
    names = list(Event.objects.order_by("id").values_list("topic", "name"))
    assert (f"thread:{question.pk}", "answer.created") in names
    assert ("feed", "question.created") in names
