"""Members report posts; enough reports (or one from a moderator) take the post
out of view until a moderator decides. Reports from members whose past reports
were rejected weigh less."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from forum.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from forum.models import AuditLog, Event, Flag, HoldReason, ReviewItem, Visibility
from forum.services.flags import flag_post, flag_weight
from forum.services.moderation import decide
from tests.factories import make_question, make_user


@pytest.fixture
def flaggers(db):
    return [make_user(username=f"flagger{n}") for n in range(4)]


def test_a_flag_puts_the_post_in_the_queue_but_keeps_it_visible(answer, third_student):
    flag = flag_post(user=third_student, post=answer, reason="harassment", text="Il insulte l'auteur.")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED
    assert flag.weight == 1
    item = ReviewItem.objects.get(answer=answer, status="open")
    assert item.reasons == [HoldReason.FLAGS]


def test_a_member_flags_a_post_only_once(answer, third_student):
    flag_post(user=third_student, post=answer, reason="spam")
    with pytest.raises(Conflict):
        flag_post(user=third_student, post=answer, reason="harassment")
    assert Flag.objects.filter(answer=answer).count() == 1


def test_three_flags_from_distinct_members_hide_the_post_for_everyone_else(answer, flaggers):
    question = answer.question
    for flagger in flaggers[:2]:
        flag_post(user=flagger, post=answer, reason="harassment")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED
    flag_post(user=flaggers[2], post=answer, reason="harassment")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.visibility == Visibility.PENDING
    assert answer.moderation_reason == HoldReason.FLAGS
    assert question.answer_count == 0
    removed = Event.objects.get(name="answer.removed", topic=f"thread:{question.pk}")
    assert removed.audience == Event.Audience.PUBLIC
    assert removed.payload == {"id": answer.pk, "question_id": question.pk, "reason": "moderation"}
    entry = AuditLog.objects.get(action="post.hidden_pending_review")
    assert entry.actor is None
    assert entry.target_id == answer.pk


def test_one_flag_from_a_moderator_hides_the_post(answer, moderator):
    flag_post(user=moderator, post=answer, reason="personal_data")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PENDING
    assert ReviewItem.objects.get(answer=answer).reasons == [HoldReason.MODERATOR_FLAG]
    assert AuditLog.objects.get(action="post.hidden_pending_review").actor == moderator


def test_the_threshold_is_configurable(answer, flaggers, settings):
    settings.FORUM = {**settings.FORUM, "FLAGS_TO_HIDE": 2}
    flag_post(user=flaggers[0], post=answer, reason="spam")
    flag_post(user=flaggers[1], post=answer, reason="spam")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PENDING


def test_a_hidden_question_leaves_the_feed_live(student, flaggers):
    question = make_question(author=student, tags=("bts",))
    for flagger in flaggers[:3]:
        flag_post(user=flagger, post=question, reason="off_topic")
    question.refresh_from_db()
    assert question.visibility == Visibility.PENDING
    topics = set(Event.objects.filter(name="question.removed").values_list("topic", flat=True))
    assert topics == {"feed", f"thread:{question.pk}", "tag:bts"}


@pytest.mark.parametrize(
    ("reason", "text", "field"),
    [("rude", "", "reason"), (None, "", "reason"), ("other", "", "text"), ("spam", "x" * 501, "text")],
)
def test_bad_flags_are_refused_with_a_message(answer, third_student, reason, text, field):
    with pytest.raises(InvalidInput) as caught:
        flag_post(user=third_student, post=answer, reason=reason, text=text)
    assert field in caught.value.fields
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_post(answer, other_student):
    with pytest.raises(NotAllowed):
        flag_post(user=other_student, post=answer, reason="spam")


def test_a_suspended_member_cannot_flag(answer, third_student):
    third_student.suspended_until = timezone.now() + timedelta(days=3)
    third_student.save()
    with pytest.raises(NotAllowed) as refusal:
        flag_post(user=third_student, post=answer, reason="spam")
    assert date_format(timezone.localtime(third_student.suspended_until), "DATETIME_FORMAT") in refusal.value.message


def test_a_post_already_out_of_view_cannot_be_flagged(answer, moderator, third_student):
    flag_post(user=moderator, post=answer, reason="spam")
    answer.refresh_from_db()
    with pytest.raises(NotFound):
        flag_post(user=third_student, post=answer, reason="spam")


def _history(flagger, question_author, *, rejected: int, upheld: int, moderator):
    """Give `flagger` a history of resolved flags."""
    for n in range(rejected + upheld):
        target = make_question(author=question_author)
        flag_post(user=flagger, post=target, reason="spam")
        decision = "approve" if n < rejected else "hide"
        decide(moderator=moderator, item=ReviewItem.objects.get(question=target), decision=decision, clause="spam")


@pytest.mark.parametrize(
    ("rejected", "upheld", "weight"),
    [(0, 0, 1.0), (0, 2, 1.0), (1, 0, 0.5), (2, 0, 1 / 3), (3, 1, 1 / 3), (2, 2, 1.0), (3, 0, 0.25)],
)
def test_the_weight_of_a_flag_falls_with_rejected_flags_beyond_upheld_ones(
    student, third_student, moderator, rejected, upheld, weight
):
    _history(third_student, student, rejected=rejected, upheld=upheld, moderator=moderator)
    assert flag_weight(third_student) == pytest.approx(weight, abs=1e-3)


def test_flags_from_members_with_rejected_flags_do_not_hide_a_post_on_their_own(answer, student, moderator, flaggers):
    for flagger in flaggers[:3]:
        _history(flagger, student, rejected=1, upheld=0, moderator=moderator)
    for flagger in flaggers[:3]:
        flag_post(user=flagger, post=answer, reason="misleading")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED  # 3 x 0.5 = 1.5 < 3
    assert sorted(Flag.objects.filter(answer=answer).values_list("weight", flat=True)) == [0.5, 0.5, 0.5]
    flag_post(user=flaggers[3], post=answer, reason="misleading")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED  # 2.5
    flag_post(user=make_user(), post=answer, reason="misleading")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PENDING  # 3.5


def test_the_weight_is_frozen_when_the_flag_is_raised(answer, student, moderator, third_student):
    flag = flag_post(user=third_student, post=answer, reason="spam")
    _history(third_student, student, rejected=2, upheld=0, moderator=moderator)
    flag.refresh_from_db()
    assert flag.weight == 1


def test_a_decision_resolves_the_flags(answer, flaggers, moderator):
    for flagger in flaggers[:2]:
        flag_post(user=flagger, post=answer, reason="harassment")
    decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="hide", clause="respect")
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.UPHELD}


def test_a_member_may_flag_a_limited_number_of_posts_per_day(student, third_student, settings):
    from forum.exceptions import RateLimited

    settings.FORUM = {**settings.FORUM, "FLAGS_PER_DAY": 2}
    posts = [make_question(author=student) for _ in range(3)]
    flag_post(user=third_student, post=posts[0], reason="spam")
    flag_post(user=third_student, post=posts[1], reason="spam")
    with pytest.raises(RateLimited) as caught:
        flag_post(user=third_student, post=posts[2], reason="spam")
    assert 0 < caught.value.retry_after <= 24 * 3600
    assert Flag.objects.count() == 2
