"""Dated legal answers (issue 17): the "to check" rule across the reference
date in Paris time, its settings, the dating input rules, and "still valid
as of today" (who may, what it writes and publishes)."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from forum import legal_dates, queries
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import Answer, AuditLog, Event, LiveSession
from forum.services.answers import confirm_answer_validity, edit_answer, post_answer
from tests.factories import make_question

BODY = "À 19 ans en 2e année, c'est 51 % du SMIC minimum, selon la grille légale."
PARIS = legal_dates.PARIS


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def pay_thread(student):
    return make_question(author=student, tags=("salaire", "bts"))


@pytest.fixture
def pay_answer(pay_thread, other_student):
    return post_answer(author=other_student, question=pay_thread, body=BODY)


def published_on(answer: Answer, when: datetime) -> Answer:
    Answer.objects.filter(pk=answer.pk).update(created_at=when, edited_at=None)
    return queries.get_visible_answer(answer.author, answer.pk)


# --- The rule, pure ----------------------------------------------------------------


def test_the_reference_date_is_the_latest_configured_day_at_or_before_today():
    assert legal_dates.reference_date(date(2026, 12, 3), [(1, 1)]) == date(2026, 1, 1)
    assert legal_dates.reference_date(date(2027, 1, 1), [(1, 1)]) == date(2027, 1, 1)
    assert legal_dates.reference_date(date(2026, 12, 31), [(1, 1)]) == date(2026, 1, 1)
    assert legal_dates.reference_date(date(2026, 6, 30), [(1, 1), (7, 1)]) == date(2026, 1, 1)
    assert legal_dates.reference_date(date(2026, 7, 1), [(1, 1), (7, 1)]) == date(2026, 7, 1)
    assert legal_dates.reference_date(date(2026, 3, 1), [(7, 1)]) == date(2025, 7, 1)


def test_today_is_the_date_in_paris_not_in_utc():
    # Winter: Paris is UTC+1, so 23:00 UTC on 31 December is already 1 January.
    assert legal_dates.today(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert legal_dates.today(datetime(2026, 12, 31, 23, 0, tzinfo=UTC)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("published", "now_utc", "expected"),
    [
        # Published 31 Dec 23:30 Paris (22:30 UTC): still 2026's figures.
        (paris(2026, 12, 31, 23, 30), datetime(2026, 12, 31, 22, 59, tzinfo=UTC), False),
        (paris(2026, 12, 31, 23, 30), datetime(2026, 12, 31, 23, 0, tzinfo=UTC), True),
        # Published 1 Jan 00:30 Paris (23:30 UTC the day before): already the new year's.
        (paris(2027, 1, 1, 0, 30), datetime(2027, 1, 1, 12, 0, tzinfo=UTC), False),
        (paris(2027, 1, 1, 0, 30), datetime(2027, 12, 31, 22, 59, tzinfo=UTC), False),
        (paris(2027, 1, 1, 0, 30), datetime(2027, 12, 31, 23, 0, tzinfo=UTC), True),
    ],
    ids=["dec31-before-midnight", "dec31-after-midnight", "jan1-same-day", "jan1-end-of-year", "jan1-next-year"],
)
def test_the_rule_turns_at_midnight_in_paris(published, now_utc, expected):
    on = legal_dates.today(now_utc)
    checked = legal_dates.needs_check(on_legal_thread=True, valid_as_of=None, published_at=published, on=on)
    assert checked is expected


def test_a_valid_as_of_date_wins_over_the_publication_date():
    published = paris(2027, 3, 1, 10, 0)
    on = date(2027, 3, 2)
    assert legal_dates.needs_check(on_legal_thread=True, valid_as_of=date(2026, 12, 31), published_at=published, on=on)
    assert not legal_dates.needs_check(
        on_legal_thread=True, valid_as_of=date(2027, 1, 1), published_at=paris(2026, 5, 1), on=on
    )


def test_answers_off_the_legal_tags_never_need_checking():
    old = paris(2020, 1, 1)
    assert not legal_dates.needs_check(on_legal_thread=False, valid_as_of=None, published_at=old, on=date(2027, 1, 1))


# --- The rule on stored answers ----------------------------------------------------------


def test_an_answer_on_a_pay_thread_needs_checking_after_the_new_year(pay_answer, settings):
    answer = published_on(pay_answer, paris(2026, 12, 31, 23, 30))
    settings.LEGAL_ANSWERS_TODAY = date(2026, 12, 31)
    assert not legal_dates.answer_needs_check(answer)
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    assert legal_dates.answer_needs_check(answer)
    # The SQL list agrees with the Python rule.
    assert list(queries.answers_to_check(answer.author, author=answer.author)) == [answer]


def test_the_legal_tags_come_from_the_setting(pay_answer, settings):
    answer = published_on(pay_answer, paris(2026, 6, 1))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)
    settings.LEGAL_ANSWER_TAGS = frozenset({"aides"})
    answer = queries.get_visible_answer(answer.author, answer.pk)
    assert answer.on_legal_thread is False
    assert not legal_dates.answer_needs_check(answer)
    assert not queries.answers_to_check(answer.author, author=answer.author).exists()
    settings.LEGAL_ANSWER_TAGS = frozenset({"aides", "salaire"})
    assert legal_dates.answer_needs_check(queries.get_visible_answer(answer.author, answer.pk))


def test_the_flag_reads_the_tags_of_the_answers_own_question_only(question, other_student):
    """Asked through the tagged items of one question id, not through
    `Question` (PostgreSQL then hashed every thread with a legal tag: 90 ms per
    thread page at national scale); tags of another kind of object with the
    same id (a live session) do not count."""
    answer = post_answer(author=other_student, question=question, body=BODY)
    session = LiveSession.objects.create(
        id=question.pk,
        title="Chat conseil",
        starts_at=answer.created_at,
        ends_at=answer.created_at,
        created_by=other_student,
    )
    session.tags.add("salaire")
    flagged = legal_dates.with_legal_flag(Answer.objects.filter(pk=answer.pk))
    assert flagged.get().on_legal_thread is False
    question.tags.add("salaire")
    assert flagged.get().on_legal_thread is True
    exists = str(flagged.query).split("EXISTS", 1)[1]
    assert '"forum_question"' not in exists


def test_an_answer_on_another_thread_is_not_listed(question, other_student, settings):
    answer = post_answer(author=other_student, question=question, body=BODY)
    published_on(answer, paris(2020, 6, 1))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)
    assert not queries.answers_to_check(other_student, author=other_student).exists()


def test_the_reference_day_setting_is_parsed_and_refused_at_boot(tmp_path):
    from config.settings import env_month_days

    os.environ["TEST_DAYS"] = "07-01, 01-01"
    try:
        assert env_month_days("TEST_DAYS", ["01-01"]) == ((1, 1), (7, 1))
    finally:
        del os.environ["TEST_DAYS"]
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    for bad in ("31-12", "02-29", "1 janvier"):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            cwd=root,
            env=env
            | {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "1",
                "VAR_DIR": str(tmp_path),
                "LEGAL_ANSWER_REFERENCE_DAYS": bad,
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode != 0
        assert "LEGAL_ANSWER_REFERENCE_DAYS must be days as MM-DD" in result.stderr


# --- Input rules --------------------------------------------------------------------


def test_an_answer_carries_its_date_and_sources(pay_thread, other_student):
    answer = post_answer(
        author=other_student,
        question=pay_thread,
        body=BODY,
        valid_as_of="2026-11-30",
        sources="https://www.service-public.fr/particuliers/vosdroits/F2918\nhttps://blog.example.org/smic\n",
    )
    answer.refresh_from_db()
    assert answer.valid_as_of == date(2026, 11, 30)
    assert legal_dates.source_links(answer.sources) == [
        {"url": "https://www.service-public.fr/particuliers/vosdroits/F2918", "official": True},
        {"url": "https://blog.example.org/smic", "official": False},
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"valid_as_of": "demain"}, "valid_as_of"),
        ({"valid_as_of": "2999-01-01"}, "valid_as_of"),
        ({"valid_as_of": "1990-01-01"}, "valid_as_of"),
        ({"sources": ["http://www.service-public.fr/"]}, "sources"),
        ({"sources": ["javascript:alert(1)"]}, "sources"),
        ({"sources": ["https://user:pw@service-public.fr/"]}, "sources"),
        ({"sources": ["https://[oops/"]}, "sources"),
        ({"sources": ["https://service-public.fr/" + "a" * 400]}, "sources"),
        ({"sources": [f"https://example.org/{n}" for n in range(4)]}, "sources"),
        ({"sources": {"url": "https://example.org"}}, "sources"),
    ],
    ids=["not-a-date", "future", "too-old", "http", "javascript", "credentials", "bad-host", "long", "four", "dict"],
)
def test_bad_dating_is_refused_with_a_field_error(pay_thread, other_student, fields, field):
    with pytest.raises(InvalidInput) as caught:
        post_answer(author=other_student, question=pay_thread, body=BODY, **fields)
    assert field in caught.value.fields
    assert not Answer.objects.exists()


def test_today_in_paris_is_not_the_future(pay_thread, other_student, settings):
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    answer = post_answer(author=other_student, question=pay_thread, body=BODY, valid_as_of="2027-01-01")
    assert answer.valid_as_of == date(2027, 1, 1)


def test_editing_only_the_dating_keeps_the_text_and_makes_no_revision(pay_answer, other_student):
    edited = edit_answer(
        editor=other_student, answer=pay_answer, body=BODY, valid_as_of="2026-12-01", sources=["https://urssaf.fr/x"]
    )
    assert edited.valid_as_of == date(2026, 12, 1)
    assert edited.edited_at is None
    assert not edited.revisions.exists()
    assert Event.objects.filter(name="answer.updated").count() == 1
    # Left out (an API PATCH of the text only), the dating stays.
    edited = edit_answer(editor=other_student, answer=edited, body=BODY + " Bon courage.")
    assert (edited.valid_as_of, edited.sources) == (date(2026, 12, 1), ["https://urssaf.fr/x"])


# --- "Still valid as of today" -------------------------------------------------------------


def test_the_author_confirms_in_one_click(pay_answer, other_student, settings):
    published_on(pay_answer, paris(2026, 5, 1))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 3)
    assert queries.answers_to_check(other_student, author=other_student).count() == 1

    confirmed = confirm_answer_validity(user=other_student, answer=pay_answer)

    assert confirmed.valid_as_of == date(2027, 1, 3)
    assert not legal_dates.answer_needs_check(confirmed)
    assert not queries.answers_to_check(other_student, author=other_student).exists()
    event = Event.objects.filter(name="answer.updated").latest("id")
    assert event.payload["valid_as_of"] == "2027-01-03"
    assert event.payload["needs_check"] is False
    # The author vouches for their own figures: nothing for the moderation journal.
    assert not AuditLog.objects.exists()


def test_a_moderator_confirms_and_it_is_audited(pay_answer, moderator, settings):
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 3)
    confirm_answer_validity(user=moderator, answer=pay_answer)
    entry = AuditLog.objects.get(action="answer.validity_confirmed")
    assert entry.actor == moderator
    assert entry.target_id == pay_answer.pk
    assert entry.after == {"valid_as_of": "2027-01-03"}


def test_nobody_else_may_confirm(pay_answer, student, third_student):
    for user in (student, third_student):
        with pytest.raises(NotAllowed):
            confirm_answer_validity(user=user, answer=pay_answer)
    pay_answer.refresh_from_db()
    assert pay_answer.valid_as_of is None


def test_the_moderators_list_holds_everyones_and_filters_by_tag(student, other_student, moderator, settings):
    aid = make_question(author=student, tags=("aides", "logement"))
    pay = make_question(author=student, tags=("salaire",))
    old = paris(2026, 3, 1)
    on_aid = published_on(post_answer(author=other_student, question=aid, body=BODY), old)
    on_pay = published_on(post_answer(author=moderator, question=pay, body=BODY), old)
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)

    assert set(queries.answers_to_check(moderator)) == {on_aid, on_pay}
    assert list(queries.answers_to_check(moderator, tag="aides")) == [on_aid]
    assert list(queries.answers_to_check(other_student, author=other_student)) == [on_aid]


def test_a_withdrawn_answer_is_not_listed(pay_answer, other_student, settings):
    from forum.services.answers import withdraw_answer

    published_on(pay_answer, paris(2026, 3, 1))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)
    withdraw_answer(user=other_student, answer=pay_answer)
    assert not queries.answers_to_check(other_student, author=other_student).exists()


def test_page_versions_change_with_the_reference_date(db, settings):
    from forum import page_versions

    settings.LEGAL_ANSWERS_TODAY = date(2026, 12, 31)
    before = page_versions.version(["feed"])
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    after = page_versions.version(["feed"])
    assert (before.cursor, before.generation) == (after.cursor, after.generation)
    assert before.token("fr") != after.token("fr")
    assert after.modified_at >= paris(2027, 1, 1)
