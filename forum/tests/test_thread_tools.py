"""Moderators' thread tools: lock, pin, close as duplicate, retag, move
answers, merge threads. Each is audited and announced live."""

import pytest

from forum import queries
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import Answer, AuditLog, Event, Question
from forum.services.answers import accept_answer, post_answer
from forum.services.thread_tools import (
    close_as_duplicate,
    merge_threads,
    move_answers,
    retag,
    set_locked,
    set_pinned,
)
from tests.factories import make_answer, make_question, make_user


@pytest.fixture
def original(db):
    return make_question(author=make_user(), title="Comment trouver une alternance en BTS MCO ?")


def test_a_locked_thread_takes_no_new_answer_until_unlocked(moderator, question, other_student):
    set_locked(moderator=moderator, question=question, locked=True, reason="Le sujet tourne en rond.")
    question.refresh_from_db()
    assert question.status == Question.Status.LOCKED
    with pytest.raises(NotAllowed):
        make_answer(author=other_student, question=question)
    set_locked(moderator=moderator, question=question, locked=False)
    question.refresh_from_db()
    make_answer(author=other_student, question=question)
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == ["thread.lock", "thread.unlock"]
    moderated = Event.objects.filter(name="thread.moderated", topic=f"thread:{question.pk}").order_by("id")
    assert [event.payload["is_locked"] for event in moderated] == [True, False]


def test_a_pinned_thread_leads_the_home_page(moderator, question, original, student):
    set_pinned(moderator=moderator, question=question, pinned=True)
    assert list(queries.pinned_questions()) == [question]
    set_pinned(moderator=moderator, question=question, pinned=False)
    assert list(queries.pinned_questions()) == []
    assert AuditLog.objects.filter(action__in=["thread.pin", "thread.unpin"]).count() == 2


def test_closing_as_duplicate_locks_the_thread_and_points_to_the_original(moderator, question, original):
    close_as_duplicate(moderator=moderator, question=question, original=original, reason="Même question.")
    question.refresh_from_db()
    assert question.duplicate_of == original
    assert question.is_locked
    event = Event.objects.get(name="thread.moderated", topic=f"thread:{question.pk}")
    assert event.payload["duplicate_of"] == {
        "id": original.pk,
        "title": original.title,
        "web_url": original.get_absolute_url(),
    }


def test_a_duplicate_of_a_duplicate_points_to_the_original(moderator, question, original):
    close_as_duplicate(moderator=moderator, question=question, original=original)
    third = make_question(author=make_user())
    close_as_duplicate(moderator=moderator, question=third, original=question)
    third.refresh_from_db()
    assert third.duplicate_of == original


def test_a_thread_is_not_its_own_duplicate(moderator, question, original):
    close_as_duplicate(moderator=moderator, question=question, original=original)
    with pytest.raises(InvalidInput):
        close_as_duplicate(moderator=moderator, question=original, original=question)


def test_unlocking_reopens_a_duplicate(moderator, question, original):
    close_as_duplicate(moderator=moderator, question=question, original=original)
    set_locked(moderator=moderator, question=question, locked=False, reason="Pas le même cas.")
    question.refresh_from_db()
    assert question.duplicate_of is None
    assert not question.is_locked


def test_retagging_is_audited_with_before_and_after(moderator, question):
    retag(moderator=moderator, question=question, tags=["BTS", "Rythme"], reason="Tags plus précis.")
    assert sorted(question.tags.names()) == ["bts", "rythme"]
    entry = AuditLog.objects.get(action="thread.retag")
    assert entry.before == {"tags": ["bts", "contrat-apprentissage"]}
    assert entry.after == {"tags": ["bts", "rythme"]}
    with pytest.raises(InvalidInput):
        retag(moderator=moderator, question=question, tags=[])


def test_moving_answers_keeps_counts_and_acceptance_right(moderator, question, original, student, other_student):
    moved = make_answer(author=other_student, question=question)
    stays = make_answer(author=make_user(), question=question)
    accept_answer(user=student, answer=moved)
    move_answers(moderator=moderator, answers=[moved], target=original, reason="Répond à l'autre question.")
    moved.refresh_from_db()
    question.refresh_from_db()
    original.refresh_from_db()
    assert moved.question == original
    assert question.answer_count == 1
    assert original.answer_count == 1
    assert question.accepted_answer_id is None
    assert Answer.objects.get(pk=stays.pk).question == question
    assert Event.objects.get(name="answer.removed").payload["reason"] == "moved"
    created = Event.objects.filter(name="answer.created", topic=f"thread:{original.pk}").get()
    assert created.payload["id"] == moved.pk


def test_answers_move_from_one_thread_at_a_time(moderator, question, original):
    a = make_answer(author=make_user(), question=question)
    b = make_answer(author=make_user(), question=original)
    with pytest.raises(InvalidInput):
        move_answers(moderator=moderator, answers=[a, b], target=make_question(author=make_user()))
    with pytest.raises(InvalidInput):
        move_answers(moderator=moderator, answers=[a], target=question)


def test_merging_moves_every_answer_and_closes_the_source(moderator, question, original):
    answers = [make_answer(author=make_user(), question=question) for _ in range(3)]
    merge_threads(moderator=moderator, source=question, target=original, reason="Doublon.")
    question.refresh_from_db()
    original.refresh_from_db()
    assert set(original.answers.values_list("pk", flat=True)) == {a.pk for a in answers}
    assert original.answer_count == 3
    assert question.answer_count == 0
    assert question.duplicate_of == original
    assert question.is_locked
    assert AuditLog.objects.get(action="thread.merge").after["answers"] == [a.pk for a in answers]
    with pytest.raises(NotAllowed):
        post_answer(author=make_user(), question=question, body="Encore une réponse sur l'ancien fil.")


@pytest.mark.parametrize(
    "tool",
    [
        lambda who, q, o: set_locked(moderator=who, question=q, locked=True),
        lambda who, q, o: set_pinned(moderator=who, question=q, pinned=True),
        lambda who, q, o: close_as_duplicate(moderator=who, question=q, original=o),
        lambda who, q, o: retag(moderator=who, question=q, tags=["spam"]),
        lambda who, q, o: merge_threads(moderator=who, source=q, target=o),
    ],
)
def test_thread_tools_are_for_moderators_only(student, question, original, tool):
    with pytest.raises(NotAllowed):
        tool(student, question, original)
    assert not AuditLog.objects.exists()
