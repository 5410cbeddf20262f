"""Who the socket belongs to: a session cookie only with one of our Origins
(cross-site websocket hijacking), a device token with or without an Origin."""

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from api.tests.websocket_support import in_thread, open_socket, open_socket_as, receive, session_cookie, subscribe
from api.ws_auth import origin_is_allowed
from config.asgi import application
from forum import events
from forum.services.sanctions import suspend_member
from forum.services.tokens import issue_token, revoke_token

pytestmark = pytest.mark.django_db(transaction=True)


async def who_am_i(ws) -> str:
    """'member' if `user:me` may be followed on this socket, else the error code."""
    frames = await subscribe(ws, "user:me")
    return "member" if frames[-1]["type"] == "subscribed" else frames[-1]["code"]


async def handshake(headers) -> tuple[bool, int | None]:
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    accepted, detail = await communicator.connect(timeout=3)
    if accepted:
        await communicator.disconnect()
    return accepted, detail


async def test_a_browser_on_our_origin_is_logged_in_by_its_session_cookie(student):
    ws = await open_socket_as(student)
    assert await who_am_i(ws) == "member"
    await ws.disconnect()


async def test_a_handshake_from_another_site_is_refused(student):
    cookie = await in_thread(session_cookie)(student)
    for origin in (b"https://evil.example", b"null", b"http://127.0.0.1.evil.example"):
        assert await handshake([(b"origin", origin), (b"cookie", cookie)]) == (False, 1000), origin
    assert await handshake([(b"origin", b"https://evil.example")]) == (False, 1000)


async def test_without_an_origin_the_cookie_is_ignored_and_the_socket_is_anonymous(student, question):
    cookie = await in_thread(session_cookie)(student)
    ws = await open_socket(cookie=cookie, origin=None)
    assert await who_am_i(ws) == "unauthorized"
    # Anonymous may still follow public topics.
    assert (await subscribe(ws, f"thread:{question.pk}"))[-1]["type"] == "subscribed"
    await ws.disconnect()


async def test_the_mobile_app_authenticates_with_a_bearer_token_and_needs_no_origin(student):
    _token, secret = await in_thread(issue_token)(user=student, device_name="Pixel 8")

    for origin in (None, b"https://app.example"):
        ws = await open_socket(token=secret, origin=origin)
        assert await who_am_i(ws) == "member"
        await ws.disconnect()


async def test_a_token_wins_over_a_cookie_so_a_socket_is_one_member(student, other_student):
    _token, secret = await in_thread(issue_token)(user=other_student, device_name="iPhone")
    cookie = await in_thread(session_cookie)(student)
    ws = await open_socket(token=secret, cookie=cookie)
    await subscribe(ws, "user:me")

    for member in (student, other_student):
        await in_thread(events.publish)(
            topic=events.user_topic(member.pk),
            name="notification.created",
            data={"for": member.username},
            audience="private",
            recipient_id=member.pk,
        )

    assert (await receive(ws))["data"] == {"for": "bob"}
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


@pytest.mark.parametrize("header", ["Bearer aqa_not-a-real-token", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "aqa_xyz"])
async def test_a_bad_authorization_header_closes_the_socket_with_4401(header):
    communicator = WebsocketCommunicator(application, "/ws/", headers=[(b"authorization", header.encode())])
    accepted, _ = await communicator.connect(timeout=3)
    assert accepted

    error = json.loads(await communicator.receive_from(timeout=3))
    closed = await communicator.receive_output(timeout=3)

    assert (error["type"], error["code"]) == ("error", "unauthorized")
    assert closed == {"type": "websocket.close", "code": 4401}
    await communicator.disconnect(code=4401)


async def test_a_revoked_token_no_longer_opens_a_socket(student):
    token, secret = await in_thread(issue_token)(user=student, device_name="old phone")
    await in_thread(revoke_token)(user=student, token_id=token.pk)

    ws = await open_socket(token=secret, origin=None)

    assert (await receive(ws))["code"] == "unauthorized"
    assert (await ws.receive_output(timeout=3))["code"] == 4401
    await ws.disconnect(code=4401)


async def test_a_token_in_the_query_string_is_not_accepted(student):
    _token, secret = await in_thread(issue_token)(user=student, device_name="Pixel 8")
    communicator = WebsocketCommunicator(application, f"/ws/?token={secret}")
    assert (await communicator.connect(timeout=3))[0]
    assert await who_am_i(communicator) == "unauthorized"
    await communicator.disconnect()


async def test_other_paths_refuse_the_handshake():
    communicator = WebsocketCommunicator(application, "/ws/elsewhere/")
    assert await communicator.connect(timeout=3) == (False, 1000)


# --- the Origin rule ------------------------------------------------------------------


@override_settings(ALLOWED_HOSTS=["forum.example.fr", ".alternance.fr"], CSRF_TRUSTED_ORIGINS=["https://m.example.org"])
@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://forum.example.fr", True),
        ("http://forum.example.fr:8443", True),
        ("https://www.alternance.fr", True),
        ("https://alternance.fr", True),
        ("https://m.example.org", True),
        ("https://forum.example.fr.evil.com", False),
        ("https://evilalternance.fr", False),
        ("null", False),
        ("", False),
        ("https://[::1", False),
    ],
)
def test_origins_are_compared_by_host_like_allowed_hosts(origin, allowed):
    assert origin_is_allowed(origin, "forum.example.fr") is allowed


@override_settings(ALLOWED_HOSTS=["*"])
def test_a_wildcard_allowed_hosts_still_requires_a_same_host_origin():
    assert origin_is_allowed("https://qa.example.fr", "qa.example.fr:443")
    assert not origin_is_allowed("https://evil.example", "qa.example.fr")
    assert not origin_is_allowed("https://evil.example", None)


async def test_suspending_a_member_closes_all_their_sockets_at_once(student, other_student, moderator):
    _token, secret = await in_thread(issue_token)(user=student, device_name="Pixel 8")
    phone = await open_socket(token=secret, origin=None)
    browser = await open_socket_as(student)
    await subscribe(browser, "user:me")  # subscribed or not, both close
    bystander = await open_socket_as(other_student)

    await in_thread(suspend_member)(moderator=moderator, member=student, days=3, clause="respect")

    for ws in (phone, browser):
        frames = []
        while (output := await ws.receive_output(timeout=3))["type"] == "websocket.send":
            frames.append(json.loads(output["text"]))
        assert output == {"type": "websocket.close", "code": 4403}
        assert frames[-1]["code"] == "session_revoked"
        await ws.disconnect(code=4403)
    assert await bystander.receive_nothing(timeout=0.3)
    await bystander.disconnect()
