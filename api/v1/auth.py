"""Device tokens: log in from the app, list the devices, revoke one, all, or
the one making the request."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.permissions import Authenticated
from api.throttling import LoginRateThrottle
from api.v1.common import UtcDateTimeField, parse
from forum.exceptions import InvalidInput, NotFound
from forum.models import DeviceToken
from forum.services import login_limits, tokens


class TokenObtainInput(serializers.Serializer):
    username = serializers.CharField(help_text="Username or email address.", trim_whitespace=True)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    device_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Shown in the member's list of devices, e.g. “Pixel 8 de Léa” (at most 100 characters).",
    )


class DeviceTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    device_name = serializers.CharField(source="name", read_only=True)
    prefix = serializers.CharField(read_only=True, help_text="The first characters of the token, to tell them apart.")
    created_at = UtcDateTimeField()
    last_used_at = UtcDateTimeField(allow_null=True)
    expires_at = UtcDateTimeField(help_text="Moves forward as the token is used (sliding expiry).")
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, token: DeviceToken) -> bool:
        request = self.context.get("request")
        current = getattr(request, "auth", None)
        return isinstance(current, DeviceToken) and current.pk == token.pk


class IssuedTokenSerializer(DeviceTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The secret. Shown once: store it in the platform's secure storage."
    )


class TokenView(GenericAPIView):
    """POST logs in (no credentials needed, so no CSRF either: no session is
    opened); DELETE revokes the token the request was made with."""

    serializer_class = DeviceTokenSerializer
    pagination_class = None

    def _logging_in(self) -> bool:
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        return [] if self._logging_in() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._logging_in() else [Authenticated()]

    def get_throttles(self):
        return [LoginRateThrottle()] if self._logging_in() else super().get_throttles()

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        summary="Log in from a device",
        description=(
            "Exchanges a username (or email) and password for a device token. A wrong password is a 400 "
            "with code `invalid_credentials`. Limited per address (`auth` scope, 429 `throttled`) and per "
            "account, together with the web login form: past `FORUM_LOGIN_ATTEMPTS_PER_ACCOUNT` attempts "
            "(default 5 in 15 minutes), password login to that account pauses for "
            "`FORUM_LOGIN_LOCKOUT_MINUTES` (default 15): 429 with code `account_locked` and `Retry-After`, "
            "even with the right password."
        ),
        request=TokenObtainInput,
        responses={201: IssuedTokenSerializer},
        examples=[
            OpenApiExample(
                "Login",
                value={"username": "lea", "password": "correct-horse-battery", "device_name": "Pixel 8"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = parse(TokenObtainInput, request.data)
        # The same per-account attempt limit as the web login form.
        with login_limits.attempt(login=data["username"]):
            token, secret = tokens.obtain_token(
                request=request._request,
                login=data["username"],
                password=data["password"],
                device_name=data["device_name"],
            )
        token.token = secret
        return Response(IssuedTokenSerializer(token, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        operation_id="auth_token_revoke_current",
        tags=["auth"],
        summary="Log out this device",
        description="Revokes the token this request is authenticated with. Needs Bearer authentication.",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request):
        if not isinstance(request.auth, DeviceToken):
            raise InvalidInput(_("This request is not authenticated with a device token."))
        tokens.revoke_token(user=request.user, token_id=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceTokenListView(GenericAPIView):
    serializer_class = DeviceTokenSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="auth_tokens_list",
        tags=["auth"],
        summary="My devices",
        description="The active tokens of the current member, newest first.",
        responses=DeviceTokenSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(tokens.active_tokens(user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="auth_tokens_revoke_all",
        tags=["auth"],
        summary="Log out every device",
        description="Revokes every token of the current member, this one included.",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request):
        tokens.revoke_all_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceTokenDetailView(GenericAPIView):
    serializer_class = DeviceTokenSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="auth_tokens_revoke",
        tags=["auth"],
        summary="Log out one device",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request, pk: int):
        if not tokens.revoke_token(user=request.user, token_id=pk):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
