"""What services call, inside their transaction, when something worth telling
happened. Cheap on purpose: at most a subscription row now, and one task
enqueued on commit, so the author's request does not pay for the audience."""

import logging

from django.db import transaction

from forum.models import Answer, Question, ThreadSubscription, Visibility
from forum.notifications import fanout
from forum.notifications.tasks import fan_out, schedule_delivery

logger = logging.getLogger(__name__)


def _enqueue(kind: str, subject_id: int, actor_id: int | None = None) -> None:
    def send():
        try:
            fan_out.enqueue(kind, subject_id, actor_id)
        except Exception:
            # The change is committed; a queue outage must not turn it into a 500.
            logger.exception("Could not enqueue the %s fan-out for %s", kind, subject_id)

    transaction.on_commit(send)


def follow_automatically(*, user_id: int, question_id: int) -> None:
    """Asking or answering follows the thread, unless the member unfollowed it."""
    ThreadSubscription.objects.get_or_create(user_id=user_id, question_id=question_id)


def question_posted(question: Question) -> None:
    follow_automatically(user_id=question.author_id, question_id=question.pk)
    if question.visibility == Visibility.PUBLISHED:
        _enqueue("question", question.pk)


def answer_posted(answer: Answer) -> None:
    follow_automatically(user_id=answer.author_id, question_id=answer.question_id)
    if answer.visibility == Visibility.PUBLISHED:
        _enqueue("answer", answer.pk)


def post_published(post: Question | Answer) -> None:
    """A held post approved: its readers hear of it now."""
    _enqueue("question" if isinstance(post, Question) else "answer", post.pk)


def post_unpublished(post: Question | Answer) -> None:
    fanout.withdraw_for(post)


def answer_accepted(answer: Answer, *, actor_id: int) -> None:
    _enqueue("accepted", answer.pk, actor_id)


def vote_cast(answer: Answer, *, voter_id: int) -> None:
    _enqueue("helpful", answer.pk, voter_id)


def live_session_started(session) -> None:
    """Its followers hear of it (forum.notifications.fanout.fan_out_live_starting)."""
    _enqueue("live_starting", session.pk)


def live_session_changed(session) -> None:
    """Moved or cancelled: its followers hear of it, and for a cancellation the
    members who sent it a question (forum.notifications.fanout.fan_out_live_changed)."""
    _enqueue("live_changed", session.pk)


def _after_commit(deliver) -> None:
    """One recipient: no task needed for the fan-out, only for its email."""

    def run():
        try:
            schedule_delivery(deliver().email_due)
        except Exception:
            logger.exception("Could not notify after commit")

    transaction.on_commit(run)


def moderation_decided(
    post: Question | Answer, *, decision: str, clause: str, note: str, moderator_id: int, review_item_id: int
) -> None:
    _after_commit(
        lambda: fanout.notify_moderation(
            post=post,
            decision=decision,
            clause=clause,
            note=note,
            moderator_id=moderator_id,
            review_item_id=review_item_id,
        )
    )


def badge_decided(
    *, user_id: int, outcome: str, organisation: str, actor_id: int | None, key: str, email: bool = True
) -> None:
    _after_commit(
        lambda: fanout.notify_badge(
            user_id=user_id, outcome=outcome, organisation=organisation, actor_id=actor_id, key=key, email=email
        )
    )
