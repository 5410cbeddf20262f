from django.db import IntegrityError, transaction
from django.db.models import F

from forum import events, permissions
from forum.models import Answer, User, Vote
from forum.notifications import dispatch as notify


def cast_vote(*, user: User, answer: Answer) -> Answer:
    """Idempotent: voting twice keeps one vote."""
    permissions.check_can_vote(user, answer)
    try:
        with transaction.atomic():
            Vote.objects.create(user=user, answer=answer)
            _shift_count(answer, +1)
            notify.vote_cast(answer, voter_id=user.pk)
    except IntegrityError:
        # The unique constraint is the source of truth under concurrent clicks.
        answer.refresh_from_db(fields=["vote_count"])
    return answer


def retract_vote(*, user: User, answer: Answer) -> Answer:
    permissions.check_can_vote(user, answer)
    with transaction.atomic():
        deleted, _ = Vote.objects.filter(user=user, answer=answer).delete()
        if deleted:
            _shift_count(answer, -1)
        else:
            answer.refresh_from_db(fields=["vote_count"])
    return answer


def toggle_vote(*, user: User, answer: Answer) -> tuple[Answer, bool]:
    """For the web button: returns the answer and whether the user now votes for it."""
    permissions.check_can_vote(user, answer)
    if Vote.objects.filter(user=user, answer=answer).exists():
        return retract_vote(user=user, answer=answer), False
    return cast_vote(user=user, answer=answer), True


def _shift_count(answer: Answer, delta: int) -> None:
    Answer.objects.filter(pk=answer.pk).update(vote_count=F("vote_count") + delta)
    answer.refresh_from_db(fields=["vote_count"])
    events.answer_voted(answer)
