"""The signed-in member read with compiled SQL (forum/auth_backends.py) is the
member the ORM reads, with the same checks; sessions that name the former
backend paths stay signed in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.utils import timezone

from config.session_store import SessionStore
from forum import auth_backends, queries
from forum.models import User
from forum.services.moderation import hide_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_question, make_user
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.django_db


def test_the_compiled_read_is_the_orms_member():
    require_postgres()
    member = make_user(
        username="lea", display_name="Léa", school="CFA de Lyon", suspended_until=timezone.now() + timedelta(days=2)
    )
    read = auth_backends.ModelBackend().get_user(member.pk)
    expected = User.objects.get(pk=member.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert not read._state.adding
    assert read._state.db == "default"
    # A saved instance: changing it and saving updates the row, as with the ORM's.
    read.display_name = "Léa B."
    read.save(update_fields=["display_name"])
    assert User.objects.get(pk=member.pk).display_name == "Léa B."


@pytest.mark.parametrize("backend", [auth_backends.ModelBackend, auth_backends.AuthenticationBackend])
def test_an_unknown_or_inactive_member_is_nobody(backend):
    member = make_user(username="parti")
    assert backend().get_user(member.pk) == member
    assert backend().get_user(str(member.pk)) == member
    assert backend().get_user(member.pk + 1000) is None
    assert backend().get_user("pas un nombre") is None
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert backend().get_user(member.pk) is None


@pytest.mark.parametrize("former", sorted(auth_backends.FORMER_PATHS))
def test_a_session_from_before_the_move_stays_signed_in(former):
    assert former not in settings.AUTHENTICATION_BACKENDS
    member = make_user(username="fidele")
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = former
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "fidele"


def test_the_members_read_brings_every_list_trait_the_database_tells(student, other_student, moderator):
    """The traits that decide whether a member reads the lists shared between
    members (queries.sees_lists_as_any_member) come with the member's read:
    all of them, the same as their own query gives, whatever the member."""
    hr = make_user(username="rh-traits")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    hide_post(moderator=moderator, post=make_question(author=other_student), clause="respect")

    for member in (student, other_student, moderator, hr):
        read = auth_backends.ModelBackend().get_user(member.pk)
        assert read._list_traits == queries._MEMBER_TRAITS.first(member.pk)
    assert auth_backends.ModelBackend().get_user(other_student.pk)._list_traits["held"] is True
    assert auth_backends.ModelBackend().get_user(hr.pk)._list_traits["badge"] is True
