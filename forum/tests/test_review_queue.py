"""The review queue: what moderators see, and what each decision does."""

import pytest
from django.utils import timezone

from forum import permissions, queries
from forum.exceptions import Conflict, InvalidInput, NotAllowed
from forum.models import Answer, AuditLog, Event, Flag, PostRevision, ReviewItem, Visibility
from forum.presenters import review_item_data
from forum.services.answers import accept_answer, withdraw_answer
from forum.services.flags import flag_post
from forum.services.moderation import decide, decide_many, hide_post, restore_post
from tests.factories import make_answer, make_question, make_user


@pytest.fixture
def flagged(answer, db):
    """An answer hidden pending review by three reports."""
    for n in range(3):
        flag_post(user=make_user(username=f"reporter{n}"), post=answer, reason="harassment", text=f"insulte {n}")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PENDING
    return answer


def item_of(post) -> ReviewItem:
    field = "answer" if isinstance(post, Answer) else "question"
    return ReviewItem.objects.get(status="open", **{field: post})


def test_approving_a_flagged_answer_publishes_it_again_and_rejects_the_flags(flagged, moderator):
    decide(moderator=moderator, item=item_of(flagged), decision="approve")
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.PUBLISHED
    assert flagged.question.answer_count == 1
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.REJECTED}
    assert Event.objects.filter(name="answer.created", audience=Event.Audience.PUBLIC).count() == 2


def test_hiding_keeps_the_post_for_its_author_with_the_charter_reason(flagged, moderator, other_student, student):
    decide(
        moderator=moderator,
        item=item_of(flagged),
        decision="hide",
        clause="respect",
        note="Les insultes ne sont pas acceptées, même pour plaisanter.",
    )
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.HIDDEN
    assert flagged.moderation_reason == "respect"
    assert flagged.moderation_note.startswith("Les insultes")
    in_thread = Answer.objects.filter(question=flagged.question)
    assert permissions.visible_answers(other_student, in_thread).get() == flagged  # the author
    assert not permissions.visible_answers(student, in_thread).exists()
    told = Event.objects.get(name="moderation.decision")
    assert told.topic == f"user:{other_student.pk}"
    assert told.audience == Event.Audience.PRIVATE
    assert told.payload["clause"] == "respect"


def test_hiding_needs_a_charter_clause(flagged, moderator):
    with pytest.raises(InvalidInput) as caught:
        decide(moderator=moderator, item=item_of(flagged), decision="hide")
    assert "clause" in caught.value.fields
    with pytest.raises(InvalidInput):
        decide(moderator=moderator, item=item_of(flagged), decision="delete")


def test_edit_and_approve_keeps_the_original_text_as_a_revision(flagged, moderator):
    original = flagged.body
    decide(
        moderator=moderator,
        item=item_of(flagged),
        decision="edit_approve",
        body="Réponse corrigée par la modération : contacte le service RH de l'entreprise.",
    )
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.PUBLISHED
    assert flagged.body.startswith("Réponse corrigée")
    revision = PostRevision.objects.get(answer=flagged)
    assert revision.body == original
    assert revision.editor == moderator
    entry = AuditLog.objects.get(action="review.edit_approve")
    assert entry.before["body"] == original
    assert entry.after["body"].startswith("Réponse corrigée")


def test_edit_and_approve_a_question_can_fix_its_title(moderator):
    newcomer_question = make_question(author=make_user(date_joined=timezone.now()))
    decide(
        moderator=moderator,
        item=item_of(newcomer_question),
        decision="edit_approve",
        title="Quel rythme choisir pour un BTS en alternance ?",
    )
    newcomer_question.refresh_from_db()
    assert newcomer_question.title == "Quel rythme choisir pour un BTS en alternance ?"
    assert newcomer_question.visibility == Visibility.PUBLISHED


def test_restoring_a_hidden_post_rejects_the_flags_that_were_upheld(flagged, moderator):
    decide(moderator=moderator, item=item_of(flagged), decision="hide", clause="respect")
    restore_post(moderator=moderator, post=flagged, note="Relu : c'était de l'ironie entre amis.")
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.PUBLISHED
    assert flagged.moderation_reason == ""
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.REJECTED}


