"""Hiding and restoring a thread or an answer straight from its page
(moderators). Each opens (or reuses) the post's review item and decides it
through forum.services.moderation, so the answer is that review item."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated, IsModerator
from api.v1.common import CONFLICT, AnswerTarget, ClauseField, ThreadTarget, parse
from api.v1.review_queue import ReviewItemSerializer
from forum import queries
from forum.services import moderation


class HideInput(serializers.Serializer):
    clause = ClauseField(help_text="The charter clause the post breaks; its author reads it.")
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class PostModerationView(GenericAPIView):
    serializer_class = ReviewItemSerializer
    permission_classes = [Authenticated, IsModerator]

    def post_of(self, pk: int):
        raise NotImplementedError

    def respond(self, item) -> Response:
        return Response(self.get_serializer(queries.review_item(item.pk)).data)


class HideView(PostModerationView):
    def post(self, request, pk: int):
        data = parse(HideInput, request.data)
        return self.respond(moderation.hide_post(moderator=request.user, post=self.post_of(pk), **data))


class RestoreView(PostModerationView):
    def post(self, request, pk: int):
        data = parse(NoteInput, request.data)
        return self.respond(moderation.restore_post(moderator=request.user, post=self.post_of(pk), **data))


_HIDE_DESCRIPTION = "It disappears live for everyone but its author, who reads the clause and your note."


@extend_schema_view(
    post=extend_schema(
        operation_id="threads_hide",
        tags=["moderation"],
        summary="Hide a thread (moderators)",
        description=_HIDE_DESCRIPTION,
        request=HideInput,
        responses={200: ReviewItemSerializer, 409: CONFLICT},
    )
)
class ThreadHideView(ThreadTarget, HideView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="answers_hide",
        tags=["moderation"],
        summary="Hide an answer (moderators)",
        description=_HIDE_DESCRIPTION,
        request=HideInput,
        responses={200: ReviewItemSerializer, 409: CONFLICT},
    )
)
class AnswerHideView(AnswerTarget, HideView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="threads_restore",
        tags=["moderation"],
        summary="Publish a hidden or pending thread (moderators)",
        request=NoteInput,
        responses={200: ReviewItemSerializer, 409: CONFLICT},
    )
)
class ThreadRestoreView(ThreadTarget, RestoreView):
    pass


@extend_schema_view(
    post=extend_schema(
        operation_id="answers_restore",
        tags=["moderation"],
        summary="Publish a hidden or pending answer (moderators)",
        request=NoteInput,
        responses={200: ReviewItemSerializer, 409: CONFLICT},
    )
)
class AnswerRestoreView(AnswerTarget, RestoreView):
    pass
