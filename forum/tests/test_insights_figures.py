"""Every figure of the insights dashboard, on the controlled data set of
tests/insights_data.py, against the values computed by hand in its docstring."""

import datetime as dt

import pytest

from forum.insights.activity import question_volume
from forum.insights.facets import facet_breakdown
from forum.insights.organisation import organisation_figures
from forum.insights.period import Period
from forum.insights.popular import most_followed, most_viewed
from forum.insights.response_times import response_times
from forum.insights.tags import tag_trends
from forum.insights.unanswered import oldest_unanswered
from forum.insights.waits import percentile
from tests.insights_data import PERIOD, build
from tests.support.requirements import require_postgres

QUIET = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))
BOTH_PATHS = [pytest.param(False, id="percentile_cont"), pytest.param(True, id="python")]


@pytest.fixture
def world(moderator):
    return build(moderator)


def _in_sql_or_python(in_python: bool) -> None:
    if not in_python:
        require_postgres()


def test_questions_per_day_are_counted_on_paris_days(world):
    volume = question_volume(PERIOD)
    assert volume.bucket == "day"
    assert [(b.day.day, b.asked, b.answered, b.solved) for b in volume.buckets] == [
        (23, 2, 2, 1),
        (24, 0, 0, 0),
        (25, 1, 0, 0),  # asked at 23:30 UTC on the 24th
        (26, 0, 0, 0),
        (27, 0, 0, 0),
        (28, 0, 0, 0),
        (29, 1, 1, 0),  # asked at 23:30 UTC on the 28th; q8 (22:30 UTC on the 29th) is the 30th in summer time
    ]
    assert (volume.asked, volume.answered, volume.solved) == (4, 3, 1)
    assert volume.answered_share == pytest.approx(0.75)
    assert volume.solved_share == pytest.approx(0.25)


def test_long_periods_count_per_week_from_monday(world):
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 5))
    volume = question_volume(period)
    assert volume.bucket == "week"
    weeks = {b.day: b.asked for b in volume.buckets}
    # 1 March 2026 is a Sunday: its week starts on Monday 23 February.
    assert min(weeks) == dt.date(2026, 2, 23)
    assert weeks[dt.date(2026, 3, 16)] == 2  # q6, q5
    assert weeks[dt.date(2026, 3, 23)] == 4  # q1-q4 (q7 hidden)
    assert weeks[dt.date(2026, 3, 30)] == 1  # q8
    assert sum(weeks.values()) == 7


@pytest.mark.parametrize("in_python", BOTH_PATHS)
def test_median_and_p90_times_to_a_first_answer(world, in_python):
    _in_sql_or_python(in_python)
    times = response_times(PERIOD, in_python=in_python)
    assert times.asked == 4
    assert times.first_answer.count == 3
    assert times.first_answer.median_seconds == pytest.approx(7_200)
    assert times.first_answer.p90_seconds == pytest.approx(30_240)
    assert times.first_verified_answer.count == 2
    assert times.first_verified_answer.median_seconds == pytest.approx(25_200)
    assert times.first_verified_answer.p90_seconds == pytest.approx(33_840)
    assert times.verified_share == pytest.approx(2 / 3)
    assert times.community_share == pytest.approx(1 / 3)


def test_top_and_rising_tags_against_the_previous_period(world):
    trends = tag_trends(PERIOD)
    assert [(t.slug, t.questions, t.previous) for t in trends.top] == [
        ("bts", 2, 1),
        ("teletravail", 2, 0),
        ("horaires", 1, 1),
    ]
    assert [(t.slug, t.growth) for t in trends.rising] == [("teletravail", None), ("bts", 1.0)]


def test_diploma_and_region_breakdowns(world):
    diploma = facet_breakdown(PERIOD, "diploma")
    assert diploma.total == 4
    assert [(s.value, s.questions) for s in diploma.shares] == [("bts", 1), ("master", 1), ("", 2)]
    region = facet_breakdown(PERIOD, "region")
    assert sorted((s.value, s.questions) for s in region.shares) == [("", 2), ("bretagne", 1), ("ile-de-france", 1)]


def test_most_viewed_and_most_followed_questions(world):
    assert [(p.question.pk, p.count) for p in most_viewed(PERIOD)] == [(world.q1.pk, 10), (world.q2.pk, 5)]
    # Askers and answerers follow by themselves; only bob and hr_b chose to.
    assert [(p.question.pk, p.count) for p in most_followed(PERIOD)] == [(world.q3.pk, 2)]


@pytest.mark.parametrize("in_python", BOTH_PATHS)
def test_an_organisations_response_rate_time_and_accepted_answers(world, in_python):
    _in_sql_or_python(in_python)
    bank_a = organisation_figures(world.bank_a, PERIOD, in_python=in_python)
    assert (bank_a.addressed, bank_a.responded, bank_a.accepted_answers) == (2, 1, 1)
    assert bank_a.response_rate == pytest.approx(0.5)
    assert bank_a.response.median_seconds == pytest.approx(14_400)
    assert bank_a.response.p90_seconds == pytest.approx(14_400)
    bank_b = organisation_figures(world.bank_b, PERIOD, in_python=in_python)
    assert (bank_b.addressed, bank_b.responded, bank_b.accepted_answers) == (1, 0, 0)
    assert bank_b.response_rate == 0
    assert bank_b.response.median_seconds is None


def test_oldest_unanswered_in_followed_tags_then_everywhere(world):
    mine = oldest_unanswered(world.hr_a)
    assert mine.followed_tags_only
    assert [q.pk for q in mine.questions] == [world.q6.pk, world.q3.pk]
    everywhere = oldest_unanswered(world.hr_b)
    assert not everywhere.followed_tags_only
    assert [q.pk for q in everywhere.questions] == [world.q6.pk, world.q3.pk, world.q8.pk]


@pytest.mark.parametrize("in_python", BOTH_PATHS)
def test_an_empty_period_has_zeros_and_no_medians(world, in_python):
    _in_sql_or_python(in_python)
    volume = question_volume(QUIET)
    assert len(volume.buckets) == 31  # one zero bar per quiet day
    assert (volume.asked, volume.answered_share, volume.solved_share) == (0, None, None)
    times = response_times(QUIET, in_python=in_python)
    assert (times.asked, times.first_answer.median_seconds, times.verified_share) == (0, None, None)
    assert tag_trends(QUIET).top == []
    assert facet_breakdown(QUIET, "region").shares == []
    assert most_viewed(QUIET) == most_followed(QUIET) == []
    assert organisation_figures(world.bank_a, QUIET, in_python=in_python).response_rate is None


def test_percentiles_interpolate_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 0.0, 20.0], 0.9) == pytest.approx(18.0)


def test_a_period_keeps_midnight_across_the_summer_time_change():
    assert PERIOD.start == dt.datetime(2026, 3, 22, 23, 0, tzinfo=dt.UTC)
    assert PERIOD.end == dt.datetime(2026, 3, 29, 22, 0, tzinfo=dt.UTC)
    assert PERIOD.previous() == Period(dt.date(2026, 3, 16), dt.date(2026, 3, 22))
