"""The insights dashboard ("veille"): who may see it, which organisation's
figures each viewer gets, and that the page, its tables and its CSV exports
show the hand-computed figures of tests/insights_data.py."""

import csv
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.factories import make_question
from tests.insights_data import PERIOD, build

CUSTOM = f"period=custom&from={PERIOD.first_day.isoformat()}&to={PERIOD.last_day.isoformat()}"


@pytest.fixture
def world(moderator):
    return build(moderator)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_students_get_403_and_visitors_are_sent_to_log_in(client, world):
    assert client.get("/veille/").status_code == 302
    client.force_login(world.alice)
    assert client.get("/veille/").status_code == 403
    assert client.get(f"/veille/export/questions.csv?{CUSTOM}").status_code == 403


def test_the_menu_links_the_dashboard_for_verified_staff_and_moderators_only(client, world, moderator):
    client.force_login(world.alice)
    assert b'href="/veille/"' not in client.get("/").content
    for viewer in (world.hr_a, moderator):
        client.force_login(viewer)
        assert b'href="/veille/"' in client.get("/").content


def test_hr_of_a_sees_its_own_figures_and_never_those_of_b(client, world):
    client.force_login(world.hr_a)
    page = client.get(f"/veille/?{CUSTOM}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Banque A" in html
    assert "Banque B" not in html  # not even as a choice
    assert client.get(f"/veille/?{CUSTOM}&organisation=banque-b").status_code == 403
    assert client.get(f"/veille/export/organisation.csv?{CUSTOM}&organisation=banque-b").status_code == 403
    assert client.get(f"/veille/?{CUSTOM}&organisation=no-such-org").status_code == 403
    rows = _csv(client.get(f"/veille/export/organisation.csv?{CUSTOM}"))
    assert rows[1] == ["Banque A", "2", "1", "0.5", "14400.0", "1"]


def test_moderators_see_any_organisation(client, world, moderator):
    client.force_login(moderator)
    assert "Banque B" in client.get(f"/veille/?{CUSTOM}").content.decode()  # a choice
    rows = _csv(client.get(f"/veille/export/organisation.csv?{CUSTOM}&organisation=banque-b"))
    assert rows[1] == ["Banque B", "1", "0", "0.0", "", "0"]
    # Without a choice, moderators get the community figures alone.
    assert _csv(client.get(f"/veille/export/organisation.csv?{CUSTOM}"))[1:] == []


def test_the_page_shows_the_hand_computed_figures(client, world):
    client.force_login(world.hr_a)
    html = client.get(f"/veille/?{CUSTOM}").content.decode()
    for shown in (
        '<span class="kpi__value">4</span>',  # asked
        '<span class="kpi__value">75%</span>',  # answered
        '<span class="kpi__value">25%</span>',  # solved
        '<span class="kpi__value">2 h</span>',  # median first answer
        '<span class="kpi__value">7 h</span>',  # median first verified answer
        '<span class="kpi__value">67%</span>',  # verified share
        '<span class="kpi__value">50%</span>',  # Banque A's response rate
        '<span class="kpi__value">4 h</span>',  # Banque A's median response time
    ):
        assert shown in html
    # Every chart is an image with a title and a description, and has its table.
    assert html.count('role="img"') == 2
    assert html.count("<desc ") == 2
    assert "Show as a table" in html
    # The to-do list: followed tag "horaires", oldest first, one click from answering.
    assert html.index(escape(world.q6.title)) < html.index(escape(world.q3.title))
    assert f'{world.q3.get_absolute_url()}#answer-form"' in html


def test_csv_exports_match_the_tables(client, world):
    client.force_login(world.hr_a)
    rows = _csv(client.get(f"/veille/export/questions.csv?{CUSTOM}"))
    assert rows[0] == ["Day", "Asked", "Answered", "Solved"]
    assert rows[1:] == [
        ["2026-03-23", "2", "2", "1"],
        ["2026-03-24", "0", "0", "0"],
        ["2026-03-25", "1", "0", "0"],
        ["2026-03-26", "0", "0", "0"],
        ["2026-03-27", "0", "0", "0"],
        ["2026-03-28", "0", "0", "0"],
        ["2026-03-29", "1", "1", "0"],
    ]
    tags = _csv(client.get(f"/veille/export/rising-tags.csv?{CUSTOM}"))
    assert [row[:4] for row in tags[1:]] == [["teletravail", "2", "0", ""], ["bts", "2", "1", "1.0"]]
    times = _csv(client.get(f"/veille/export/response-times.csv?{CUSTOM}"))
    assert times[1:] == [
        ["First answer", "3", "7200.0", "30240.0"],
        ["First verified answer", "2", "25200.0", "33840.0"],
    ]
    assert client.get(f"/veille/export/nothing.csv?{CUSTOM}").status_code == 404


def test_csv_cells_cannot_become_spreadsheet_formulas_and_days_are_paris_days(client, world):
    from forum.models import Question

    Question.objects.filter(pk=world.q1.pk).update(title="=HYPERLINK(evil)")
    client.force_login(world.hr_a)
    rows = _csv(client.get(f"/veille/export/most-viewed.csv?{CUSTOM}"))
    assert rows[1] == ["'=HYPERLINK(evil)", "2026-03-23", "10"]
    assert rows[2][1:] == ["2026-03-23", "5"]
    # q3 was asked at 23:30 UTC on the 24th: the 25th in Paris.
    followed = _csv(client.get(f"/veille/export/most-followed.csv?{CUSTOM}"))
    assert followed[1:] == [[world.q3.title, "2026-03-25", "2"]]


@pytest.mark.parametrize(
    "query",
    [
        "period=12",
        "period=custom",
        "period=custom&from=2026-03-29&to=2026-03-01",
        "period=custom&from=2020-01-01&to=2026-03-01",
        "period=custom&from=2026-13-01&to=2026-03-01",
        "period=custom&from=2026-03-01&to=2999-01-01",
    ],
)
def test_a_bad_period_is_a_form_error_on_the_page_and_a_400_for_an_export(client, world, query):
    client.force_login(world.hr_a)
    page = client.get(f"/veille/?{query}")
    assert page.status_code == 200
    assert 'class="field-error"' in page.content.decode()
    assert client.get(f"/veille/export/questions.csv?{query}").status_code == 400


def test_the_page_costs_the_same_queries_for_more_questions(client, world):
    client.force_login(world.hr_a)
    client.get(f"/veille/?{CUSTOM}")

    def count() -> int:
        cache.clear()  # the community figures are shared for a few minutes: count their queries too
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/veille/?period=7").status_code == 200
        return len(captured)

    before = count()
    for _ in range(4):
        make_question(author=world.bob, tags=("horaires", "bts"))
    assert count() == before


def test_viewers_of_a_period_share_its_community_figures(client, world, moderator):
    client.force_login(world.hr_a)
    with CaptureQueriesContext(connection) as first:
        page = client.get(f"/veille/?{CUSTOM}")
    client.force_login(moderator)
    with CaptureQueriesContext(connection) as second:
        other = client.get(f"/veille/?{CUSTOM}&organisation=banque-a")
    # Only the viewer's own parts (session, policy, to-do list, organisation) run again.
    assert len(second) < len(first) - 8
    kpis = '<span class="kpi__value">75%</span>'
    assert kpis in page.content.decode()
    assert kpis in other.content.decode()


def test_the_scheduled_refresh_computes_the_preset_periods_ahead_of_readers(client, world):
    from django.core.management import call_command

    client.force_login(world.hr_a)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get("/veille/?period=30")
    cache.clear()
    call_command("refresh_insights", stdout=io.StringIO())
    with CaptureQueriesContext(connection) as refreshed:
        client.get("/veille/?period=30")

    def community_queries(captured) -> int:
        # The response times' percentile scan and the tag trends' grouping.
        return sum("percentile_cont" in q["sql"] or "taggit_taggeditem" in q["sql"] for q in captured)

    assert community_queries(computed) >= 2
    # The first reader after the refresh computes none of them (the
    # organisation's own percentile_cont aside, computed per request).
    assert community_queries(refreshed) == community_queries(computed) - 2


def test_ambassadors_and_expired_badges_do_not_open_the_dashboard(client, world, moderator):
    from datetime import timedelta

    from django.utils import timezone

    from forum.models import Badge
    from tests.badge_factories import grant_badge
    from tests.factories import make_user

    apprentice = make_user(username="apprentie-a")
    grant_badge(user=apprentice, organisation=world.bank_a, moderator=moderator, role="ambassador")
    client.force_login(apprentice)
    assert client.get("/veille/").status_code == 403
    Badge.objects.filter(user=world.hr_b).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(world.hr_b)
    assert client.get("/veille/").status_code == 403
    assert b'href="/veille/"' not in client.get("/").content


def test_the_remembered_menu_answer_follows_a_badge_granted_then_revoked(client, world, moderator):
    from forum.services import verification
    from tests.badge_factories import grant_badge
    from tests.factories import make_user

    recruiter = make_user(username="recrutrice-a")
    client.force_login(recruiter)
    assert b'href="/veille/"' not in client.get("/").content

    badge = grant_badge(user=recruiter, organisation=world.bank_a, moderator=moderator)
    assert b'href="/veille/"' in client.get("/").content

    verification.revoke_badge(moderator=moderator, badge=badge, reason="A quitté l'entreprise.")
    assert b'href="/veille/"' not in client.get("/").content


def test_the_worker_sweep_refreshes_the_figures_once_per_interval_whatever_the_workers(client, world):
    from forum.insights.dashboard import PRESETS
    from forum.notifications.tasks import periodic

    def community_queries(captured) -> int:
        return sum("percentile_cont" in q["sql"] or "taggit_taggeditem" in q["sql"] for q in captured)

    client.force_login(world.hr_a)
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        client.get("/veille/?period=30")
    cache.clear()
    first, second = periodic.call(), periodic.call()
    with CaptureQueriesContext(connection) as refreshed:
        client.get("/veille/?period=30")

    assert first["insights_refreshed"] == len(PRESETS) * len(settings.LANGUAGES)
    assert second["insights_refreshed"] == 0
    assert community_queries(refreshed) == community_queries(computed) - 2
