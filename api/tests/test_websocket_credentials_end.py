"""A socket lives no longer than the credential it was opened with: a revoked
device token, a web logout or a password change closes it at once (4401), and
only the sockets of the credential that ended (a member's other devices stay)."""

import json

import pytest
from django.test import Client

from api.tests.websocket_support import in_thread, open_socket, receive, subscribe
from forum.services import tokens

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


async def closed_with(ws, code: int) -> list[dict]:
    frames = []
    while (output := await ws.receive_output(timeout=3))["type"] == "websocket.send":
        frames.append(json.loads(output["text"]))
    assert output == {"type": "websocket.close", "code": code}, frames
    await ws.disconnect(code=code)
    return frames


async def still_open(ws) -> None:
    await ws.send_json_to({"type": "ping"})
    assert await receive(ws) == {"type": "pong"}


async def phone_of(user, device: str = "Pixel 8"):
    token, secret = await in_thread(tokens.issue_token)(user=user, device_name=device)
    ws = await open_socket(token=secret, origin=None)
    await subscribe(ws, "user:me")
    return token, ws


def logged_in_client(user) -> tuple[Client, bytes]:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    return client, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def test_revoking_one_device_token_closes_that_device_socket_only(student):
    token, phone = await phone_of(student)
    _other, tablet = await phone_of(student, "iPad")

    await in_thread(tokens.revoke_token)(user=student, token_id=token.pk)

    frames = await closed_with(phone, 4401)
    assert frames[-1]["code"] == "unauthorized"
    await still_open(tablet)
    await tablet.disconnect()


async def test_revoking_every_token_closes_every_device_but_not_the_browser(student):
    _one, phone = await phone_of(student)
    _two, tablet = await phone_of(student, "iPad")
    _client, cookie = await in_thread(logged_in_client)(student)
    browser = await open_socket(cookie=cookie)

    await in_thread(tokens.revoke_all_tokens)(user=student)

    await closed_with(phone, 4401)
    await closed_with(tablet, 4401)
    await still_open(browser)
    await browser.disconnect()


async def test_logging_out_closes_the_sockets_of_that_session_only(student):
    client, cookie = await in_thread(logged_in_client)(student)
    _other_client, other_cookie = await in_thread(logged_in_client)(student)
    tab = await open_socket(cookie=cookie)
    await subscribe(tab, "user:me")
    other_browser = await open_socket(cookie=other_cookie)
    _token, phone = await phone_of(student)

    await in_thread(client.post)("/comptes/logout/")

    await closed_with(tab, 4401)
    await still_open(other_browser)
    await still_open(phone)
    await other_browser.disconnect()
    await phone.disconnect()


async def test_changing_the_password_closes_every_socket_of_the_member_and_no_one_else(student, other_student):
    client, cookie = await in_thread(logged_in_client)(student)
    _other_client, other_cookie = await in_thread(logged_in_client)(student)
    browser = await open_socket(cookie=other_cookie)
    _token, phone = await phone_of(student)
    _their_token, bystander = await phone_of(other_student)

    response = await in_thread(client.post)(
        "/comptes/password/change/", {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302

    await closed_with(browser, 4401)
    await closed_with(phone, 4401)
    await still_open(bystander)
    await bystander.disconnect()


async def test_a_moderator_device_following_the_review_queue_closes_when_its_token_is_revoked(moderator):
    token, secret = await in_thread(tokens.issue_token)(user=moderator, device_name="Pixel 8")
    ws = await open_socket(token=secret, origin=None)
    frames = await subscribe(ws, "moderation")
    assert frames[-1]["type"] == "subscribed"

    await in_thread(tokens.revoke_token)(user=moderator, token_id=token.pk)

    await closed_with(ws, 4401)
    # And the token opens nothing any more.
    again = await open_socket(token=secret, origin=None)
    await closed_with(again, 4401)
