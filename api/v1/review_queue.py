"""The review queue (moderators): the items waiting for a decision, each with
its post, reports and author's history, and the decisions on them, one by one
or in bulk. Decisions go through forum.services.moderation, which writes the
audit log."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated, IsModerator
from api.v1.common import CONFLICT, AuthorSerializer, ClauseField, absolute, parse
from forum import queries
from forum.models import HoldReason, ReviewItem, Visibility
from forum.presenters import review_item_data
from forum.services import moderation

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


# Documented as its choices; judged by the service, so that the API and the web
# word their refusals the same way.
@extend_schema_field({"type": "string", "enum": ReviewItem.Decision.values})
class DecisionField(serializers.CharField):
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


# --- Views ---------------------------------------------------------------------------


class QueueView(GenericAPIView):
    serializer_class = ReviewItemSerializer
    permission_classes = [Authenticated, IsModerator]

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


class QueueItemView(GenericAPIView):
    serializer_class = ReviewItemSerializer
    permission_classes = [Authenticated, IsModerator]

    @extend_schema(operation_id="moderation_queue_retrieve", tags=["moderation"], summary="A review item")
    def get(self, request, pk: int):
        return Response(self.get_serializer(queries.review_item(pk)).data)


class DecisionView(GenericAPIView):
    serializer_class = ReviewItemSerializer
    permission_classes = [Authenticated, IsModerator]

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
            409: CONFLICT,
        },
    )
    def post(self, request, pk: int):
        data = parse(DecisionInput, request.data)
        item = moderation.decide(moderator=request.user, item=queries.review_item(pk), **data)
        return Response(self.get_serializer(queries.review_item(item.pk)).data)


class BulkDecisionView(GenericAPIView):
    serializer_class = BulkResultSerializer
    permission_classes = [Authenticated, IsModerator]

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
