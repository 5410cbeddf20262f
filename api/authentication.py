"""Device tokens for the mobile app: `Authorization: Bearer <token>`.

A request without a Bearer header falls through to the session (browsers, with
CSRF). A Bearer header that does not name an active token is a 401 at once,
never a silent downgrade to anonymous: the app must know to log in again.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from forum.services.tokens import authenticate_token

KEYWORD = b"bearer"


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: expected “Bearer <token>”."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = authenticate_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This token is invalid, expired or revoked: log in again to get a new one.")
            )
        # request.auth is the DeviceToken: "revoke the current token" needs it.
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without valid credentials.
        return 'Bearer realm="api"'
