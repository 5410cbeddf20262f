"""Public profiles of members, and their answers."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.v1.common import BadgeSerializer, UtcDateTimeField, WebUrlField
from forum import queries
from forum.models import UserRole
from forum.presenters import author_data


class PublicProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(source="public_name", read_only=True)
    badges = serializers.SerializerMethodField(help_text="Verified badges, as in author objects.")
    role = serializers.ChoiceField(
        choices=UserRole.choices, read_only=True, help_text="Self-declared, never verified: badges are."
    )
    school = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    bio = serializers.CharField(read_only=True)
    date_joined = UtcDateTimeField()
    question_count = serializers.IntegerField(read_only=True, help_text="Threads of theirs you can see.")
    answer_count = serializers.IntegerField(read_only=True, help_text="Answers of theirs you can see.")
    web_url = WebUrlField()

    @extend_schema_field(BadgeSerializer(many=True))
    def get_badges(self, user) -> list[dict]:
        # Same function as the author objects (forum.presenters), same data.
        return author_data(user)["badges"]


class ThreadReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    web_url = WebUrlField()


class MemberAnswerSerializer(serializers.Serializer):
    """An answer in a member's activity: where it was posted, not who posted it."""

    id = serializers.IntegerField(read_only=True)
    thread = ThreadReferenceSerializer(source="question", read_only=True)
    body_html = serializers.CharField(read_only=True)
    vote_count = serializers.IntegerField(read_only=True)
    is_accepted = serializers.SerializerMethodField()
    created_at = UtcDateTimeField()
    web_url = WebUrlField()

    def get_is_accepted(self, answer) -> bool:
        return answer.question.accepted_answer_id == answer.pk


class UserDetailView(GenericAPIView):
    serializer_class = PublicProfileSerializer

    @extend_schema(
        operation_id="users_retrieve",
        tags=["users"],
        summary="A member's public profile",
        description="Their threads: `GET /api/v1/threads/?author={username}`.",
    )
    def get(self, request, username: str):
        member = queries.get_member(username)
        threads, answers = queries.user_activity(request.user, member)
        member.question_count = threads.count()
        member.answer_count = answers.count()
        return Response(self.get_serializer(member).data)


class UserAnswerListView(GenericAPIView):
    serializer_class = MemberAnswerSerializer

    @extend_schema(
        operation_id="users_answers_list",
        tags=["users"],
        summary="A member's answers",
        description="Newest first, those you can see.",
        responses=MemberAnswerSerializer(many=True),
    )
    def get(self, request, username: str):
        _threads, answers = queries.user_activity(request.user, queries.get_member(username))
        page = self.paginate_queryset(answers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
