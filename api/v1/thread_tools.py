"""Thread tools (moderators): lock, pin, close as a duplicate, retag, merge,
move answers. Each goes through forum.services.thread_tools, which writes the
audit log; the answer is the thread as it now stands."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated, IsModerator
from api.v1.common import CONFLICT, ThreadTarget, parse
from forum import queries
from forum.services import thread_tools


class ToolReasonInput(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="Why (kept in the audit log)."
    )


class DuplicateInput(ToolReasonInput):
    original = serializers.IntegerField(help_text="The id of the thread this one duplicates.")


class RetagInput(ToolReasonInput):
    tags = serializers.ListField(child=serializers.CharField(), help_text="The thread's new tags.")


class MergeInput(ToolReasonInput):
    into = serializers.IntegerField(help_text="The id of the thread that receives every answer.")


class MoveInput(ToolReasonInput):
    answers = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of answers of this thread.")
    to = serializers.IntegerField(help_text="The id of the thread they move to.")


class ModeratedThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    is_locked = serializers.BooleanField()
    is_pinned = serializers.SerializerMethodField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    tags = serializers.SerializerMethodField()
    answer_count = serializers.IntegerField()

    def get_is_pinned(self, question) -> bool:
        return question.pinned_at is not None

    def get_tags(self, question) -> list[str]:
        return sorted(question.tags.names())


# --- Views ---------------------------------------------------------------------------


class ThreadToolView(ThreadTarget, GenericAPIView):
    serializer_class = ModeratedThreadSerializer
    permission_classes = [Authenticated, IsModerator]

    def respond(self, question) -> Response:
        question.refresh_from_db()
        return Response(self.get_serializer(question).data)


class ThreadLockView(ThreadToolView):
    @extend_schema(
        operation_id="threads_lock",
        tags=["moderation"],
        summary="Lock a thread (moderators)",
        description="No new answers, votes or acceptance.",
        request=ToolReasonInput,
    )
    def post(self, request, pk: int):
        data = parse(ToolReasonInput, request.data)
        return self.respond(
            thread_tools.set_locked(moderator=request.user, question=self.post_of(pk), locked=True, **data)
        )

    @extend_schema(
        operation_id="threads_unlock",
        tags=["moderation"],
        summary="Unlock a thread (moderators)",
        description="Also reopens a thread closed as a duplicate.",
        responses={200: ModeratedThreadSerializer},
    )
    def delete(self, request, pk: int):
        return self.respond(thread_tools.set_locked(moderator=request.user, question=self.post_of(pk), locked=False))


class ThreadPinView(ThreadToolView):
    @extend_schema(
        operation_id="threads_pin",
        tags=["moderation"],
        summary="Pin a thread on the home page (moderators)",
        request=ToolReasonInput,
        responses={
            200: ModeratedThreadSerializer,
            409: CONFLICT,
        },
    )
    def post(self, request, pk: int):
        data = parse(ToolReasonInput, request.data)
        return self.respond(
            thread_tools.set_pinned(moderator=request.user, question=self.post_of(pk), pinned=True, **data)
        )

    @extend_schema(
        operation_id="threads_unpin",
        tags=["moderation"],
        summary="Unpin a thread (moderators)",
        responses={200: ModeratedThreadSerializer},
    )
    def delete(self, request, pk: int):
        return self.respond(thread_tools.set_pinned(moderator=request.user, question=self.post_of(pk), pinned=False))


class ThreadDuplicateView(ThreadToolView):
    @extend_schema(
        operation_id="threads_close_duplicate",
        tags=["moderation"],
        summary="Close a thread as a duplicate (moderators)",
        description="Locks it; its page shows a banner linking to the original.",
        request=DuplicateInput,
    )
    def post(self, request, pk: int):
        data = parse(DuplicateInput, request.data)
        original = queries.get_visible_question(request.user, data.pop("original"))
        question = thread_tools.close_as_duplicate(
            moderator=request.user, question=self.post_of(pk), original=original, **data
        )
        return self.respond(question)


class ThreadRetagView(ThreadToolView):
    @extend_schema(
        operation_id="threads_retag",
        tags=["moderation"],
        summary="Retag a thread (moderators)",
        request=RetagInput,
    )
    def post(self, request, pk: int):
        data = parse(RetagInput, request.data)
        return self.respond(thread_tools.retag(moderator=request.user, question=self.post_of(pk), **data))


class ThreadMergeView(ThreadToolView):
    @extend_schema(
        operation_id="threads_merge",
        tags=["moderation"],
        summary="Merge a thread into another (moderators)",
        description="Every answer moves to `into`; this thread is closed as its duplicate. Returns `into`.",
        request=MergeInput,
    )
    def post(self, request, pk: int):
        data = parse(MergeInput, request.data)
        target = queries.get_visible_question(request.user, data.pop("into"))
        return self.respond(
            thread_tools.merge_threads(moderator=request.user, source=self.post_of(pk), target=target, **data)
        )


class ThreadMoveAnswersView(ThreadToolView):
    @extend_schema(
        operation_id="threads_move_answers",
        tags=["moderation"],
        summary="Move answers to another thread (moderators)",
        description="Returns the thread they moved to.",
        request=MoveInput,
    )
    def post(self, request, pk: int):
        data = parse(MoveInput, request.data)
        source = self.post_of(pk)
        target = queries.get_visible_question(request.user, data.pop("to"))
        moved = list(source.answers.filter(pk__in=data.pop("answers")))
        thread_tools.move_answers(moderator=request.user, answers=moved, target=target, **data)
        return self.respond(target)
