"""Moderators' API: the review queue and its decisions, hiding and restoring
posts, thread tools, sanctions and the audit log; and, for every member, their
own warnings.

Every decision goes through forum.services (which asks forum.permissions and
writes the audit log); every endpoint here answers 403 to a member who is not
a moderator. The audit log is read-only: no endpoint changes or deletes an
entry."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import AuthorSerializer, UtcDateTimeField, absolute, parse
from forum import permissions, queries
from forum.exceptions import NotFound
from forum.models import CharterClause, HoldReason, ReviewItem, Visibility
from forum.presenters import member_history_data, review_item_data
from forum.services import moderation, sanctions, thread_tools

# --- Shapes --------------------------------------------------------------------------


class FlaggerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class QueueFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    text = serializers.CharField()
    weight = serializers.FloatField(help_text="1 for a reliable member, less after rejected reports.")
    status = serializers.CharField(help_text="`open`, `upheld` or `rejected`.")
    flagger = FlaggerSerializer()
    created_at = serializers.DateTimeField()


class QueuePostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="The thread's title (for an answer, the title of its thread).")
    body = serializers.CharField(help_text="Markdown source.")
    body_html = serializers.CharField(help_text="Rendered and sanitised HTML.")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    moderation_reason = serializers.CharField()
    moderation_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    web_url = serializers.URLField()


class MemberHistorySerializer(serializers.Serializer):
    joined_at = serializers.DateTimeField()
    question_count = serializers.IntegerField(allow_null=True)
    answer_count = serializers.IntegerField(allow_null=True)
    hidden_count = serializers.IntegerField(allow_null=True, help_text="Posts of theirs moderators hid.")
    approved_count = serializers.IntegerField(allow_null=True, help_text="Other decisions on their posts.")
    sanction_count = serializers.IntegerField(allow_null=True)
    is_suspended = serializers.BooleanField()
    is_active = serializers.BooleanField()


class QueueAuthorSerializer(AuthorSerializer):
    history = MemberHistorySerializer(read_only=True)


class ReviewItemSerializer(serializers.Serializer):
    """One entry of the review queue: the post, why it is there, its reports and
    its author's history. Built by forum.presenters.review_item_data."""

    id = serializers.IntegerField()
    status = serializers.CharField(help_text="`open` or `decided`.")
    post_type = serializers.CharField(help_text="`question` or `answer`.")
    post_id = serializers.IntegerField()
    question_id = serializers.IntegerField(help_text="The thread (the question itself, or the answer's thread).")
    title = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=HoldReason.choices), help_text="Why the post is in the queue."
    )
    is_appeal = serializers.BooleanField()
    appeal_text = serializers.CharField()
    details = serializers.DictField(help_text='What the screening found, e.g. {"personal_data": ["phone"]}.')
    post = QueuePostSerializer()
    author = QueueAuthorSerializer()
    flags = QueueFlagSerializer(many=True)
    flag_weight = serializers.FloatField(help_text="Summed weight of the open reports.")
    decision = serializers.CharField(
        allow_null=True, help_text="Once decided: " + ", ".join(ReviewItem.Decision.values)
    )
    clause = serializers.CharField(allow_null=True, help_text="The charter clause of a hide.")
    note = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True, help_text="Username of the moderator who decided.")
    decided_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, item) -> dict:
        data = review_item_data(item)
        request = self.context.get("request")
        data["post"]["web_url"] = absolute(request, data["post"]["web_url"])
        data["author"]["web_url"] = absolute(request, data["author"]["web_url"])
        return data


class QueueParams(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "decided"], required=False, default="open")
    reason = serializers.ChoiceField(choices=list(queries.REVIEW_FILTERS), required=False, default="all")
    type = serializers.ChoiceField(choices=["all", "question", "answer"], required=False, default="all")


# Documented as their choices and ranges; judged by the services, so that the
# API and the web word their refusals the same way.
@extend_schema_field({"type": "string", "enum": ReviewItem.Decision.values})
class DecisionField(serializers.CharField):
    pass


@extend_schema_field({"type": "string", "enum": CharterClause.values})
class ClauseField(serializers.CharField):
    pass


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 365})
class DaysField(serializers.IntegerField):
    pass


class DecisionInput(serializers.Serializer):
    decision = DecisionField()
    clause = ClauseField(
        required=False, allow_blank=True, help_text="The charter clause, required to hide; the author reads it."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="A word for the author (≤ 1000)."
    )
    title = serializers.CharField(required=False, trim_whitespace=False, help_text="`edit_approve` of a thread.")
    body = serializers.CharField(required=False, trim_whitespace=False, help_text="`edit_approve`: corrected text.")


class BulkInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="Review item ids (at most 100).")
    decision = DecisionField(help_text="`approve`, `hide` or `restore` (`edit_approve` works one post at a time).")
    clause = ClauseField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class BulkResultSerializer(serializers.Serializer):
    results = serializers.DictField(
        child=serializers.CharField(), help_text="For each id: `ok`, or why it was skipped."
    )


class HideInput(serializers.Serializer):
    clause = ClauseField(help_text="The charter clause the post breaks; its author reads it.")
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


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

    def get_clause_text(self, sanction) -> str:
        return str(CharterClause(sanction.clause).label)


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


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = UtcDateTimeField()
    actor = serializers.CharField(source="actor.username", allow_null=True, help_text="Null for the system.")
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField(allow_null=True)
    target_repr = serializers.CharField()
    reason = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class AuditParams(serializers.Serializer):
    action = serializers.CharField(required=False)
    actor = serializers.CharField(required=False)
    target = serializers.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so these two cannot be declared above.
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)


# --- Review queue --------------------------------------------------------------------


class ModeratorView(GenericAPIView):
    permission_classes = [Authenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An unsupported method stays a 405 for everyone.
        if hasattr(self, request.method.lower()):
            permissions.check_can_review(request.user)


class QueueView(ModeratorView):
    serializer_class = ReviewItemSerializer

    @extend_schema(
        operation_id="moderation_queue_list",
        tags=["moderation"],
        summary="The review queue (moderators)",
        description="Open items oldest first (`status=decided`: the decided ones, newest first). The live "
        "version is the `moderation` websocket topic (`review.added`, `review.updated`, `review.resolved`).",
        parameters=[QueueParams],
        responses=ReviewItemSerializer(many=True),
    )
    def get(self, request):
        params = parse(QueueParams, request.query_params)
        items = queries.review_queue(status=params["status"], reason=params["reason"], post_type=params["type"])
        page = self.paginate_queryset(items)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class QueueItemView(ModeratorView):
    serializer_class = ReviewItemSerializer

    @extend_schema(operation_id="moderation_queue_retrieve", tags=["moderation"], summary="A review item")
    def get(self, request, pk: int):
        return Response(self.get_serializer(queries.review_item(pk)).data)


class DecisionView(ModeratorView):
    serializer_class = ReviewItemSerializer

    @extend_schema(
        operation_id="moderation_queue_decide",
        tags=["moderation"],
        summary="Decide on a review item (moderators)",
        description="`approve` publishes the post (its reports are rejected); `hide` hides it with a charter "
        "`clause` its author reads (reports upheld); `edit_approve` saves your corrected `body` (and `title`) "
        "then publishes; `restore` publishes a hidden post again. An appeal must be decided by another "
        "moderator than the one who hid the post. 409 if someone decided first.",
        request=DecisionInput,
        responses={
            200: ReviewItemSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(DecisionInput, request.data)
        item = moderation.decide(moderator=request.user, item=queries.review_item(pk), **data)
        return Response(self.get_serializer(queries.review_item(item.pk)).data)


class BulkDecisionView(ModeratorView):
    serializer_class = BulkResultSerializer

    @extend_schema(
        operation_id="moderation_queue_bulk",
        tags=["moderation"],
        summary="Decide on several review items (moderators)",
        description="Each item is decided on its own (and audited on its own); `results` says which were skipped.",
        request=BulkInput,
    )
    def post(self, request):
        data = parse(BulkInput, request.data)
        results = moderation.decide_many(moderator=request.user, item_ids=data.pop("ids"), **data)
        return Response({"results": {str(pk): outcome for pk, outcome in results.items()}})


# --- Hiding and restoring posts ---------------------------------------------------------


class PostModerationView(ModeratorView):
    serializer_class = ReviewItemSerializer

    def respond(self, item) -> Response:
        return Response(self.get_serializer(queries.review_item(item.pk)).data)


_HIDE_DESCRIPTION = "It disappears live for everyone but its author, who reads the clause and your note."


class ThreadHideView(PostModerationView):
    @extend_schema(
        operation_id="threads_hide",
        tags=["moderation"],
        summary="Hide a thread (moderators)",
        description=_HIDE_DESCRIPTION,
        request=HideInput,
        responses={
            200: ReviewItemSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(HideInput, request.data)
        question = queries.get_visible_question(request.user, pk)
        return self.respond(moderation.hide_post(moderator=request.user, post=question, **data))


class AnswerHideView(PostModerationView):
    @extend_schema(
        operation_id="answers_hide",
        tags=["moderation"],
        summary="Hide an answer (moderators)",
        description=_HIDE_DESCRIPTION,
        request=HideInput,
        responses={
            200: ReviewItemSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(HideInput, request.data)
        answer = queries.get_visible_answer(request.user, pk)
        return self.respond(moderation.hide_post(moderator=request.user, post=answer, **data))


class ThreadRestoreView(PostModerationView):
    @extend_schema(
        operation_id="threads_restore",
        tags=["moderation"],
        summary="Publish a hidden or pending thread (moderators)",
        request=NoteInput,
        responses={
            200: ReviewItemSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(NoteInput, request.data)
        question = queries.get_visible_question(request.user, pk)
        return self.respond(moderation.restore_post(moderator=request.user, post=question, **data))


class AnswerRestoreView(PostModerationView):
    @extend_schema(
        operation_id="answers_restore",
        tags=["moderation"],
        summary="Publish a hidden or pending answer (moderators)",
        request=NoteInput,
        responses={
            200: ReviewItemSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(NoteInput, request.data)
        answer = queries.get_visible_answer(request.user, pk)
        return self.respond(moderation.restore_post(moderator=request.user, post=answer, **data))


# --- Thread tools -------------------------------------------------------------------------


class ThreadToolView(ModeratorView):
    serializer_class = ModeratedThreadSerializer

    def thread(self, pk: int):
        return queries.get_visible_question(self.request.user, pk)

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
            thread_tools.set_locked(moderator=request.user, question=self.thread(pk), locked=True, **data)
        )

    @extend_schema(
        operation_id="threads_unlock",
        tags=["moderation"],
        summary="Unlock a thread (moderators)",
        description="Also reopens a thread closed as a duplicate.",
        responses={200: ModeratedThreadSerializer},
    )
    def delete(self, request, pk: int):
        return self.respond(thread_tools.set_locked(moderator=request.user, question=self.thread(pk), locked=False))


class ThreadPinView(ThreadToolView):
    @extend_schema(
        operation_id="threads_pin",
        tags=["moderation"],
        summary="Pin a thread on the home page (moderators)",
        request=ToolReasonInput,
        responses={
            200: ModeratedThreadSerializer,
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def post(self, request, pk: int):
        data = parse(ToolReasonInput, request.data)
        return self.respond(
            thread_tools.set_pinned(moderator=request.user, question=self.thread(pk), pinned=True, **data)
        )

    @extend_schema(
        operation_id="threads_unpin",
        tags=["moderation"],
        summary="Unpin a thread (moderators)",
        responses={200: ModeratedThreadSerializer},
    )
    def delete(self, request, pk: int):
        return self.respond(thread_tools.set_pinned(moderator=request.user, question=self.thread(pk), pinned=False))


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
            moderator=request.user, question=self.thread(pk), original=original, **data
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
        return self.respond(thread_tools.retag(moderator=request.user, question=self.thread(pk), **data))


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
            thread_tools.merge_threads(moderator=request.user, source=self.thread(pk), target=target, **data)
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
        source = self.thread(pk)
        target = queries.get_visible_question(request.user, data.pop("to"))
        moved = list(source.answers.filter(pk__in=data.pop("answers")))
        thread_tools.move_answers(moderator=request.user, answers=moved, target=target, **data)
        return self.respond(target)


# --- Members and sanctions ----------------------------------------------------------------


class MemberBaseView(ModeratorView):
    serializer_class = MemberModerationSerializer

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
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
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
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
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
            409: OpenApiResponse(description="Conflicts with the current state: see `error.message`."),
        },
    )
    def delete(self, request, username: str):
        sanctions.unban_member(moderator=request.user, member=self.member(username))
        return self.respond(username)


# --- Audit log (read-only) ---------------------------------------------------------------------


class AuditLogView(ModeratorView):
    serializer_class = AuditEntrySerializer

    @extend_schema(
        operation_id="moderation_audit_list",
        tags=["moderation"],
        summary="The audit log (moderators)",
        description="Every moderation and verification decision, newest first. Append-only: nothing here, "
        "nor anywhere else, changes or deletes an entry. The web page offers a CSV export.",
        parameters=[
            OpenApiParameter("action", str, required=False, description="Prefix, e.g. `review.`."),
            OpenApiParameter("actor", str, required=False, description="Username of who acted."),
            OpenApiParameter("target", str, required=False, description="`answer:12`, a type, or words."),
            OpenApiParameter("from", OpenApiTypes.DATE, required=False, description="From this day (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, required=False, description="To this day, included."),
        ],
        responses=AuditEntrySerializer(many=True),
    )
    def get(self, request):
        params = parse(AuditParams, request.query_params)
        entries = queries.audit_log(
            action=params.get("action", ""),
            actor=params.get("actor", ""),
            target=params.get("target", ""),
            date_from=params.get("from"),
            date_to=params.get("to"),
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


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
