"""The mobile app's accounts through allauth headless (`/_allauth/app/v1/`),
with one credential: the device token.

allauth's app flows (sign up, verify the email by code, log in, reset the
password by code) carry their state in a Django session named by the
`X-Session-Token` header. That handle lives only while a flow is pending:
when a flow ends logged in, `DeviceTokenStrategy` issues a device token
(`meta.access_token`, the same `aqa_…` secret as `POST /api/v1/auth/token/`)
and ends the flow's session, so the app holds one credential, accepted by the
REST API, the websocket and the headless endpoints that need a member
(`Authorization: Bearer aqa_…`: change the password, log out). Everything
the security rules say of device tokens holds: they end on a password change
or reset (`forum.receivers`), and sockets opened with them close (4401).

A device token presented to allauth is turned into a session that lives for
that request only (`DeviceSession`): nothing of it is stored, so it cannot
outlive the token, and logging out through allauth revokes the token.
"""

import json
from typing import Any

import yaml
from allauth.headless.account.views import ChangePasswordView
from allauth.headless.base.response import get_config_data
from allauth.headless.base.views import ConfigView
from allauth.headless.constants import Flow
from allauth.headless.internal.restkit.response import APIResponse
from allauth.headless.spec.internal.schema import get_schema
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import View

from forum.services import tokens

DEVICE_NAME_HEADER = "X-Device-Name"
ACCOUNTS_PREFIX = "/_allauth/app/v1/"


class DeviceSession(SessionBase):
    """An in-memory session standing for a device token during one request:
    never saved, never loaded, so it grants nothing the token does not."""

    def exists(self, session_key: str) -> bool:
        return False

    def create(self) -> None:
        self._session_key = None

    def save(self, must_create: bool = False) -> None:
        pass

    def delete(self, session_key: str | None = None) -> None:
        pass

    def load(self) -> dict:
        return {}

    @classmethod
    def clear_expired(cls) -> None:
        pass


def device_session(token) -> DeviceSession:
    user = token.user
    session = DeviceSession()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[tokens.DEVICE_TOKEN_SESSION_KEY] = token.pk
    session.modified = False
    return session


def _access_token_meta(token, secret: str) -> dict[str, Any]:
    return {
        "access_token": secret,
        "token_type": "Bearer",
        "expires_in": int(settings.API_TOKEN_TTL.total_seconds()),
        "device_token_id": token.pk,
    }


def _bearer_device_token(request: HttpRequest) -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() == "bearer" and secret.startswith(tokens.TOKEN_PREFIX):
        return secret
    return None


class DeviceTokenStrategy(SessionTokenStrategy):
    def get_session_token(self, request: HttpRequest) -> str | None:
        # A pending flow's handle first: a member who is logged in does not
        # start flows, and one who is not has no device token to send.
        return request.headers.get("X-Session-Token") or _bearer_device_token(request)

    def lookup_session(self, session_token: str) -> SessionBase | None:
        if session_token.startswith(tokens.TOKEN_PREFIX):
            token = tokens.authenticate_token(session_token)
            return device_session(token) if token is not None else None
        return super().lookup_session(session_token)

    def create_session_token(self, request: HttpRequest) -> str:
        # A member is known by their device token: no session handle is
        # handed out once logged in (an empty token is not exposed).
        if request.user.is_authenticated:
            return ""
        return super().create_session_token(request)

    def create_access_token_payload(self, request: HttpRequest) -> dict[str, Any] | None:
        """Called once, when this request logged the member in (sign-up
        verified, password login, code login)."""
        token, secret = tokens.issue_token(user=request.user, device_name=request.headers.get(DEVICE_NAME_HEADER, ""))
        # The flow's session was only a handle to get here: end it, so the
        # device token is the one credential of this device.
        request.session.flush()
        return _access_token_meta(token, secret)


# allauth registers its phone endpoints whatever the configuration, and they
# fail (500) without a phone field: this forum has none. Answered 404 in
# allauth's shape (config/urls.py), and left out of the specification.
UNUSED_PATHS = ("account/phone", "auth/phone/verify", "auth/phone/verify/resend")


def not_served(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return JsonResponse({"status": 404}, status=404)


class AppChangePasswordView(ChangePasswordView):
    """allauth's password change. The change revokes every device token of
    the member (forum.receivers), the one this request came with included;
    the device that made the change gets a new one in `meta.access_token`
    (its name kept), so it stays logged in while every other device must log
    in again with the new password."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token_id = request.session.get(tokens.DEVICE_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 200 or token_id is None:
            return response
        token, secret = tokens.reissue_token(user=request.user, token_id=token_id)
        body = json.loads(response.content)
        meta = {**body.get("meta", {}), **_access_token_meta(token, secret)}
        return APIResponse(request, data=body.get("data"), meta=meta)


class AppConfigView(ConfigView):
    """allauth's /config, with the per-request switches of
    config.client_switch answered as the booleans they are for the app."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> APIResponse:
        data = get_config_data(request)
        account = {key: bool(value) if key.endswith("_enabled") else value for key, value in data["account"].items()}
        return APIResponse(request, data={**data, "account": account})


SPEC_NOTE = """

# Alternance Q&A

This is the accounts part of the mobile app's API (the rest: `/api/schema/`,
guide: `docs/api.md`). Only the `app` client is served. When a flow ends with
the member logged in, `meta.access_token` is a **device token** (`aqa_…`): send
it as `Authorization: Bearer <token>` to the REST API, the websocket, and the
endpoints here that need a member. No session token is given out once logged in.
Name the device with the `X-Device-Name` header on the request that ends the flow.
"""

DEVICE_NAME_PARAMETER = {
    "name": DEVICE_NAME_HEADER,
    "in": "header",
    "required": False,
    "description": "Shown in the member's list of devices (`GET /api/v1/auth/tokens/`), at most 100 characters.",
    "schema": {"type": "string", "maxLength": 100},
}


class AccountsSpecView(View):
    """allauth's OpenAPI description of the app endpoints, as JSON: its own
    view cannot serialise the lazy translations of our sign-up form's
    labels, and this one adds how our device tokens fit in."""

    format = "json"

    def get(self, request: HttpRequest) -> HttpResponse:
        spec = json.loads(json.dumps(get_schema(), default=str))
        spec["info"]["description"] = spec["info"].get("description", "") + SPEC_NOTE
        # allauth 65.21's specification forgets flows its responses list
        # (the generated client refused the answer to a sign-up).
        flow_ids = spec["components"]["schemas"]["Flow"]["properties"]["id"]["enum"]
        flow_ids.extend(flow.value for flow in Flow if flow.value not in flow_ids)
        # AppChangePasswordView answers 200 with the device's new token
        # (allauth's documents only the 401 of logging out on a change).
        change = spec["paths"][f"{ACCOUNTS_PREFIX}account/password/change"]["post"]["responses"]
        change["200"] = {"$ref": "#/components/responses/Authenticated"}
        for unused in UNUSED_PATHS:
            spec["paths"].pop(f"{ACCOUNTS_PREFIX}{unused}", None)
        for path, operations in spec["paths"].items():
            if "/auth/" in path and "post" in operations:
                operations["post"].setdefault("parameters", []).append(DEVICE_NAME_PARAMETER)
        if self.format == "yaml":
            return HttpResponse(yaml.safe_dump(spec, allow_unicode=True), content_type="application/vnd.oai.openapi")
        return HttpResponse(json.dumps(spec), content_type="application/vnd.oai.openapi+json")
