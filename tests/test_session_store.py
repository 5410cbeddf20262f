"""config/session_store.py: Django's database sessions with the read compiled
once. The same rows as Django's own store: a session written by one is read
by the other, an expired or unknown key reads as no session, and a member's
pages know them."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from config.session_store import SessionStore
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_it_reads_what_django_s_store_wrote_and_the_other_way_round():
    theirs = DjangoStore()
    theirs["step"] = "contrat"
    theirs.save()
    assert SessionStore(theirs.session_key)["step"] == "contrat"

    ours = SessionStore()
    ours["step"] = "rythme"
    ours.save()
    assert DjangoStore(ours.session_key)["step"] == "rythme"


def test_an_expired_or_unknown_session_reads_as_none():
    store = SessionStore()
    store["step"] = "contrat"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("inconnue-depuis-toujours").load() == {}


def test_a_signed_in_member_is_known_until_they_log_out():
    member = make_user(username="camille")
    client = Client()
    client.force_login(member)
    assert "@camille" in client.get("/").content.decode()
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()

    client.post("/comptes/logout/")

    assert "@camille" not in client.get("/").content.decode()
    assert not Session.objects.filter(session_key=key).exists()
