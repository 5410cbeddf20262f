"""Changing, resetting or setting the password ends every device token (whoever
knew the old password may have logged a device in with it) and announces it, so
that the member's open websockets close; logging out announces the end of that
one web session only."""

import re

import pytest
from django.core import mail
from django.test import Client

from forum import events
from forum.exceptions import AccountLocked
from forum.models import Event, LoginThrottle, User
from forum.models.tokens import DeviceToken
from forum.services import login_limits, tokens
from tests.factories import make_user

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


@pytest.fixture
def member_with_devices(student):
    for device in ("Pixel 8", "iPad"):
        tokens.issue_token(user=student, device_name=device)
    return student


def active_token_count(user) -> int:
    return tokens.active_tokens(user=user).count()


def revocations(user) -> list[dict]:
    return list(
        Event.objects.filter(topic=events.user_topic(user.pk), name=events.CREDENTIALS_REVOKED)
        .order_by("id")
        .values_list("payload", flat=True)
    )


def test_the_service_revokes_every_token_and_announces_all_credentials_ended(member_with_devices, other_student):
    tokens.issue_token(user=other_student, device_name="Autre")

    assert tokens.end_credentials_after_password_change(user=member_with_devices) == 2

    assert active_token_count(member_with_devices) == 0
    assert active_token_count(other_student) == 1
    [payload] = revocations(member_with_devices)
    assert payload["all_tokens"]
    assert payload["all_sessions"]
    assert Event.objects.get(name=events.CREDENTIALS_REVOKED).audience == Event.Audience.PRIVATE


