"""French first, English on request; the layout's landmarks; the charter in
both languages; error pages that never need what may have failed."""

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext

from frontend.views.errors import server_error, service_unavailable

pytestmark = pytest.mark.django_db


def test_pages_are_french_by_default(french_client):
    html = french_client.get("/").content.decode()

    assert '<html lang="fr">' in html


def test_a_browser_asking_for_english_gets_english(french_client):
    html = french_client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()

    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_the_language_switch_remembers_the_choice(french_client):
    response = french_client.post("/i18n/setlang/", {"language": "en", "next": "/tags/"})

    assert response.status_code == 302
    assert response["Location"] == "/tags/"
    assert '<html lang="en">' in french_client.get("/tags/").content.decode()
    french_client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in french_client.get("/tags/").content.decode()


def test_the_layout_has_landmarks_a_skip_link_and_a_labelled_search(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html
    assert '<form class="site-search" role="search"' in html
    assert '<label class="visually-hidden" for="site-search">' in html
    assert '<form class="language-switch" action="/i18n/setlang/" method="post">' in html
    assert 'href="/charte/"' in html
    assert '<script src="/static/frontend/live.js" defer></script>' in html


def test_the_header_offers_log_in_and_sign_up_or_the_member_menu(client, student):
    anonymous = client.get("/").content.decode()
    assert 'href="/comptes/login/' in anonymous
    assert 'href="/comptes/signup/"' in anonymous

    client.force_login(student)
    member = client.get("/").content.decode()
    assert 'href="/membres/alice/"' in member
    assert 'action="/comptes/logout/"' in member
    assert 'href="/comptes/signup/"' not in member


def test_the_charter_is_written_in_french_and_in_english(french_client, client):
    french = french_client.get("/charte/").content.decode()
    english = client.get("/charte/").content.decode()

    assert "Protéger les données personnelles" in french
    assert "badge vérifié" in french
    assert "Protect personal data" in english
    assert "verified badge" in english


def test_the_404_page_is_in_the_layout_and_in_french(french_client):
    response = french_client.get("/cette-page/nexiste/pas/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'class="site-header"' in html
    assert 'role="search"' in html


def test_the_500_page_renders_without_a_request_context(rf: RequestFactory):
    # No session, no user, no messages: the page must not depend on them.
    request = rf.get("/")

    response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Alternance" in html
    assert "/static/frontend/app.css" in html
    assert f"<title>{gettext('Something went wrong')} · Alternance Q&amp;A</title>" in html


def test_the_503_page_renders_without_a_request_context_and_says_when_to_retry(rf: RequestFactory):
    response = service_unavailable(rf.get("/questions/"))

    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert f"<title>{gettext('Briefly unavailable')} · Alternance Q&amp;A</title>" in html
    assert '<p class="error-page__code" aria-hidden="true">503</p>' in html
    assert "/static/frontend/app.css" in html


def test_a_403_explains_why(client, student, other_student):
    from tests.factories import make_question

    question = make_question(author=student)
    client.force_login(other_student)

    response = client.get(f"/questions/{question.pk}/modifier/")

    assert response.status_code == 403
    assert "Only the author can edit this post." in response.content.decode()


def test_a_form_posted_without_its_csrf_token_is_refused(student):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post("/questions/poser/", {"title": "x"}, headers={"accept-language": "en"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert 'class="site-header"' in html
