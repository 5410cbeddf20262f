"""A member's profile address, kept per username and prefix (an
author is linked from every list, payload and catch-up)."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_profile_address_follows_the_language_the_prefix_and_the_username():
    member = make_user(username="lea-alternante")
    with translation.override("fr"):
        french = member.get_absolute_url()
    with translation.override("en"):
        english = member.get_absolute_url()
    assert french == "/membres/lea-alternante/"
    # Addresses have no language prefix: if they get one, the cache's key must too.
    with translation.override("en"):
        assert english == reverse("frontend:profile", kwargs={"username": "lea-alternante"})
    set_script_prefix("/forum/")
    try:
        with translation.override("fr"):
            assert member.get_absolute_url() == "/forum/membres/lea-alternante/"
    finally:
        clear_script_prefix()
    member.username = "lea-en-bts"
    with translation.override("fr"):
        assert member.get_absolute_url() == reverse("frontend:profile", kwargs={"username": "lea-en-bts"})
