"""The current member's own profile."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import RuleCharField, UtcDateTimeField, parse
from api.v1.users import PublicProfileSerializer
from forum import permissions
from forum.models import UserRole
from forum.services.profiles import PROFILE_LIMITS, update_profile


class MeSerializer(PublicProfileSerializer):
    question_count = None
    answer_count = None
    email = serializers.EmailField(read_only=True, help_text="Private: only you see it.")
    display_name = serializers.CharField(read_only=True, help_text="Empty when you use your username.")
    is_moderator = serializers.SerializerMethodField()
    suspended_until = UtcDateTimeField(
        allow_null=True, help_text="While in the future you can read but not post, vote or flag."
    )

    def get_is_moderator(self, user) -> bool:
        return permissions.is_moderator(user)


class MeInput(serializers.Serializer):
    display_name = RuleCharField(
        required=False, rule_max=PROFILE_LIMITS["display_name"], help_text="Empty to use your username."
    )
    role = serializers.ChoiceField(choices=UserRole.choices, required=False, help_text="Who you are (self-declared).")
    school = RuleCharField(required=False, rule_max=PROFILE_LIMITS["school"])
    region = RuleCharField(required=False, rule_max=PROFILE_LIMITS["region"])
    bio = RuleCharField(required=False, rule_max=PROFILE_LIMITS["bio"])


class MeView(GenericAPIView):
    serializer_class = MeSerializer
    permission_classes = [Authenticated]

    @extend_schema(operation_id="me_retrieve", tags=["me"], summary="My profile")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(
        operation_id="me_update",
        tags=["me"],
        summary="Edit my profile",
        description="Fields left out keep their value.",
        request=MeInput,
        responses={200: MeSerializer},
    )
    def patch(self, request):
        data = parse(MeInput, request.data)
        return Response(self.get_serializer(update_profile(user=request.user, **data)).data)
