"""config/session_store.py: database sessions that carry their member's id
(forum.MemberSession), read with the member in one query of SQL compiled
once. An expired or unknown key reads as no session, a member's pages know
them, the id follows the data through login, logout and a change of
password, and the sessions of Django's own table were copied with their
member (migration 0027), so that the switch logged nobody out."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.session_store import SessionStore
from forum.models import MemberSession
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-solide"


def read(session_key: str) -> SessionStore:
    """A store of `session_key`, read as a request reads it (on first access)."""
    store = SessionStore(session_key)
    store.keys()
    return store


def test_an_expired_or_unknown_session_reads_as_none():
    store = SessionStore()
    store["step"] = "contrat"
    store.save()
    past = timezone.now() - timedelta(seconds=1)
    MemberSession.objects.filter(session_key=store.session_key).update(expire_date=past)

    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("inconnue-depuis-toujours").load() == {}


def test_a_session_row_names_its_member_from_login_to_logout():
    member = make_user(username="camille")
    client = Client()
    client.force_login(member)
    assert "@camille" in client.get("/").content.decode()
    key = client.cookies["sessionid"].value
    assert MemberSession.objects.get(session_key=key).user_id == member.pk
    assert read(key).member == member

    client.post("/comptes/logout/")

    assert "@camille" not in client.get("/").content.decode()
    assert not MemberSession.objects.filter(session_key=key).exists()


def test_an_anonymous_session_names_nobody():
    store = SessionStore()
    store["step"] = "contrat"
    store.save()

    assert MemberSession.objects.get(session_key=store.session_key).user_id is None
    assert read(store.session_key).member is None


def test_a_signed_in_page_reads_the_session_and_its_member_in_one_query():
    member = make_user(username="camille")
    client = Client()
    client.force_login(member)
    client.get("/")

    with CaptureQueriesContext(connection) as captured:
        assert "@camille" in client.get("/").content.decode()

    reads = [q["sql"] for q in captured.captured_queries if "forum_member_session" in q["sql"]]
    assert len(reads) == 1
    # The member's row came with it: nobody asked for it on its own.
    assert not [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith('SELECT "forum_user"')]


def test_the_member_read_with_a_session_is_that_session_s_member_only():
    camille, lea = make_user(username="camille"), make_user(username="lea")
    store = SessionStore()
    store[SESSION_KEY] = str(camille.pk)
    store.save()
    # The row says Léa, the signed data Camille: the row is not believed.
    MemberSession.objects.filter(session_key=store.session_key).update(user=lea)

    assert read(store.session_key).member is None


def test_a_password_change_keeps_the_member_on_the_new_session():
    member = make_user(username="camille", password=PASSWORD)
    client = Client()
    client.force_login(member)
    old_key = client.cookies["sessionid"].value

    response = client.post(
        "/comptes/password/change/",
        {"oldpassword": PASSWORD, "password1": "une-autre-phrase-solide", "password2": "une-autre-phrase-solide"},
    )

    assert response.status_code == 302, response.content.decode()[:500]
    new_key = client.cookies["sessionid"].value
    assert new_key != old_key
    assert MemberSession.objects.get(session_key=new_key).user_id == member.pk
    assert "@camille" in client.get("/").content.decode()


def test_a_deactivated_member_s_session_reads_as_signed_out():
    member = make_user(username="camille")
    client = Client()
    client.force_login(member)
    assert "@camille" in client.get("/").content.decode()

    type(member).objects.filter(pk=member.pk).update(is_active=False)

    assert "@camille" not in client.get("/").content.decode()


def test_a_row_naming_a_member_gone_falls_back_to_the_signed_data():
    member = make_user(username="camille")
    client = Client()
    client.force_login(member)
    key = client.cookies["sessionid"].value
    MemberSession.objects.filter(session_key=key).update(user_id=member.pk + 1000)

    # The signed data names Camille: she is read as before, in a query of her own.
    assert read(key).member is None
    assert "@camille" in client.get("/").content.decode()


def test_the_migration_copied_django_s_live_sessions_with_their_member():
    member = make_user(username="camille")
    signed_in, anonymous, expired = DjangoStore(), DjangoStore(), DjangoStore()
    signed_in.update({SESSION_KEY: str(member.pk), "step": "contrat"})
    anonymous["step"] = "rythme"
    expired[SESSION_KEY] = str(member.pk)
    for store in (signed_in, anonymous, expired):
        store.save()
    Session = apps.get_model("sessions", "Session")
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    # Signed with a key since retired: it verifies no more.
    later = signed_in.get_expiry_date()
    Session.objects.create(session_key="x" * 32, session_data="e30:bad:signature", expire_date=later)

    migration = importlib.import_module("forum.migrations.0027_member_sessions")
    migration.copy_live_sessions(apps, connection.schema_editor())

    copied = {s.session_key: s for s in MemberSession.objects.all()}
    assert copied[signed_in.session_key].user_id == member.pk
    assert copied[anonymous.session_key].user_id is None
    assert expired.session_key not in copied
    assert copied["x" * 32].user_id is None
    # Read by this engine as Django's read them: nobody was logged out.
    assert read(signed_in.session_key)["step"] == "contrat"
    assert read(signed_in.session_key).member == member
