"""Signing up (with the charter), the account pages in the site's layout, the
public profile and "edit my profile"."""

import pytest

from forum.models import User, UserRole
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "Nora",
    "email": "nora@example.org",
    "username": "nora",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
    "role": UserRole.APPRENTICE,
    "school": "BTS SIO · CFA de Rennes",
    "region": "Bretagne",
    "charter": "on",
}


def test_the_signup_page_asks_who_you_are_and_links_the_charter(client):
    html = client.get("/comptes/signup/").content.decode()

    for name in ("display_name", "email", "username", "password1", "role", "school", "region", "charter"):
        assert f'name="{name}"' in html, name
    assert 'href="/charte/" target="_blank" rel="noopener">community charter</a>' in html
    assert 'class="site-header"' in html  # allauth's page in our layout
    assert 'class="skip-link"' in html


def test_signing_up_saves_the_profile_and_the_charter_acceptance_and_sends_a_confirmation(client, mailoutbox):
    response = client.post("/comptes/signup/", SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(username="nora")
    assert user.display_name == "Nora"
    assert user.role == UserRole.APPRENTICE
    assert user.school == "BTS SIO · CFA de Rennes"
    assert user.region == "Bretagne"
    assert user.charter_accepted_at is not None
    assert len(mailoutbox) == 1
    assert "nora@example.org" in mailoutbox[0].to


def test_signing_up_without_accepting_the_charter_is_refused(client, mailoutbox):
    response = client.post("/comptes/signup/", {k: v for k, v in SIGNUP.items() if k != "charter"})

    assert response.status_code == 200
    assert "You must accept the community charter to join." in response.content.decode()
    assert not User.objects.filter(username="nora").exists()
    assert mailoutbox == []


def test_a_display_name_posing_as_a_verified_role_is_refused_before_the_account_exists(client):
    response = client.post("/comptes/signup/", SIGNUP | {"display_name": "Nora RH vérifiée ✔"})

    assert response.status_code == 200
    assert 'id="id_display_name_error"' in response.content.decode()
    assert not User.objects.filter(username="nora").exists()


def test_a_bad_role_or_a_too_long_school_is_explained(client):
    response = client.post("/comptes/signup/", SIGNUP | {"role": "ceo", "school": "x" * 500})

    html = response.content.decode()
    assert 'id="id_role_error"' in html
    assert 'id="id_school_error"' in html
    assert not User.objects.filter(username="nora").exists()


def test_the_login_confirmation_and_password_reset_pages_use_the_site_layout(client):
    for url in ("/comptes/login/", "/comptes/password/reset/", "/comptes/confirm-email/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'class="site-header"' in html, url
        assert 'class="card auth__card"' in html, url


def test_logging_out_is_a_confirmed_post_in_the_layout(client, student):
    client.force_login(student)

    page = client.get("/comptes/logout/")
    assert 'class="card auth__card"' in page.content.decode()
    response = client.post("/comptes/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_profile_shows_who_the_member_is_and_their_questions_and_answers(client, student, other_student):
    User.objects.filter(pk=student.pk).update(
        role=UserRole.APPRENTICE, school="BTS MCO", region="Occitanie", bio="Alternante en magasin de sport."
    )
    asked = make_question(author=student, title="Puis-je poser mes congés pendant les semaines de CFA ?")
    elsewhere = make_question(author=other_student, title="Quelle convention collective pour un apprenti ?")
    make_answer(author=student, question=elsewhere)

    html = client.get("/membres/alice/").content.decode()

    assert "Alice" in html
    assert "@alice" in html
    assert "Apprentice" in html
    assert "BTS MCO" in html
    assert "Occitanie" in html
    assert "Alternante en magasin de sport." in html
    assert "Member since" in html
    assert asked.title in html
    assert elsewhere.title in html  # the question they answered
    assert "alice@example.org" not in html  # never the e-mail address


def test_an_unknown_member_is_a_404(client):
    assert client.get("/membres/personne/").status_code == 404
    assert client.get("/membres/%00/").status_code == 404


def test_a_member_edits_their_profile(client, student):
    client.force_login(student)

    page = client.get("/mon-profil/")
    response = client.post(
        "/mon-profil/",
        {"display_name": "Alice M.", "role": UserRole.STUDENT, "school": "Licence pro RH", "region": "", "bio": ""},
    )

    assert page.status_code == 200
    assert response.status_code == 303
    student.refresh_from_db()
    assert student.display_name == "Alice M."
    assert student.school == "Licence pro RH"


def test_profile_rules_come_back_as_field_errors(client, student):
    client.force_login(student)

    response = client.post(
        "/mon-profil/",
        {"display_name": "Alice", "role": UserRole.STUDENT, "school": "", "region": "r" * 200, "bio": ""},
    )

    assert response.status_code == 400
    assert 'id="id_region_error"' in response.content.decode()
    student.refresh_from_db()
    assert student.region == ""


def test_editing_a_profile_needs_an_account(client):
    response = client.get("/mon-profil/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
