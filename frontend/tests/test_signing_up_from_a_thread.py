"""Signing up keeps where you were going (issue 19): "Sign up" from a thread
carries `next` through the email confirmation back to that thread; the "check
your email" page can send the link again; the email names the site."""

import re

import pytest
from django.core.cache import cache

from frontend.tests.test_signing_up_and_profiles import SIGNUP
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts emails per address in the cache: every test here signs
    up the same address, and so do other modules in the same process."""
    cache.clear()
    yield
    cache.clear()


def _link(message) -> str:
    return re.search(r"http://testserver(/comptes/confirm-email/\S+)", message.body).group(1)


def test_sign_up_from_a_thread_comes_back_to_it_after_confirming_the_email(client, student, mailoutbox):
    question = make_question(author=student)
    thread = question.get_absolute_url()
    html = client.get(thread).content.decode()
    links = re.findall(r'href="(/comptes/signup/[^"]*)"', html)
    assert f"/comptes/signup/?next={thread}" in links  # the header's
    signup_url = f"/comptes/signup/?next={thread}%23answer-form"  # the answer box's
    assert signup_url in links

    form = client.get(signup_url.replace("&amp;", "&")).content.decode()
    # The last "next" field is the sign-up form's (the first is the language switch's).
    next_value = re.findall(r'name="next" value="([^"]*)"', form)[-1]
    sent = client.post("/comptes/signup/", SIGNUP | {"next": next_value})
    assert sent["Location"] == "/comptes/confirm-email/"

    confirmed = client.post(_link(mailoutbox[0]))
    assert confirmed["Location"] == thread + "#answer-form"


def test_the_confirmation_email_names_the_site_not_the_host(client, mailoutbox):
    client.post("/comptes/signup/", SIGNUP)
    message = mailoutbox[0]
    assert message.subject == "[Alternance Q&A] Confirm your email address"
    assert "Welcome to Alternance Q&A!" in message.body
    assert "testserver!" not in message.body
    assert "Alternance Q&A <" in message.from_email


def test_the_check_your_email_page_sends_the_link_again_but_not_in_a_loop(client, mailoutbox):
    client.post("/comptes/signup/", SIGNUP)
    page = client.get("/comptes/confirm-email/").content.decode()
    assert 'action="/comptes/confirmation/renvoyer/"' in page

    response = client.post("/comptes/confirmation/renvoyer/")
    assert response["Location"] == "/comptes/confirm-email/"
    # allauth's limit: one email per address every few minutes.
    assert len(mailoutbox) == 1
    assert "sent a moment ago" in client.get("/comptes/confirm-email/").content.decode()

    cache.clear()  # as if the few minutes had passed
    client.post("/comptes/confirmation/renvoyer/")
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["nora@example.org"]
    # The second link works like the first.
    assert client.post(_link(mailoutbox[1]))["Location"] == "/"


def test_asking_again_without_a_pending_sign_up_leads_to_the_login_page(client, mailoutbox):
    response = client.post("/comptes/confirmation/renvoyer/")
    assert response["Location"] == "/comptes/login/"
    assert mailoutbox == []
