"""The member's RGPD rights through the API: download all their data, delete
their account; and a moderator answering a member's data-access request.
Everything goes through forum.services.data_export and account_deletion, the
same functions as the settings page."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import Authenticated, IsModerator
from api.v1.common import parse
from forum.exceptions import NotFound
from forum.services import account_deletion, data_export

EXPORT_DESCRIPTION = (
    "Every row the site holds about the member, one list per kind (`questions`, `answers`, `revisions`, "
    "`votes`, `flags_filed`, `sanctions`, `notifications`, `device_tokens`, `badges`...), each row with "
    "all its columns but the secrets named in `left_out`. The shape follows the database and may grow; "
    "`format_version` changes if a key is renamed or removed."
)


def _attachment(response: Response, username: str) -> Response:
    response["Content-Disposition"] = f'attachment; filename="alternance-qa-{username}.json"'
    response["Cache-Control"] = "no-store"
    return response


class MyDataExportView(APIView):
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="me_export",
        tags=["me"],
        summary="Download all my data",
        description=EXPORT_DESCRIPTION,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return _attachment(Response(data_export.export_my_data(member=request.user)), request.user.username)


class DeleteAccountInput(serializers.Serializer):
    password = serializers.CharField(trim_whitespace=False, help_text="Your current password, to confirm.")
    remove_all_posts = serializers.BooleanField(
        required=False, default=False, help_text="Also remove every question and answer you wrote."
    )
    question_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=10_000,
        help_text="Questions of yours to remove; the others stay, signed “Deleted member”.",
    )
    answer_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=10_000,
        help_text="Answers of yours to remove.",
    )


class AccessRequestInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="How the request came (kept in the audit log)."
    )


class MemberDataExportView(APIView):
    permission_classes = [Authenticated, IsModerator]

    @extend_schema(
        operation_id="moderation_members_export",
        tags=["moderation"],
        summary="Answer a member's data-access request (moderators)",
        description="The member's full export, as `GET /me/export/` gives it to them; recorded in the audit "
        "log (`member.data_exported`).",
        request=AccessRequestInput,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, username: str):
        data = parse(AccessRequestInput, request.data)
        member = get_user_model().objects.filter(username=username).first()
        if member is None:
            raise NotFound()
        export = data_export.answer_access_request(moderator=request.user, member=member, reason=data["reason"])
        return _attachment(Response(export), member.username)


class DeleteMyAccountView(APIView):
    """A POST rather than `DELETE me/`: the password travels in the body, and
    a DELETE's body is dropped by drf-spectacular's schema (a generated client
    could not send it) and by some HTTP clients."""

    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="me_delete",
        tags=["me"],
        summary="Delete my account",
        description="Erases every personal data of the account (email addresses, names, profile, tokens, "
        "sessions, devices, subscriptions, notifications, verification requests, badges) and ends every "
        "credential. Posts stay, signed “Deleted member”, unless listed for removal (or `remove_all_posts`). "
        "Needs the current password; a wrong one is a 400 on `password`, counted like a login attempt.",
        request=DeleteAccountInput,
        responses={204: None},
    )
    def post(self, request):
        data = parse(DeleteAccountInput, request.data)
        account_deletion.delete_account(member=request.user, **data)
        return Response(status=204)
