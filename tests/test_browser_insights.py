"""The insights dashboard in a real browser against a real server, on a phone
and a desktop, in French and English: nothing scrolls sideways, every chart
draws, its table opens, and a CSV export downloads. Screenshots go to
var/screenshots/ for a human look."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.insights_data import PERIOD, build
from tests.support.browser import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
CUSTOM = f"period=custom&from={PERIOD.first_day.isoformat()}&to={PERIOD.last_day.isoformat()}"


@pytest.fixture
def world(live_server_process, moderator):
    return build(moderator)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_an_hr_manager_reads_the_dashboard_on_a_phone_and_a_desktop(
    chromium, live_server_process, world, width, height
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="fr-FR", accept_downloads=True)
    context.add_cookies([session_cookie(world.hr_a, live_server_process.url)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    for lang, title in (("fr", "Veille : ce que demandent les candidats"), ("en", "Insights: what candidates ask")):
        page.goto(f"{live_server_process.url}/veille/?{CUSTOM}&lang={lang}")
        assert page.locator("h1").inner_text() == title
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"scrolls sideways by {overflow}px at {width}px ({lang})"
        # The stacked columns are drawn: 2 questions on the 23rd, 1 on the 25th and the 29th.
        assert page.locator(".column-chart svg rect").count() == 4
        page.screenshot(path=str(SCREENSHOTS / f"insights-{lang}-{width}x{height}.png"), full_page=True)
    summary = page.locator(".insights-table summary")
    summary.click()
    assert page.locator(".insights-table tbody tr").count() == 7
    with page.expect_download() as download:
        page.locator("a.insights-csv[href*='/veille/export/questions.csv']").click()
    assert download.value.suggested_filename == "veille-questions-2026-03-23-2026-03-29.csv"
    context.close()
