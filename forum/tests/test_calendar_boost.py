"""The boost: during a calendar window, verified staff and moderators see the
unanswered questions in its tags first; nobody else does. And the moderators'
service that keeps the windows."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import queries
from forum.alternance_calendar import PARIS
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import AuditLog, CalendarWindow, CharterClause
from forum.services import calendar as calendar_services
from forum.services import moderation
from forum.services.thread_tools import set_locked
from tests.calendar_factories import make_window, without_default_windows
from tests.factories import make_answer, make_question
from tests.live_factories import make_verified_hr

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(moderator):
    return make_verified_hr(moderator=moderator)


@pytest.fixture
def window(moderator):
    without_default_windows()
    return make_window(moderator=moderator, tags=("recherche-entreprise", "contrat-pro"))


def test_verified_staff_see_the_oldest_unanswered_questions_in_the_window_tags(
    window, hr, student, other_student, moderator
):
    oldest = make_question(author=student, tags=("recherche-entreprise", "bts"))
    newer = make_question(author=other_student, tags=("contrat-pro",))
    answered = make_question(author=student, tags=("recherche-entreprise",))
    make_answer(author=other_student, question=answered)
    make_question(author=student, tags=("salaire",))  # not a tag of the window
    hidden = make_question(author=other_student, tags=("contrat-pro",))
    moderation.hide_post(moderator=moderator, post=hidden, clause=CharterClause.SPAM)
    locked = make_question(author=student, tags=("contrat-pro",))
    set_locked(moderator=moderator, question=locked, locked=True)

    boosted = queries.boosted_questions(hr)

    assert [b.pk for b in boosted] == [oldest.pk, newer.pk]
    assert {b.window.pk for b in boosted} == {window.pk}
    assert [b.pk for b in queries.boosted_questions(moderator)] == [oldest.pk, newer.pk]


def test_students_and_anonymous_readers_see_no_boost(window, student, other_student):
    from django.contrib.auth.models import AnonymousUser

    make_question(author=other_student, tags=("recherche-entreprise",))
    assert queries.boosted_questions(student) == []
    assert queries.boosted_questions(AnonymousUser()) == []


def test_no_boost_outside_the_windows(moderator, hr, student):
    without_default_windows()
    today = datetime.now(PARIS).date()
    make_window(
        moderator=moderator,
        start=date(today.year, 1, 1) if today.month >= 6 else date(today.year, 7, 1),
        end=date(today.year, 1, 31) if today.month >= 6 else date(today.year, 7, 31),
    )
    make_question(author=student, tags=("recherche-entreprise",))
    assert queries.active_calendar() == []
    assert queries.boosted_questions(hr) == []


def test_a_disabled_window_boosts_nothing(window, moderator, hr, student):
    make_question(author=student, tags=("recherche-entreprise",))
    calendar_services.save_window(
        moderator=moderator,
        window=window,
        **{f: getattr(window, f) for f in ("name_fr", "name_en", "kind", "start_month", "start_day")},
        end_month=window.end_month,
        end_day=window.end_day,
        tags=window.tags,
        enabled=False,
    )
    assert queries.boosted_questions(hr) == []


def test_the_boosted_set_is_one_query_once_the_windows_are_cached(window, hr, student):
    for _ in range(3):
        make_question(author=student, tags=("recherche-entreprise",))
    queries.calendar_windows()
    queries.boosted_questions(hr)  # the badge check is then cached on the member
    with CaptureQueriesContext(connection) as captured:
        assert len(queries.boosted_questions(hr)) == 3
    assert len(captured) == 1


def test_moderators_keep_the_calendar_and_each_change_is_in_the_journal(moderator):
    without_default_windows()
    window = make_window(moderator=moderator, tags=("Recherche entreprise", "CFA", "cfa"))
    assert window.tags == ["recherche-entreprise", "cfa"]
    assert AuditLog.objects.filter(action="calendar.window_saved", target_id=window.pk).count() == 1
    calendar_services.delete_window(moderator=moderator, window=window)
    assert not CalendarWindow.objects.exists()
    assert AuditLog.objects.filter(action="calendar.window_deleted").count() == 1


def test_members_cannot_change_the_calendar(student, hr):
    for member in (student, hr):
        with pytest.raises(NotAllowed):
            make_window(moderator=member)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_month": 2, "start_day": 29}, "start_day"),
        ({"end_month": 4, "end_day": 31}, "end_day"),
        ({"end_month": 13}, "end_day"),
        ({"start_day": "1"}, "start_day"),
        ({"name_fr": ""}, "name_fr"),
        ({"name_en": "x" * 81}, "name_en"),
        ({"kind": "holiday"}, "kind"),
        ({"tags": []}, "tags"),
        ({"tags": [f"tag-{n}" for n in range(21)]}, "tags"),
        ({"reminder_days": 0, "reminder_tags": ["cfa"]}, "reminder_days"),
        ({"reminder_days": 91, "reminder_tags": ["cfa"]}, "reminder_days"),
        ({"reminder_days": 14, "reminder_tags": []}, "reminder_tags"),
    ],
)
def test_bad_values_are_field_errors(moderator, changes, field):
    values = {
        "name_fr": "Rentrée",
        "name_en": "School start",
        "kind": "school_start",
        "start_month": 9,
        "start_day": 1,
        "end_month": 10,
        "end_day": 15,
        "tags": ["ecole"],
    } | changes
    with pytest.raises(InvalidInput) as error:
        calendar_services.save_window(moderator=moderator, **values)
    assert field in error.value.fields


def test_the_migration_creates_the_default_windows():
    # Migrated test database (unless a transactional test emptied it before).
    import importlib

    from django.apps import apps

    without_default_windows()
    importlib.import_module("forum.migrations.0022_nudges").seed(apps, None)
    signing = CalendarWindow.objects.get(name_en="Contract signing")
    assert (signing.start_month, signing.start_day, signing.end_month, signing.end_day) == (7, 1, 11, 30)
    assert signing.reminder_days == 14
    assert "recherche-entreprise" in signing.reminder_tags
    assert CalendarWindow.objects.get(name_en="School start").kind == "school_start"
