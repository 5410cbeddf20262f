"""What the layout's CSS relies on in the markup: the header's secondary menu
(works without JS), a language switch of one button, and the "new questions"
bar inside a live region that screen readers announce."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_visitors_get_a_menu_with_sign_up_and_the_language_without_javascript(client):
    html = client.get("/").content.decode()

    menu = html.split('<details class="menu site-more">')[1].split("</details>")[0]
    assert 'href="/comptes/signup/?next=' in menu
    assert '<form class="language-switch"' in menu
    assert "<script" not in menu


def test_the_language_switch_offers_only_the_other_language(client, french_client):
    english = client.get("/").content.decode()
    french = french_client.get("/").content.decode()

    assert re.search(r'<button type="submit" name="language" value="fr"', english)
    assert not re.search(r'<button type="submit" name="language" value="en"', english)
    assert re.search(r'<button type="submit" name="language" value="en"', french)


def test_the_new_questions_bar_sits_in_a_polite_live_region(client):
    html = client.get("/").content.decode()

    region = html.split('<div class="new-questions-region" role="status" aria-live="polite" aria-atomic="true">')[1]
    assert region.lstrip().startswith('<p class="new-questions" data-new-questions hidden>')


def test_members_keep_their_menu_and_no_sign_up_link(client, student):
    client.force_login(student)
    html = client.get("/").content.decode()

    assert '<summary class="menu__button">' in html
    assert "site-more" not in html
    assert 'href="/comptes/signup/"' not in html
