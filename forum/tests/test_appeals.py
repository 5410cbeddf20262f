"""The author of a hidden post may ask, once, for a second review by another moderator."""

import pytest

from forum.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from forum.models import AuditLog, HoldReason, ReviewItem, Visibility
from forum.services.moderation import appeal, decide, hide_post
from tests.factories import make_moderator

APPEAL = "Je citais une phrase du contrat, ce n'était pas une insulte envers quelqu'un."


@pytest.fixture
def hidden(answer, moderator):
    hide_post(moderator=moderator, post=answer, clause="respect", note="Propos insultants.")
    answer.refresh_from_db()
    return answer


def test_the_author_appeals_and_the_post_returns_to_the_queue_marked_as_appeal(hidden, other_student):
    item = appeal(user=other_student, post=hidden, text=APPEAL)
    assert item.status == ReviewItem.Status.OPEN
    assert item.is_appeal
    assert item.reasons == [HoldReason.APPEAL]
    assert item.appeal_text == APPEAL
    hidden.refresh_from_db()
    assert hidden.visibility == Visibility.HIDDEN  # still hidden until the second review
    assert AuditLog.objects.filter(action="appeal.filed", actor=other_student).count() == 1


def test_a_post_can_be_appealed_once(hidden, other_student, moderator):
    item = appeal(user=other_student, post=hidden, text=APPEAL)
    second = make_moderator()
    decide(moderator=second, item=item, decision="hide", clause="respect", note="Confirmé après relecture.")
    hidden.refresh_from_db()
    with pytest.raises(Conflict):
        appeal(user=other_student, post=hidden, text=APPEAL)


def test_the_moderator_who_hid_the_post_cannot_decide_the_appeal(hidden, other_student, moderator):
    item = appeal(user=other_student, post=hidden, text=APPEAL)
    with pytest.raises(NotAllowed):
        decide(moderator=moderator, item=item, decision="restore")
    decide(moderator=make_moderator(), item=item, decision="restore", note="Citation, pas une insulte.")
    hidden.refresh_from_db()
    assert hidden.visibility == Visibility.PUBLISHED


def test_only_the_author_may_appeal(hidden, student):
    with pytest.raises(NotFound):
        appeal(user=student, post=hidden, text=APPEAL)


def test_only_a_hidden_post_may_be_appealed(answer, other_student):
    with pytest.raises(NotAllowed):
        appeal(user=other_student, post=answer, text=APPEAL)


@pytest.mark.parametrize("text", ["", "   ", "pardon", None, "x" * 1001])
def test_an_appeal_explains_itself(hidden, other_student, text):
    with pytest.raises(InvalidInput):
        appeal(user=other_student, post=hidden, text=text)
    assert not ReviewItem.objects.filter(is_appeal=True).exists()
