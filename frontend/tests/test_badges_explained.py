"""The verified badge explained where students see it (issue 19): tapping it
says what it means (a <details>, no hover, no JS), the organisation page says
the same, and HR staff learn before posting that their answer carries it."""

import pytest

from forum.models import BadgeRole
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_user


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def recruiter(bank, moderator):
    user = make_user(username="nadia", display_name="Nadia")
    grant_badge(user=user, organisation=bank, moderator=moderator, work_email="nadia@banque-exemple.fr")
    return user


def test_tapping_a_staff_badge_tells_what_it_means_without_js(client, question, recruiter):
    make_answer(author=recruiter, question=question)
    html = client.get(question.get_absolute_url()).content.decode()
    badge = html[html.index('<details class="badge-info">') :]
    badge = badge[: badge.index("</details>")]
    assert '<summary class="badge badge--hr"' in badge
    assert "confirmed a work email at an address of Banque Exemple" in badge
    assert "checked again every year" in badge
    assert "A moderator approved it." in badge
    assert "They answer as staff of Banque Exemple" in badge
    assert 'href="/organisations/banque-exemple/"' in badge


def test_an_ambassador_badge_says_they_do_not_speak_for_the_organisation(client, question, bank, moderator):
    employee = make_user(username="emma")
    grant_badge(
        user=employee,
        organisation=bank,
        moderator=moderator,
        work_email="emma@banque-exemple.fr",
        role=BadgeRole.AMBASSADOR,
    )
    make_answer(author=employee, question=question)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "they do not speak for Banque Exemple" in html


def test_the_organisation_page_explains_its_badges_in_the_same_words(client, bank, recruiter):
    html = client.get("/organisations/banque-exemple/").content.decode()
    meanings = html[html.index('class="card badge-meanings"') :]
    assert "What its verified badges mean" in meanings
    assert "They answer as staff of Banque Exemple" in meanings
    assert "they do not speak for Banque Exemple" in meanings


def test_hr_staff_learn_before_posting_that_their_answer_carries_the_badge(client, question, recruiter, other_student):
    client.force_login(recruiter)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "data-answer-badge-notice" in html
    assert "Your answer will carry your verified badge for Banque Exemple" in html

    client.force_login(other_student)
    assert "data-answer-badge-notice" not in client.get(question.get_absolute_url()).content.decode()
