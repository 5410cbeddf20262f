"""Two sign-ups racing with look-alike usernames both pass the form's check;
the database's unique `username_key` refuses the second INSERT. The loser must
get the ordinary "taken" error (the web form, or the app's JSON), not a 500.

The race is made deterministic: a receiver signs the look-alike up at the very
moment the form's user is about to be inserted, after the check has passed."""

import threading

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client

from forum.confusables import compact_key
from forum.models import User

pytestmark = pytest.mark.django_db(transaction=True)

WEB_SIGNUP = {
    "display_name": "Nora",
    "email": "nora@example.org",
    "username": "nora-rennes",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
    "role": "apprentice",
    "charter": "on",
}
APP_SIGNUP = {
    "email": "nora@example.org",
    "username": "nora-rennes",
    "password": "un-mot-de-passe-solide-42",
    "display_name": "Nora",
    "role": "apprentice",
    "charter": True,
}


@pytest.fixture
def rival_signs_up_first():
    """While "nora-rennes" is being inserted, "N0ra_Rennes" (same key) signs up
    and commits first, from another connection, as a second request would."""

    def sign_up_rival():
        try:
            User.objects.create_user(username="N0ra_Rennes", email="rival@example.org", password=None)
        finally:
            connection.close()

    def rival(sender, instance, **kwargs):
        if instance._state.adding and instance.username == "nora-rennes":
            pre_save.disconnect(rival, sender=User)
            other = threading.Thread(target=sign_up_rival)
            other.start()
            other.join()

    pre_save.connect(rival, sender=User, weak=False)
    yield
    pre_save.disconnect(rival, sender=User)


def test_the_keys_collide():
    assert compact_key("nora-rennes") == compact_key("N0ra_Rennes")


def test_the_web_form_says_taken_and_keeps_what_was_typed(rival_signs_up_first):
    response = Client(headers={"accept-language": "en"}).post("/comptes/signup/", WEB_SIGNUP)

    assert response.status_code == 400
    page = response.content.decode()
    assert "A user with that username already exists." in page  # what a slower loser reads too
    assert 'value="nora@example.org"' in page
    assert list(User.objects.values_list("username", flat=True)) == ["N0ra_Rennes"]


def test_the_app_gets_the_field_error(rival_signs_up_first):
    response = Client().post("/_allauth/app/v1/auth/signup", APP_SIGNUP, content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0] | {"message": ""} == {
        "code": "username_taken",
        "param": "username",
        "message": "",
    }
    assert list(User.objects.values_list("username", flat=True)) == ["N0ra_Rennes"]