def test_changing_the_password_on_the_web_revokes_every_device_token(member_with_devices):
    client = Client()
    client.force_login(member_with_devices)

    response = client.post(
        "/comptes/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert active_token_count(member_with_devices) == 0
    assert revocations(member_with_devices)[-1]["all_tokens"]
    # The page that changed it stays logged in (Django refreshes its session).
    assert client.get("/api/v1/me/").status_code == 200


def test_a_wrong_old_password_changes_nothing(member_with_devices):
    client = Client()
    client.force_login(member_with_devices)

    response = client.post(
        "/comptes/password/change/",
        {"oldpassword": "pas-le-bon", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert active_token_count(member_with_devices) == 2
    assert revocations(member_with_devices) == []


def reset_password_by_email(user, capture_on_commit):
    client = Client()
    with capture_on_commit(execute=True):
        client.post("/comptes/password/reset/", {"email": user.email})
    [message] = [m for m in mail.outbox if user.email in m.to]
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+/)", message.body).group(1)

    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    return client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_resetting_the_password_by_email_revokes_every_device_token(
    member_with_devices, django_capture_on_commit_callbacks
):
    response = reset_password_by_email(member_with_devices, django_capture_on_commit_callbacks)

    assert response.status_code == 302, response.content.decode()[:2000]
    member_with_devices.refresh_from_db()
    assert member_with_devices.check_password(NEW_PASSWORD)
    assert active_token_count(member_with_devices) == 0
    assert revocations(member_with_devices)[-1]["all_tokens"]


def test_logging_out_ends_that_session_only(member_with_devices):
    client = Client()
    client.force_login(member_with_devices)
    session_key = client.session.session_key

    client.post("/comptes/logout/")

    [payload] = revocations(member_with_devices)
    assert payload["session"] == tokens.session_fingerprint(session_key)
    assert session_key not in str(payload)  # a fingerprint, never the key itself
    assert not payload["all_sessions"]
    assert not payload["all_tokens"]
    assert active_token_count(member_with_devices) == 2


def test_revoking_one_token_names_it_and_revoking_all_says_all(member_with_devices):
    first, second = tokens.active_tokens(user=member_with_devices)

    assert tokens.revoke_token(user=member_with_devices, token_id=first.pk)
    assert not tokens.revoke_token(user=member_with_devices, token_id=first.pk)  # already revoked: no event
    tokens.revoke_all_tokens(user=member_with_devices)

    assert [(p["token_ids"], p["all_tokens"]) for p in revocations(member_with_devices)] == [
        ([first.pk], False),
        ([], True),
    ]
    assert DeviceToken.objects.filter(pk=second.pk, revoked_at__isnull=False).exists()


def test_a_revocation_ends_only_the_credentials_it_names():
    one_token = {"token_ids": [7], "all_tokens": False, "session": None, "all_sessions": False}
    assert events.ends_credential(one_token, token_id=7, session=None)
    assert not events.ends_credential(one_token, token_id=8, session=None)
    assert not events.ends_credential(one_token, token_id=None, session="abc")
    assert not events.ends_credential(one_token, token_id=None, session=None)  # anonymous: nothing to end
    password = {"token_ids": [], "all_tokens": True, "session": None, "all_sessions": True}
    assert events.ends_credential(password, token_id=8, session=None)
    assert events.ends_credential(password, token_id=None, session="abc")
    logout = {"token_ids": [], "all_tokens": False, "session": "abc", "all_sessions": False}
    assert events.ends_credential(logout, token_id=None, session="abc")
    assert not events.ends_credential(logout, token_id=None, session="def")
    assert not events.ends_credential(logout, token_id=7, session=None)


def test_other_members_are_not_touched(member_with_devices):
    bystander = make_user()
    tokens.issue_token(user=bystander, device_name="Phone")

    tokens.end_credentials_after_password_change(user=member_with_devices)

    assert active_token_count(bystander) == 1
    assert revocations(bystander) == []


def test_the_password_change_page_says_that_devices_will_be_logged_out(member_with_devices):
    client = Client(headers={"accept-language": "fr"})
    client.force_login(member_with_devices)

    page = client.get("/comptes/password/change/").content.decode()

    assert "application mobile sur tous vos appareils (leurs jetons sont révoqués)" in page


def test_resetting_the_password_lifts_the_login_pause_it_advises(
    member_with_devices, settings, django_capture_on_commit_callbacks
):
    """The pause message says "or reset your password": once reset, the member
    can log in again, while another account's pause stays."""
    settings.FORUM = {**settings.FORUM, "LOGIN_ATTEMPTS_PER_ACCOUNT": 2}
    for login in (member_with_devices.username, "someone-else"):
        for _ in range(2):
            login_limits.begin_attempt(login=login)
        with pytest.raises(AccountLocked):
            login_limits.begin_attempt(login=login)

    response = reset_password_by_email(member_with_devices, django_capture_on_commit_callbacks)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not LoginThrottle.objects.filter(key=f"user:{member_with_devices.pk}").exists()
    login_limits.begin_attempt(login=member_with_devices.username)
    with pytest.raises(AccountLocked):
        login_limits.begin_attempt(login="someone-else")


def test_a_password_set_outside_allauth_ends_the_credentials_too(member_with_devices, settings):
    """`manage.py changepassword`, the admin and scripts call set_password() and
    save() without allauth: the old credentials end and the pause lifts all the same."""
    settings.FORUM = {**settings.FORUM, "LOGIN_ATTEMPTS_PER_ACCOUNT": 1}
    login_limits.begin_attempt(login=member_with_devices.username)
    with pytest.raises(AccountLocked):
        login_limits.begin_attempt(login=member_with_devices.username)

    member_with_devices.set_password(NEW_PASSWORD)
    member_with_devices.save()

    assert active_token_count(member_with_devices) == 0
    [payload] = revocations(member_with_devices)
    assert payload["all_tokens"]
    assert not LoginThrottle.objects.filter(key=f"user:{member_with_devices.pk}").exists()


def test_saving_a_member_without_a_new_password_ends_nothing(member_with_devices):
    member_with_devices.display_name = "Camille"
    member_with_devices.save()
    # A login that re-hashes the same password with a newer hasher is not a new password.
    member_with_devices.check_password(PASSWORD)

    assert active_token_count(member_with_devices) == 2
    assert revocations(member_with_devices) == []


def test_a_new_account_announces_nothing(db):
    user = User.objects.create_user(username="nouvelle-venue", password=NEW_PASSWORD)

    assert revocations(user) == []
