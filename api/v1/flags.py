"""Reporting a thread or an answer to the moderators ("flags"), and appealing a
moderator's decision to hide one's post."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import AnswerTarget, ThreadTarget, UtcDateTimeField, current_user, parse
from forum import permissions, queries
from forum.charter import hold_explanation
from forum.models import CharterClause, FlagReason, HoldReason, ReviewItem, Visibility
from forum.services import flags, moderation


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    post_type = serializers.CharField(source="post_kind", read_only=True, help_text="`question` or `answer`.")
    post_id = serializers.SerializerMethodField()
    reason = serializers.ChoiceField(choices=FlagReason.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    created_at = UtcDateTimeField()

    def get_post_id(self, flag) -> int:
        return flag.question_id or flag.answer_id


@extend_schema_field({"type": "string", "enum": FlagReason.values})
class FlagReasonField(serializers.CharField):
    """Documented as its choices; judged by the service, so its message is the web's."""


class FlagInput(serializers.Serializer):
    reason = FlagReasonField(help_text="Why the post breaks the charter.")
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="What is wrong, for the moderators (at most 500 characters; required with `other`).",
    )


class FlagView(GenericAPIView):
    serializer_class = FlagSerializer
    permission_classes = [Authenticated]
    write_scope = "flag"

    def post_of(self, pk: int):
        raise NotImplementedError

    def post(self, request, pk: int):
        data = parse(FlagInput, request.data)
        flag = flags.flag_post(user=request.user, post=self.post_of(pk), **data)
        return Response(self.get_serializer(flag).data, status=201)


_FLAG_DESCRIPTION = (
    "Once per member and post. The post stays visible until the reports of distinct members add up to the "
    "hiding threshold (3 by default; reports from members whose past reports were rejected weigh less) or a "
    "moderator reports it: it is then hidden pending review and disappears live for everyone else. Not allowed "
    "on one's own post or while suspended. Rate limited in the `flag` scope and per day."
)


class ThreadFlagView(ThreadTarget, FlagView):
    @extend_schema(
        operation_id="threads_flag",
        tags=["moderation"],
        summary="Report a thread",
        description=_FLAG_DESCRIPTION,
        request=FlagInput,
        responses={201: FlagSerializer, 409: OpenApiResponse(description="You already reported this thread.")},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class AnswerFlagView(AnswerTarget, FlagView):
    @extend_schema(
        operation_id="answers_flag",
        tags=["moderation"],
        summary="Report an answer",
        description=_FLAG_DESCRIPTION,
        request=FlagInput,
        responses={201: FlagSerializer, 409: OpenApiResponse(description="You already reported this answer.")},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The review item the appeal opened.")
    status = serializers.ChoiceField(choices=ReviewItem.Status.choices, read_only=True)
    appeal_text = serializers.CharField(read_only=True)
    created_at = UtcDateTimeField()


class AppealInput(serializers.Serializer):
    text = serializers.CharField(
        trim_whitespace=False, help_text="Why the post should be published again (10 to 1000 characters)."
    )


class AppealView(GenericAPIView):
    serializer_class = AppealSerializer
    permission_classes = [Authenticated]

    def post_of(self, pk: int):
        raise NotImplementedError

    def post(self, request, pk: int):
        data = parse(AppealInput, request.data)
        item = moderation.appeal(user=request.user, post=self.post_of(pk), text=data["text"])
        return Response(self.get_serializer(item).data, status=201)


_APPEAL_DESCRIPTION = (
    "By the author of a post hidden by moderation, once per post: the post goes back to the review queue, "
    f"marked `{HoldReason.APPEAL}`, for a moderator other than the one who hid it."
)


class ThreadAppealView(ThreadTarget, AppealView):
    @extend_schema(
        operation_id="threads_appeal",
        tags=["moderation"],
        summary="Appeal the hiding of my thread",
        description=_APPEAL_DESCRIPTION,
        request=AppealInput,
        responses={201: AppealSerializer, 409: OpenApiResponse(description="Already appealed.")},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class AnswerAppealView(AnswerTarget, AppealView):
    @extend_schema(
        operation_id="answers_appeal",
        tags=["moderation"],
        summary="Appeal the hiding of my answer",
        description=_APPEAL_DESCRIPTION,
        request=AppealInput,
        responses={201: AppealSerializer, 409: OpenApiResponse(description="Already appealed.")},
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- Why a post is not public (on answers and threads, for their author) ------------------


class PostModerationSerializer(serializers.Serializer):
    """Only for the post's author and moderators, and only while the post is
    pending or hidden; `null` otherwise."""

    reason = serializers.CharField(
        allow_null=True, help_text="Pending: why it waits (`first_posts`, `links`, `personal_data`, `flags`…)."
    )
    explanation = serializers.CharField(help_text="What the author is told, in the request's language.")
    clause = serializers.CharField(allow_null=True, help_text="Hidden: the charter clause.")
    clause_text = serializers.CharField(allow_null=True, help_text="Hidden: the clause in words.")
    note = serializers.CharField(help_text="Hidden: the moderators' note to the author.")
    can_appeal = serializers.BooleanField(help_text="Whether the author may still ask for a second review.")


@extend_schema_field(PostModerationSerializer(allow_null=True))
class PostModerationField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Why the post is pending or hidden (its author and moderators only).")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, post) -> dict | None:
        user = current_user(self)
        if post.visibility not in (Visibility.PENDING, Visibility.HIDDEN):
            return None
        if not (getattr(user, "pk", None) == post.author_id or permissions.is_moderator(user)):
            return None
        if post.visibility == Visibility.PENDING:
            return {
                "reason": post.moderation_reason or None,
                "explanation": hold_explanation(post.moderation_reason),
                "clause": None,
                "clause_text": None,
                "note": "",
                "can_appeal": False,
            }
        clause = post.moderation_reason if post.moderation_reason in CharterClause.values else None
        return {
            "reason": None,
            "explanation": _("Hidden by the moderators: only you and the moderators can see it."),
            "clause": clause,
            "clause_text": str(CharterClause(clause).label) if clause else None,
            "note": post.moderation_note,
            "can_appeal": permissions.can_appeal(user, post) and not queries.appealed(post),
        }
