"""The app's account lifecycle through allauth headless (/_allauth/app/v1/):
the web's sign-up rules, email verification and password reset by code,
the shared per-account login lockout, and one credential (the device token)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from forum.models import DeviceToken, User
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

BASE = "/_allauth/app/v1"
PASSWORD = "Une-phrase-de-passe-solide-42"


def call(method: str, path: str, body: dict | None = None, *, session: str = "", token: str = "", **headers):
    if session:
        headers["HTTP_X_SESSION_TOKEN"] = session
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    client = Client()
    kwargs = {"content_type": "application/json"} if body is not None else {}
    if body is not None:
        kwargs["data"] = body
    return getattr(client, method)(BASE + path, **kwargs, **headers)


def signup_body(**overrides) -> dict:
    return {
        "email": "lea@example.org",
        "username": "lea",
        "password": PASSWORD,
        "display_name": "Léa",
        "role": "apprentice",
        "school": "BTS MCO",
        "region": "Bretagne",
        "charter": True,
        **overrides,
    }


def last_code() -> str:
    # The code is the only line of the message made of code characters alone.
    codes = re.findall(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", mail.outbox[-1].body, flags=re.MULTILINE)
    assert codes, mail.outbox[-1].body
    return codes[-1]


def params_of(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in response.json().get("errors", []):
        found.setdefault(error.get("param", "__all__"), []).append(error["code"])
    return found


@pytest.mark.django_db
def test_signing_up_keeps_the_profile_and_the_charter_and_verifies_by_code():
    signed = call("post", "/auth/signup", signup_body())

    assert signed.status_code == 401
    flows = {flow["id"]: flow for flow in signed.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"] is True
    user = User.objects.get(username="lea")
    assert (user.display_name, user.role, user.school, user.region) == ("Léa", "apprentice", "BTS MCO", "Bretagne")
    assert user.charter_accepted_at is not None
    # A code to type, not a link to open in the right browser.
    assert "/comptes/" not in mail.outbox[-1].body

    session = signed.json()["meta"]["session_token"]
    # The request that ends the flow names the device its token is for.
    verified = call(
        "post", "/auth/email/verify", {"key": last_code()}, session=session, HTTP_X_DEVICE_NAME="Pixel de Léa"
    )

    assert verified.status_code == 200, verified.content
    meta = verified.json()["meta"]
    assert meta["is_authenticated"] is True
    assert meta["access_token"].startswith("aqa_")
    # One credential: no session handle next to the device token.
    assert "session_token" not in meta
    token = DeviceToken.objects.get(pk=meta["device_token_id"])
    assert (token.user, token.name) == (user, "Pixel de Léa")
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}")
    assert me.status_code == 200
    assert me.json()["username"] == "lea"
    # The flow's handle ended with the flow.
    assert call("get", "/auth/session", session=session).status_code == 410


@pytest.mark.django_db
def test_the_web_still_verifies_by_link():
    response = Client().post(
        "/comptes/signup/",
        {
            "email": "web@example.org",
            "username": "web-user",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "student",
            "charter": "on",
        },
    )

    assert response.status_code == 302, response.content
    assert "/comptes/confirm-email/" in mail.outbox[-1].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "param"),
    [
        ({"charter": False}, "charter"),
        ({"username": "moderateur"}, "username"),
        ({"display_name": "Modérateur officiel"}, "display_name"),
        ({"role": "astronaut"}, "role"),
        ({"school": "x" * 500}, "school"),
        ({"password": "123"}, "password"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_sign_up_refuses_what_the_web_refuses(overrides, param):
    response = call("post", "/auth/signup", signup_body(**overrides))

    assert response.status_code == 400, response.content
    assert param in params_of(response)
    assert not User.objects.filter(username=signup_body(**overrides)["username"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["d\u0435mo-hr", "DEMO_HR", "dem0-hr", "RH-Banque-Horizon"])
def test_a_username_that_looks_like_a_members_or_a_role_is_refused(username):
    make_user(username="demo-hr")

    response = call("post", "/auth/signup", signup_body(username=username))

    assert response.status_code == 400
    assert "username" in params_of(response)


@pytest.mark.django_db
def test_the_honeypot_refuses_a_bot_without_saying_why():
    response = call("post", "/auth/signup", signup_body(website="https://spam.example"))

    assert response.status_code == 400
    assert not User.objects.filter(username="lea").exists()
    assert "website" not in params_of(response)


@pytest.mark.django_db
def test_sign_up_is_limited_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    for n in range(2):
        call("post", "/auth/signup", signup_body(username=f"membre{n}", email=f"m{n}@example.org"))

    assert call("post", "/auth/signup", signup_body()).status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [None, [], "texte", {"email": 12, "username": ["x"], "password": None}, {"charter": "yes" * 10_000}],
)
def test_bad_input_is_a_400_never_a_500(body):
    response = call("post", "/auth/signup", body if body is not None else {})

    assert response.status_code == 400
    if isinstance(body, dict):
        # allauth's documented error shape; a body that is not a JSON object
        # gets a bare 400 from allauth (docs/api.md, "Accounts").
        assert response.json()["status"] == 400
        assert response.json()["errors"]


@pytest.mark.django_db
def test_login_shares_the_web_and_api_per_account_lockout(settings):
    settings.FORUM = {**settings.FORUM, "LOGIN_ATTEMPTS_PER_ACCOUNT": 2}
    make_user(username="lea", password=PASSWORD)
    for _ in range(2):
        assert call("post", "/auth/login", {"username": "lea", "password": "wrong"}).status_code == 400

    locked = call("post", "/auth/login", {"username": "lea", "password": PASSWORD})

    assert locked.status_code == 400
    assert params_of(locked) == {"__all__": ["account_locked"]}
    # The same lock as the token endpoint's.
    refused = Client().post(
        "/api/v1/auth/token/", {"username": "lea", "password": PASSWORD}, content_type="application/json"
    )
    assert refused.status_code == 429


@pytest.mark.django_db
def test_login_issues_a_device_token_that_logging_out_revokes():
    lea = make_user(username="lea", password=PASSWORD)

    logged_in = call("post", "/auth/login", {"username": "lea", "password": PASSWORD}, HTTP_X_DEVICE_NAME="iPhone")

    assert logged_in.status_code == 200, logged_in.content
    secret = logged_in.json()["meta"]["access_token"]
    assert DeviceToken.objects.get(user=lea, revoked_at__isnull=True).name == "iPhone"
    session = call("get", "/auth/session", token=secret)
    assert session.status_code == 200
    assert session.json()["data"]["user"]["username"] == "lea"

    assert call("delete", "/auth/session", token=secret).status_code == 401

    assert not DeviceToken.objects.filter(user=lea, revoked_at__isnull=True).exists()
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert call("get", "/auth/session", token=secret).status_code == 410


@pytest.mark.django_db
def test_an_unverified_account_gets_a_code_at_login_and_a_token_once_verified():
    signed = call("post", "/auth/signup", signup_body())
    assert signed.status_code == 401
    mail.outbox.clear()
    # Later: allauth sends a new code at most every few minutes per address.
    cache.clear()

    login = call("post", "/auth/login", {"email": "lea@example.org", "password": PASSWORD})

    assert login.status_code == 401, login.content
    assert "verify_email" in {flow["id"] for flow in login.json()["data"]["flows"] if flow.get("is_pending")}
    verified = call("post", "/auth/email/verify", {"key": last_code()}, session=login.json()["meta"]["session_token"])
    assert verified.json()["meta"]["access_token"].startswith("aqa_")


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_account_stays_unverified():
    signed = call("post", "/auth/signup", signup_body())
    session = signed.json()["meta"]["session_token"]

    wrong = call("post", "/auth/email/verify", {"key": "AAAAAA"}, session=session)

    assert wrong.status_code == 400
    assert "key" in params_of(wrong)
    assert not User.objects.get(username="lea").emailaddress_set.filter(verified=True).exists()


@pytest.mark.django_db
def test_changing_the_password_ends_every_device_token():
    make_user(username="lea", password=PASSWORD)
    first = call("post", "/auth/login", {"username": "lea", "password": PASSWORD}, HTTP_X_DEVICE_NAME="Pixel")
    first = first.json()["meta"]["access_token"]
    second = call("post", "/auth/login", {"username": "lea", "password": PASSWORD}).json()["meta"]["access_token"]

    wrong = call(
        "post", "/account/password/change", {"current_password": "nope", "new_password": "Autre-phrase-99"}, token=first
    )
    assert wrong.status_code == 400
    changed = call(
        "post",
        "/account/password/change",
        {"current_password": PASSWORD, "new_password": "Autre-phrase-de-passe-99"},
        token=first,
    )

    assert changed.status_code == 200, changed.content
    for secret in (first, second):
        assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # The device that changed it stays logged in, under a new token with its name.
    renewed = changed.json()["meta"]["access_token"]
    assert renewed not in (first, second)
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {renewed}").status_code == 200
    assert DeviceToken.objects.get(pk=changed.json()["meta"]["device_token_id"]).name == "Pixel"
    again = call("post", "/auth/login", {"username": "lea", "password": "Autre-phrase-de-passe-99"})
    assert again.status_code == 200


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_code():
    make_user(username="lea", password=PASSWORD)
    old = call("post", "/auth/login", {"username": "lea", "password": PASSWORD}).json()["meta"]["access_token"]

    requested = call("post", "/auth/password/request", {"email": "lea@example.org"})

    assert requested.status_code == 401, requested.content
    session = requested.json()["meta"]["session_token"]
    code = last_code()
    assert call("get", "/auth/password/reset", session=session, HTTP_X_PASSWORD_RESET_KEY=code).status_code == 200
    reset = call("post", "/auth/password/reset", {"key": code, "password": "Nouvelle-phrase-77"}, session=session)

    # Not logged in by the reset (allauth's default): the app logs in with it.
    assert reset.status_code == 401, reset.content
    assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 401
    assert call("post", "/auth/login", {"username": "lea", "password": "Nouvelle-phrase-77"}).status_code == 200


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_answers_the_same():
    requested = call("post", "/auth/password/request", {"email": "nobody@example.org"})

    assert requested.status_code == 401
    assert "session_token" in requested.json()["meta"]


@pytest.mark.django_db
def test_config_tells_the_app_it_verifies_and_resets_by_code():
    config = call("get", "/config")

    assert config.status_code == 200
    account = config.json()["data"]["account"]
    assert account["email_verification_by_code_enabled"] is True
    assert account["password_reset_by_code_enabled"] is True


@pytest.mark.django_db
def test_a_device_token_on_allauth_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    make_user(username="lea", password=PASSWORD)
    secret = call("post", "/auth/login", {"username": "lea", "password": PASSWORD}).json()["meta"]["access_token"]

    # The token lookup (with its user), the email address and the login
    # methods of allauth's answer: no session is read or written.
    with django_assert_max_num_queries(4) as captured:
        assert call("get", "/auth/session", token=secret).status_code == 200
    session_tables = ("forum_member_session", "django_session")
    assert not any(table in query["sql"] for query in captured.captured_queries for table in session_tables)
