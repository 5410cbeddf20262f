"""Notifications: who hears of what, grouped, filtered, batched, withdrawn.

Fan-out runs after commit (ImmediateBackend in tests: the task runs when the
on_commit callback enqueues it), so every write goes through `committed`."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from taggit.models import Tag

from forum import queries
from forum.auth_backends import ModelBackend
from forum.models import (
    Channel,
    Event,
    Notification,
    NotificationEmail,
    NotificationKind,
    NotificationPreference,
    ReviewItem,
    TagSubscription,
)
from forum.notifications import email as email_delivery
from forum.notifications import fanout
from forum.notifications.texts import describe
from forum.services import answers as answer_services
from forum.services import moderation, votes
from forum.services import notifications as notification_services
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def unread(user):
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True))


def test_an_answer_notifies_the_asker_not_the_answerer(committed, student, other_student):
    question = committed(make_question, author=student)
    answer = committed(make_answer, author=other_student, question=question)
    [n] = unread(student)
    assert n.kind == NotificationKind.ANSWER_ON_MY_QUESTION
    assert n.answer_id == answer.pk
    assert unread(other_student) == []


def test_answers_in_one_thread_are_grouped_in_one_row(committed, student, other_student, third_student):
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    last = committed(make_answer, author=third_student, question=question)
    [n] = unread(student)
    assert n.count == 2
    assert n.answer_id == last.pk
    # Once read, the next answer starts a new row rather than reviving the old one.
    notification_services.mark_all_read(user=student)
    committed(make_answer, author=other_student, question=question)
    assert len(unread(student)) == 1
    assert Notification.objects.filter(recipient=student).count() == 2


def test_followers_hear_of_answers_and_can_unfollow(committed, student, other_student, third_student):
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)  # other_student now follows
    committed(make_answer, author=third_student, question=question)
    [n] = unread(other_student)
    assert n.kind == NotificationKind.ANSWER_IN_FOLLOWED
    notification_services.mark_all_read(user=other_student)
    notification_services.set_thread_following(user=other_student, question=question, following=False)
    committed(make_answer, author=third_student, question=question)
    assert unread(other_student) == []


def test_no_notification_to_suspended_or_deactivated_members(committed, student, other_student):
    question = committed(make_question, author=student)
    student.suspended_until = timezone.now() + timedelta(days=3)
    student.save(update_fields=["suspended_until"])
    committed(make_answer, author=other_student, question=question)
    assert unread(student) == []


def test_a_pending_answer_notifies_nobody_until_approved(committed, student, moderator):
    question = committed(make_question, author=student)
    newcomer = make_user(username="newbie", date_joined=timezone.now())
    answer = committed(
        answer_services.post_answer,
        author=newcomer,
        question=question,
        body="Ma toute première réponse, bienvenue à tous ici.",
    )
    # A newcomer's first posts are held (FORUM["PREMODERATE_FIRST_POSTS"]).
    assert answer.visibility == "pending"
    assert unread(student) == []

    item = ReviewItem.objects.get(status="open", answer=answer)
    committed(moderation.decide, moderator=moderator, item=item, decision="approve")

    assert [n.kind for n in unread(student)] == ["answer_mine"]


def test_hiding_an_answer_withdraws_its_unread_notifications(committed, student, other_student, moderator):
    question = committed(make_question, author=student)
    answer = committed(make_answer, author=other_student, question=question)
    assert len(unread(student)) == 1
    committed(moderation.hide_post, moderator=moderator, post=answer, clause="respect")
    assert unread(student) == []
    # Its author hears of the decision.
    [notice] = unread(other_student)
    assert notice.kind == NotificationKind.MODERATION
    # The asker's header count went down live.
    last = Event.objects.filter(topic=f"user:{student.pk}").order_by("-id").first()
    assert last.name == "notification.count"
    assert last.payload == {"unread_count": 0}


def test_helpful_votes_are_grouped_by_distinct_voters(committed, student, other_student, third_student):
    question = committed(make_question, author=student)
    answer = committed(make_answer, author=other_student, question=question)
    committed(votes.cast_vote, user=student, answer=answer)
    committed(votes.cast_vote, user=third_student, answer=answer)
    committed(votes.cast_vote, user=third_student, answer=answer)  # idempotent
    [n] = [x for x in unread(other_student) if x.kind == NotificationKind.HELPFUL]
    assert n.actor_count == 2
    with translation.override("fr"):
        assert describe(n) == "2 personnes ont trouvé votre réponse utile"


def test_accepting_notifies_the_answerer(committed, student, other_student):
    question = committed(make_question, author=student)
    answer = committed(make_answer, author=other_student, question=question)
    committed(answer_services.accept_answer, user=student, answer=answer)
    assert {n.kind for n in unread(other_student)} == {NotificationKind.ACCEPTED}


def test_a_new_question_reaches_the_followers_of_its_tag(committed, student, other_student, third_student):
    committed(make_question, author=third_student, tags=("bts",))
    tag = Tag.objects.get(slug="bts")
    TagSubscription.objects.create(user=other_student, tag=tag)
    TagSubscription.objects.create(user=student, tag=tag)
    question = committed(make_question, author=student, tags=("bts",))
    [n] = unread(other_student)
    assert n.kind == NotificationKind.TAG_QUESTION
    assert n.question_id == question.pk
    assert unread(student) == []  # never the actor


def test_mentions_reach_only_members_who_may_see_the_post(committed, student, other_student, third_student):
    question = committed(make_question, author=student)
    committed(
        make_answer,
        author=other_student,
        question=question,
        body="Je pense que @charlie saura répondre, et @personne aussi peut-être.",
    )
    assert [n.kind for n in unread(third_student)] == [NotificationKind.MENTION]
    assert fanout.mentioned_members("@charlie", question) == [third_student.pk]


def test_a_kind_turned_off_is_not_notified(committed, student, other_student):
    notification_services.update_preferences(
        user=student, channels={NotificationKind.ANSWER_ON_MY_QUESTION: Channel.OFF}
    )
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    assert unread(student) == []


def test_global_mute_silences_everything(committed, student, other_student):
    notification_services.update_preferences(user=student, muted=True)
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    assert unread(student) == []


def test_bad_preferences_are_field_errors(student):
    from forum.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as error:
        notification_services.update_preferences(user=student, channels={"nope": "email"}, digest="hourly")
    assert set(error.value.fields) == {"channels", "digest"}


def test_emails_are_batched_per_thread_and_sent_once(committed, student, other_student, third_student):
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    committed(make_answer, author=third_student, question=question)
    # ImmediateBackend: the delivery task already ran once, at the first answer.
    assert len([m for m in mail.outbox if m.to == [student.email]]) == 1
    pending = NotificationEmail.objects.get(recipient=student, status=NotificationEmail.Status.PENDING)
    # The second answer waits for the 15-minute window since the first email.
    assert pending.send_after >= timezone.now() + timedelta(minutes=14)
    assert email_delivery.deliver_due() == 0
    NotificationEmail.objects.filter(pk=pending.pk).update(send_after=timezone.now())
    assert email_delivery.deliver_due() == 1
    assert email_delivery.deliver_due() == 0  # never twice
    message = mail.outbox[-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/desabonnement/" in message.extra_headers["List-Unsubscribe"]
    assert message.alternatives
    assert message.alternatives[0][1] == "text/html"


def test_an_email_with_nothing_left_to_say_is_skipped(committed, student, other_student):
    question = committed(make_question, author=student)
    with_email = NotificationEmail.objects.count()
    committed(make_answer, author=other_student, question=question)
    assert NotificationEmail.objects.count() == with_email + 1
    mail.outbox.clear()
    NotificationEmail.objects.update(status=NotificationEmail.Status.PENDING, send_after=timezone.now())
    notification_services.mark_all_read(user=student)
    assert email_delivery.deliver_due() == 0
    assert mail.outbox == []


def test_a_failed_send_is_retried_with_backoff(committed, student, other_student, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.mail.FailingBackend", "OPTIONS": {}}}
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    row = NotificationEmail.objects.get(recipient=student)
    assert row.status == NotificationEmail.Status.PENDING
    assert row.attempts == 1
    assert row.send_after > timezone.now()


def test_quiet_hours_defer_the_email(student):
    pref = NotificationPreference(user=student, quiet_start=time(22, 0), quiet_end=time(7, 0))
    at_night = timezone.datetime(2026, 12, 2, 23, 30, tzinfo=fanout.PARIS)
    until = fanout.quiet_until(pref, at_night)
    assert until == timezone.datetime(2026, 12, 3, 7, 0, tzinfo=fanout.PARIS)
    assert fanout.quiet_until(pref, timezone.datetime(2026, 12, 2, 12, 0, tzinfo=fanout.PARIS)) is None


def test_unsubscribe_link_turns_the_kind_email_off(student):
    from forum.notifications.texts import unsubscribe_token

    token = unsubscribe_token(user_id=student.pk, kind=NotificationKind.ANSWER_ON_MY_QUESTION)
    notification_services.unsubscribe(token=token)
    pref = NotificationPreference.objects.get(user=student)
    assert pref.channel(NotificationKind.ANSWER_ON_MY_QUESTION) == Channel.IN_APP


def test_reading_the_thread_marks_its_notifications_read(committed, student, other_student):
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    assert notification_services.mark_thread_read(user=student, question_id=question.pk) == 1
    assert unread(student) == []


@pytest.mark.parametrize(
    "read",
    [
        lambda user, question: notification_services.mark_thread_read(user=user, question_id=question.pk),
        lambda user, question: notification_services.mark_all_read(user=user),
        lambda user, question: notification_services.mark_read(
            user=user, notification_id=Notification.objects.get(recipient=user).pk
        ),
    ],
    ids=["thread", "all", "one"],
)
def test_the_count_read_with_the_member_is_not_shown_after_marking_read(committed, student, other_student, read):
    question = committed(make_question, author=student)
    committed(make_answer, author=other_student, question=question)
    member = ModelBackend().get_user(student.pk)  # as a request begins: the count comes with the member
    assert queries.current_unread_count(member) == 1

    read(member, question)

    assert queries.current_unread_count(member) == 0
