"""Calendar reminders: before a deadline window ends, the askers of questions
in its "find a company" tags hear once of the new answers (forum.notifications.nudges)."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from forum.alternance_calendar import PARIS
from forum.models import (
    CalendarReminder,
    CharterClause,
    Notification,
    NotificationEmail,
    NotificationKind,
    User,
)
from forum.notifications import nudges, tasks
from forum.notifications.texts import describe
from forum.services import moderation
from forum.services import notifications as notification_services
from forum.services.answers import accept_answer
from tests.calendar_factories import make_window, without_default_windows
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

LEAD = 14


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def window(moderator):
    """Active from 10 days ago to 20 days ahead; the reminder is due 6 days from now."""
    without_default_windows()
    return make_window(
        moderator=moderator,
        tags=("recherche-entreprise", "candidature", "contrat-pro"),
        reminder_tags=("recherche-entreprise",),
        reminder_days=LEAD,
    )


def paris_midnight(days_from_today: int) -> datetime:
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=days_from_today)
    return datetime.combine(day, time.min, tzinfo=PARIS)


DUE = 20 - LEAD  # days from today


def reminders_of(user: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.DEADLINE_REMINDER))


def test_an_asker_gets_one_reminder_with_the_new_answers(window, student, other_student, third_student):
    question = make_question(author=student, tags=("recherche-entreprise", "bts"))
    make_answer(author=other_student, question=question)
    make_answer(author=third_student, question=question)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    [reminder] = reminders_of(student)
    assert reminder.question_id == question.pk
    assert reminder.data["new_answers"] == 2
    assert reminder.data["questions"] == [{"id": question.pk, "title": question.title, "new_answers": 2}]
    with translation.override("en"):
        assert describe(reminder).startswith("Contract signing until ")
        assert "2 new answers to your questions since you last looked" in describe(reminder)
    with translation.override("fr"):
        assert "2 nouvelles réponses à vos questions" in describe(reminder)
    assert CalendarReminder.objects.filter(user=student, window=window).count() == 1
    # In the site and by email (the kind's default channel).
    assert NotificationEmail.objects.filter(recipient=student, group_key=reminder.group_key).exists()
    assert reminders_of(other_student) == reminders_of(third_student) == []


def test_the_sweep_reminds_once_even_when_run_again_or_after_a_restart(window, student, other_student):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    nudges.send_due_reminders(now=paris_midnight(DUE))
    Notification.objects.filter(recipient=student).update(read_at=timezone.now())
    make_answer(author=other_student, question=question)

    # Every minute until the end of the window, then a restarted worker.
    nudges.send_due_reminders(now=paris_midnight(DUE) + timedelta(minutes=1))
    nudges.send_due_reminders(now=paris_midnight(DUE + 3))

    assert len(reminders_of(student)) == 1
    assert CalendarReminder.objects.filter(user=student).count() == 1


def test_nothing_before_the_lead_time_nor_after_the_window(window, student, other_student):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)

    nudges.send_due_reminders(now=paris_midnight(DUE) - timedelta(seconds=1))
    nudges.send_due_reminders(now=paris_midnight(21))  # the day after the end day
    assert reminders_of(student) == []

    nudges.send_due_reminders(now=paris_midnight(21) - timedelta(seconds=1))  # 23:59:59 on the end day
    assert len(reminders_of(student)) == 1


def test_new_answers_count_from_when_the_asker_last_looked(committed, window, student, other_student):
    question = committed(make_question, author=student, tags=("recherche-entreprise",))
    committed(make_answer, author=other_student, question=question)
    notification_services.mark_thread_read(user=student, question_id=question.pk)  # opening the thread
    newest = committed(make_answer, author=other_student, question=question)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    [reminder] = reminders_of(student)
    assert reminder.data["new_answers"] == 1
    assert reminder.answer_id == newest.pk


def test_an_open_question_without_news_gets_a_gentle_nudge(window, student):
    question = make_question(author=student, tags=("recherche-entreprise",))

    nudges.send_due_reminders(now=paris_midnight(DUE))

    [reminder] = reminders_of(student)
    assert reminder.data["new_answers"] == 0
    with translation.override("en"):
        assert f"your question “{question.title}” is still open" in describe(reminder)


def test_other_tags_and_other_windows_tags_are_not_reminded(window, student, other_student):
    # contrat-pro is boosted by the window, but only recherche-entreprise askers get the reminder.
    question = make_question(author=student, tags=("contrat-pro",))
    make_answer(author=other_student, question=question)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []


def test_a_muted_member_gets_nothing_and_nothing_is_recorded(window, student, other_student):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    notification_services.update_preferences(user=student, muted=True)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []
    assert not CalendarReminder.objects.filter(user=student).exists()
    # Unmuted before the deadline: the reminder still comes, once.
    notification_services.update_preferences(user=student, muted=False)
    nudges.send_due_reminders(now=paris_midnight(DUE + 1))
    assert len(reminders_of(student)) == 1


def test_a_member_who_unfollowed_the_thread_is_not_reminded_of_it(window, student, other_student):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    notification_services.set_thread_following(user=student, question=question, following=False)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []


def test_verified_staff_asking_in_the_tags_are_not_reminded(window, moderator, other_student):
    from tests.live_factories import make_verified_hr

    hr = make_verified_hr(moderator=moderator)
    question = make_question(author=hr, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(hr) == []


@pytest.mark.parametrize("state", ["suspended", "deactivated"])
def test_suspended_and_deactivated_accounts_are_not_reminded(window, student, other_student, state):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    if state == "suspended":
        User.objects.filter(pk=student.pk).update(suspended_until=paris_midnight(DUE + 30))
    else:
        User.objects.filter(pk=student.pk).update(is_active=False)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []


def test_hidden_questions_are_never_the_subject_of_a_reminder(window, student, other_student, moderator):
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    moderation.hide_post(moderator=moderator, post=question, clause=CharterClause.SPAM)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []


def test_solved_questions_with_nothing_new_are_left_alone(committed, window, student, other_student):
    question = committed(make_question, author=student, tags=("recherche-entreprise",))
    answer = committed(make_answer, author=other_student, question=question)
    committed(accept_answer, user=student, answer=answer)
    notification_services.mark_thread_read(user=student, question_id=question.pk)

    nudges.send_due_reminders(now=paris_midnight(DUE))

    assert reminders_of(student) == []


def test_the_workers_minute_sweep_sends_the_reminder_and_its_email(moderator, student, other_student):
    without_default_windows()
    # Ends in 20 days with a 20-day lead: due since midnight today.
    make_window(moderator=moderator, reminder_tags=("recherche-entreprise",), reminder_days=20)
    question = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=question)
    mail.outbox.clear()

    result = tasks.periodic.call()

    assert result["calendar_reminders"] == 1
    [reminder] = reminders_of(student)
    [email] = [m for m in mail.outbox if m.to == [student.email]]
    with translation.override("fr"):  # the student's email is in the site's language, whatever this test runs in
        assert describe(reminder)[:20] in email.body
    assert tasks.periodic.call()["calendar_reminders"] == 0