def test_a_decision_is_taken_once(flagged, moderator):
    item = item_of(flagged)
    decide(moderator=moderator, item=item, decision="approve")
    with pytest.raises(Conflict):
        decide(moderator=moderator, item=item, decision="hide", clause="respect")


def test_only_moderators_decide(flagged, student):
    with pytest.raises(NotAllowed):
        decide(moderator=student, item=item_of(flagged), decision="approve")


def test_hiding_the_accepted_answer_unaccepts_it(answer, student, moderator):
    accept_answer(user=student, answer=answer)
    hide_post(moderator=moderator, post=answer, clause="misleading", note="Information fausse sur le salaire.")
    answer.question.refresh_from_db()
    assert answer.question.accepted_answer_id is None
    assert answer.question.answer_count == 0


def test_hiding_from_the_thread_leaves_a_decided_item_in_the_history(answer, moderator):
    hide_post(moderator=moderator, post=answer, clause="spam")
    item = ReviewItem.objects.get(answer=answer)
    assert item.status == ReviewItem.Status.DECIDED
    assert item.decision == "hide"
    assert item.decided_by == moderator


def test_bulk_decisions_report_each_item_and_audit_each(moderator, student):
    newcomers = [make_user(date_joined=timezone.now()) for _ in range(3)]
    items = [item_of(make_question(author=newcomer)) for newcomer in newcomers]
    decide(moderator=moderator, item=items[0], decision="approve")
    results = decide_many(moderator=moderator, item_ids=[i.pk for i in items] + [999_999], decision="approve")
    assert results[items[1].pk] == "ok"
    assert results[items[2].pk] == "ok"
    assert results[items[0].pk] != "ok"
    assert results[999_999] != "ok"
    assert AuditLog.objects.filter(action="review.approve").count() == 3


@pytest.mark.parametrize("ids", [[], "1,2", [None], list(range(101))])
def test_bulk_decisions_refuse_a_bad_selection(moderator, ids):
    with pytest.raises(InvalidInput):
        decide_many(moderator=moderator, item_ids=ids, decision="approve")


def test_the_queue_shows_content_flags_reasons_and_author_history(flagged, moderator, other_student):
    earlier = make_question(author=other_student)
    hide_post(moderator=moderator, post=earlier, clause="off_topic")
    item = queries.review_queue().get()
    data = review_item_data(item)
    assert data["post"]["body"] == flagged.body
    assert data["reasons"] == ["flags"]
    assert [flag["reason"] for flag in data["flags"]] == ["harassment"] * 3
    assert data["flag_weight"] == 3
    history = data["author"]["history"]
    assert history["answer_count"] == 1
    assert history["question_count"] == 1
    assert history["hidden_count"] == 1


def test_the_queue_runs_a_constant_number_of_queries(django_assert_num_queries, question, db):
    def fill(count: int) -> None:
        for _ in range(count):
            make_question(author=make_user(date_joined=timezone.now()))
            flag_post(user=make_user(), post=make_answer(author=make_user(), question=question), reason="spam")

    fill(1)
    # Items, then flags of questions, flags of answers, badges and moderator groups of authors.
    with django_assert_num_queries(5):
        assert len([review_item_data(item) for item in queries.review_queue()]) == 2
    fill(5)
    with django_assert_num_queries(5):
        assert len([review_item_data(item) for item in queries.review_queue()]) == 12


def test_a_withdrawn_post_leaves_the_queue(moderator, question):
    newcomer = make_user(date_joined=timezone.now())
    answer = make_answer(author=newcomer, question=question)
    assert queries.review_queue().count() == 1
    withdraw_answer(user=newcomer, answer=answer)
    assert queries.review_queue().count() == 0
    with pytest.raises(Conflict):
        decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")


def test_queue_events_reach_moderators_only(flagged, moderator):
    decide(moderator=moderator, item=item_of(flagged), decision="approve")
    names = list(Event.objects.filter(topic="moderation").order_by("id").values_list("name", "audience"))
    assert names[0] == ("review.added", "moderators")
    assert names[-1] == ("review.resolved", "moderators")
    assert {audience for _, audience in names} == {"moderators"}
