"""Members and sanctions: a member's moderation record, warning, suspending
and banning them (moderators), and every member's own warnings. Decisions go
through forum.services.sanctions, which writes the audit log."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated, IsModerator
from api.v1.charter import ClauseExampleSerializer
from api.v1.common import CONFLICT, AuthorSerializer, ClauseField, UtcDateTimeField, absolute, parse
from api.v1.review_queue import MemberHistorySerializer
from forum import charter, queries
from forum.exceptions import NotFound
from forum.models import CharterClause
from forum.presenters import member_history_data
from forum.services import sanctions

# --- Shapes --------------------------------------------------------------------------


# Documented as its range; judged by the service (see ClauseField).
@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 365})
class DaysField(serializers.IntegerField):
    pass


class SanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`warning`, `suspension` or `ban`.")
    clause = serializers.CharField(help_text="The charter clause (`clause_text` says it in words).")
    clause_text = serializers.SerializerMethodField(help_text="The clause of the charter, in words.")
    message = serializers.CharField()
    created_at = UtcDateTimeField()
    ends_at = UtcDateTimeField(allow_null=True, help_text="When a suspension ends.")
    lifted_at = UtcDateTimeField(allow_null=True)
    seen_at = UtcDateTimeField(allow_null=True)

    clause_title = serializers.SerializerMethodField(help_text="The clause's short title (forum.charter).")
    clause_why = serializers.SerializerMethodField(help_text="Why the clause exists, in one sentence.")
    clause_example = serializers.SerializerMethodField(help_text="A good and a bad example of the clause.")
    clause_url = serializers.SerializerMethodField(help_text="The clause's anchor on the charter page.")
    outcome_url = serializers.SerializerMethodField(help_text="The member's warnings page, at this sanction.")

    def get_clause_text(self, sanction) -> str:
        return str(CharterClause(sanction.clause).label)

    def _clause(self, sanction) -> dict:
        return charter.clause_data(sanction.clause) or charter.NO_CLAUSE

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_clause_title(self, sanction) -> str | None:
        return self._clause(sanction)["clause_title"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_clause_why(self, sanction) -> str | None:
        return self._clause(sanction)["clause_why"]

    @extend_schema_field(ClauseExampleSerializer(allow_null=True))
    def get_clause_example(self, sanction) -> dict | None:
        return self._clause(sanction)["clause_example"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_clause_url(self, sanction) -> str | None:
        url = self._clause(sanction)["clause_url"]
        return absolute(self.context.get("request"), url) if url else None

    def get_outcome_url(self, sanction) -> str:
        return absolute(self.context.get("request"), charter.sanction_url(sanction.pk))


class ModeratorSanctionSerializer(SanctionSerializer):
    issued_by = serializers.CharField(source="issued_by.username")


class MemberModerationSerializer(serializers.Serializer):
    member = AuthorSerializer(source="*")
    is_active = serializers.BooleanField()
    suspended_until = UtcDateTimeField(allow_null=True)
    history = serializers.SerializerMethodField()
    sanctions = serializers.SerializerMethodField()

    @extend_schema_field(MemberHistorySerializer)
    def get_history(self, member) -> dict:
        return member_history_data(member, member)

    @extend_schema_field(ModeratorSanctionSerializer(many=True))
    def get_sanctions(self, member) -> list:
        return ModeratorSanctionSerializer(queries.member_sanctions(member), many=True).data


class WarnInput(serializers.Serializer):
    clause = ClauseField(help_text="The charter clause the member broke; they read it.")
    message = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class SuspendInput(WarnInput):
    days = DaysField(help_text="Whole days from now.")


# --- A member's record and sanctions (moderators) --------------------------------------


class MemberBaseView(GenericAPIView):
    serializer_class = MemberModerationSerializer
    permission_classes = [Authenticated, IsModerator]

    def member(self, username: str):
        member = get_user_model().objects.filter(username=username).first()
        if member is None:
            raise NotFound()
        return queries.member_with_history(member)

    def respond(self, username: str) -> Response:
        return Response(MemberModerationSerializer(self.member(username), context=self.get_serializer_context()).data)


class MemberView(MemberBaseView):
    @extend_schema(
        operation_id="moderation_members_retrieve",
        tags=["moderation"],
        summary="A member's moderation record (moderators)",
        description="Their history (posts, decisions on their posts) and sanctions.",
    )
    def get(self, request, username: str):
        return self.respond(username)


class MemberWarnView(MemberBaseView):
    @extend_schema(
        operation_id="moderation_members_warn",
        tags=["moderation"],
        summary="Warn a member (moderators)",
        description="A private message naming the charter clause; the member finds it in their warnings.",
        request=WarnInput,
    )
    def post(self, request, username: str):
        data = parse(WarnInput, request.data)
        sanctions.warn_member(moderator=request.user, member=self.member(username), **data)
        return self.respond(username)


class MemberSuspendView(MemberBaseView):
    @extend_schema(
        operation_id="moderation_members_suspend",
        tags=["moderation"],
        summary="Suspend a member (moderators)",
        description="They can read but not post, vote or flag until the end date; their device tokens are "
        "revoked and their websockets closed at once.",
        request=SuspendInput,
    )
    def post(self, request, username: str):
        data = parse(SuspendInput, request.data)
        sanctions.suspend_member(moderator=request.user, member=self.member(username), **data)
        return self.respond(username)

    @extend_schema(
        operation_id="moderation_members_unsuspend",
        tags=["moderation"],
        summary="Lift a suspension (moderators)",
        responses={
            200: MemberModerationSerializer,
            409: CONFLICT,
        },
    )
    def delete(self, request, username: str):
        sanctions.lift_suspension(moderator=request.user, member=self.member(username))
        return self.respond(username)


class MemberBanView(MemberBaseView):
    @extend_schema(
        operation_id="moderation_members_ban",
        tags=["moderation"],
        summary="Ban a member (moderators)",
        description="Deactivates the account: login, sessions, tokens and websockets stop working.",
        request=WarnInput,
        responses={
            200: MemberModerationSerializer,
            409: CONFLICT,
        },
    )
    def post(self, request, username: str):
        data = parse(WarnInput, request.data)
        sanctions.ban_member(moderator=request.user, member=self.member(username), **data)
        return self.respond(username)

    @extend_schema(
        operation_id="moderation_members_unban",
        tags=["moderation"],
        summary="Lift a ban (moderators)",
        responses={
            200: MemberModerationSerializer,
            409: CONFLICT,
        },
    )
    def delete(self, request, username: str):
        sanctions.unban_member(moderator=request.user, member=self.member(username))
        return self.respond(username)


# --- The member's own warnings -----------------------------------------------------------------


class MyWarningsView(GenericAPIView):
    serializer_class = SanctionSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="me_warnings_list",
        tags=["me"],
        summary="My warnings and sanctions",
        description="Newest first, each with the charter clause and the moderators' message. Reading them "
        "through `POST /api/v1/me/warnings/seen/` clears the notice on the site.",
        responses=SanctionSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(queries.member_sanctions(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MyWarningsSeenView(GenericAPIView):
    permission_classes = [Authenticated]
    serializer_class = None

    @extend_schema(
        operation_id="me_warnings_seen",
        tags=["me"],
        summary="Mark my warnings as read",
        request=None,
        responses={204: None},
    )
    def post(self, request):
        sanctions.mark_warnings_seen(user=request.user)
        return Response(status=204)
