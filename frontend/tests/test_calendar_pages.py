"""The calendar on the pages: the boosted section (verified staff and
moderators only), the window banner, the help page, the moderators' pages."""

import pytest

from forum.models import CalendarWindow
from tests.calendar_factories import make_window, without_default_windows
from tests.factories import make_question
from tests.live_factories import make_verified_hr

pytestmark = pytest.mark.django_db

UNANSWERED = "/questions/sans-reponse/"


@pytest.fixture
def hr(moderator):
    return make_verified_hr(moderator=moderator)


@pytest.fixture
def window(moderator):
    without_default_windows()
    return make_window(moderator=moderator, tags=("recherche-entreprise",))


@pytest.fixture
def waiting(window, student):
    return make_question(
        author=student, title="Comment trouver une entreprise avant novembre ?", tags=("recherche-entreprise",)
    )


def test_verified_hr_see_the_boosted_section_on_top_of_the_unanswered_list(client, hr, waiting):
    client.force_login(hr)
    html = client.get(UNANSWERED, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "data-calendar-boost" in html
    assert "Signature du contrat : ces questions attendent une réponse" in html
    assert f'data-boosted-question="{waiting.pk}"' in html
    assert html.index("data-calendar-boost") < html.index("data-question-list")


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_nobody_else_sees_the_boost(client, waiting, other_student, who):
    if who == "student":
        client.force_login(other_student)
    html = client.get(UNANSWERED).content.decode()
    assert "data-calendar-boost" not in html
    assert waiting.title in html  # still in the plain list


def test_the_banner_shows_the_active_window_on_home_and_on_its_tags_only(client, waiting):
    assert "data-calendar-banner" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contract signing: until" in client.get("/tags/recherche-entreprise/").content.decode()
    make_question(author=waiting.author, tags=("salaire",))
    assert "data-calendar-banner" not in client.get("/tags/salaire/").content.decode()


def test_no_banner_without_an_active_window(client, student):
    without_default_windows()
    make_question(author=student, tags=("recherche-entreprise",))
    assert "data-calendar-banner" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Le calendrier de l’alternance"), ("en", "The alternance calendar")]
)
def test_the_help_page_explains_the_calendar_in_both_languages(client, window, language, heading):
    html = client.get("/aide/calendrier/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in html
    assert (window.name_fr if language == "fr" else window.name_en) in html


def test_only_moderators_open_the_calendar_pages(client, student, hr, window):
    for member in (student, hr):
        client.force_login(member)
        assert client.get("/moderation/calendrier/").status_code == 403
        assert client.post(f"/moderation/calendrier/{window.pk}/supprimer/").status_code == 403
    assert CalendarWindow.objects.filter(pk=window.pk).exists()


def test_a_moderator_adds_edits_and_deletes_a_window(client, moderator):
    without_default_windows()
    client.force_login(moderator)
    form = {
        "name_fr": "Rentrée",
        "name_en": "School start",
        "kind": "school_start",
        "start_day": "1",
        "start_month": "9",
        "end_day": "15",
        "end_month": "10",
        "tags": "ecole, CFA, rythme",
        "reminder_tags": "",
        "reminder_days": "",
        "enabled": "on",
    }
    response = client.post("/moderation/calendrier/nouvelle/", form)
    assert response.status_code == 303
    window = CalendarWindow.objects.get()
    assert window.tags == ["ecole", "cfa", "rythme"]
    assert "School start" in client.get("/moderation/calendrier/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    response = client.post(f"/moderation/calendrier/{window.pk}/", form | {"end_day": "31", "end_month": "4"})
    assert response.status_code == 400
    assert "29 February" in response.content.decode() or "29 février" in response.content.decode()

    assert client.post(f"/moderation/calendrier/{window.pk}/supprimer/").status_code == 303
    assert not CalendarWindow.objects.exists()


def test_a_form_with_nonsense_values_is_a_400_not_a_500(client, moderator):
    client.force_login(moderator)
    response = client.post("/moderation/calendrier/nouvelle/", {"start_day": "x", "kind": "y", "end_month": "99"})
    assert response.status_code == 400
