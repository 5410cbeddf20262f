import hashlib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from rest_framework.test import APIClient

from api.tests.conftest import error_of, token_client
from forum.models import DeviceToken
from forum.services.tokens import TOUCH_INTERVAL
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

LOGIN = "/api/v1/auth/token/"


def log_in(client, username="alice", password="correct-horse-battery", device_name="Pixel 8 de Alice"):
    return client.post(LOGIN, {"username": username, "password": password, "device_name": device_name}, format="json")


def test_logging_in_returns_a_token_shown_once_and_stored_hashed(student, anonymous):
    response = log_in(anonymous)

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("aqa_")
    assert body["device_name"] == "Pixel 8 de Alice"
    assert body["expires_at"].endswith("Z")
    stored = DeviceToken.objects.get(pk=body["id"])
    assert stored.user == student
    assert stored.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {stored.key_hash, stored.prefix}
    assert body["token"].startswith(stored.prefix)


def test_the_token_authenticates_requests_as_bearer(student, anonymous):
    token = log_in(anonymous).json()["token"]

    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_an_email_address_logs_in_too(student, anonymous):
    assert log_in(anonymous, username="alice@example.org").status_code == 201


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(student, anonymous):
    error = error_of(log_in(anonymous, password="nope"), 400)
    assert error["code"] == "invalid_credentials"
    assert error_of(log_in(anonymous, username="nobody"), 400)["code"] == "invalid_credentials"


def test_a_missing_field_is_reported_on_that_field(anonymous):
    response = anonymous.post(LOGIN, {"username": "alice"}, format="json")
    assert set(error_of(response, 400)["fields"]) == {"password"}


def test_an_unconfirmed_email_address_gets_no_token(db, anonymous):
    user = make_user(username="newbie")
    EmailAddress.objects.filter(user=user).update(verified=False)

    assert error_of(log_in(anonymous, username="newbie"), 403)["code"] == "forbidden"


def test_a_deactivated_account_gets_no_token(db, anonymous):
    make_user(username="gone", is_active=False)
    assert error_of(log_in(anonymous, username="gone"), 400)["code"] == "invalid_credentials"


def test_a_suspended_member_still_gets_a_token_to_read(suspended_student, anonymous):
    assert log_in(anonymous, username="sam").status_code == 201


def test_logging_in_is_rate_limited_per_address(student, anonymous, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "2/min"},
    }
    assert log_in(anonymous, password="wrong").status_code == 400
    assert log_in(anonymous, password="wrong").status_code == 400

    response = log_in(anonymous)

    assert error_of(response, 429)["code"] == "rate_limited"
    # The window slides (api/throttling.py): at most half way into the next
    # minute, this minute's two attempts weigh one.
    assert 1 <= int(response["Retry-After"]) <= 60 + 30


def test_a_member_lists_their_devices_and_sees_which_one_is_asking(student):
    token_client(student, "Tablette")
    client = token_client(student, "Pixel")

    results = client.get("/api/v1/auth/tokens/").json()["results"]

    assert [(t["device_name"], t["is_current"]) for t in results] == [("Pixel", True), ("Tablette", False)]
    assert all("token" not in t for t in results)


def test_revoking_the_current_token_makes_it_fail_with_401_at_once(student):
    client = token_client(student)

    assert client.delete(LOGIN).status_code == 204

    response = client.get("/api/v1/me/")
    error = error_of(response, 401)
    assert error["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_cannot_read_public_pages_either(student):
    # A bad token is not downgraded to anonymous: the app must log in again.
    client = token_client(student)
    client.delete(LOGIN)
    assert client.get("/api/v1/threads/").status_code == 401


def test_revoking_one_device_leaves_the_others_working(student):
    phone = token_client(student, "Phone")
    tablet = token_client(student, "Tablet")

    assert phone.delete(f"/api/v1/auth/tokens/{tablet.token.pk}/").status_code == 204

    assert tablet.get("/api/v1/me/").status_code == 401
    assert phone.get("/api/v1/me/").status_code == 200


def test_nobody_can_revoke_someone_elses_token(student, other_student, moderator):
    alices = token_client(student)
    for someone in (other_student, moderator):
        assert error_of(token_client(someone).delete(f"/api/v1/auth/tokens/{alices.token.pk}/"), 404)
    assert alices.get("/api/v1/me/").status_code == 200


def test_revoking_all_devices_logs_every_one_out(student, other_student):
    phone, tablet = token_client(student), token_client(student)
    bobs = token_client(other_student)

    assert phone.delete("/api/v1/auth/tokens/").status_code == 204

    assert phone.get("/api/v1/me/").status_code == 401
    assert tablet.get("/api/v1/me/").status_code == 401
    assert bobs.get("/api/v1/me/").status_code == 200


def test_an_expired_token_is_refused(student):
    client = token_client(student)
    DeviceToken.objects.filter(pk=client.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_using_a_token_slides_its_expiry_forward(student, settings):
    settings.API_TOKEN_TTL = timedelta(days=90)
    client = token_client(student)
    long_ago = timezone.now() - TOUCH_INTERVAL - timedelta(minutes=1)
    DeviceToken.objects.filter(pk=client.token.pk).update(
        last_used_at=long_ago, expires_at=timezone.now() + timedelta(days=1)
    )

    client.get("/api/v1/me/")

    token = DeviceToken.objects.get(pk=client.token.pk)
    assert token.last_used_at > long_ago
    assert token.expires_at > timezone.now() + timedelta(days=89)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer not-one-of-ours", "Bearer aqa_forged", "bearer aqa_" + "x" * 300],
)
def test_a_malformed_or_unknown_bearer_header_is_a_401(db, header):
    error = error_of(APIClient().get("/api/v1/threads/", HTTP_AUTHORIZATION=header), 401)
    assert error["code"] == "authentication_failed"


def test_revoking_the_current_token_needs_a_token_not_a_session(student):
    client = APIClient()
    client.force_login(student)
    assert error_of(client.delete(LOGIN), 400)["code"] == "invalid"


def test_session_authentication_keeps_working_with_csrf_for_the_browser(student):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(student)
    thread = {"title": "Rythme école entreprise en BTS ?", "body": "Quel rythme pour un BTS en alternance ?"}
    thread["tags"] = ["bts"]

    without_token = browser.post("/api/v1/threads/", thread, format="json")
    assert error_of(without_token, 403)["code"] == "forbidden"
    assert "CSRF" in without_token.json()["error"]["message"]

    secret = "k" * 32  # what Django's csrftoken cookie holds
    browser.cookies["csrftoken"] = secret
    with_token = browser.post("/api/v1/threads/", thread, format="json", HTTP_X_CSRFTOKEN=secret)
    assert with_token.status_code == 201
