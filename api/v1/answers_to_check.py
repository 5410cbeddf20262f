"""Dated legal answers to refresh (forum/legal_dates.py): a member's own, the
moderators' list of all, and "still valid as of today" on one answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from api.permissions import Authenticated, IsModerator
from api.v1.answers import AnswerSerializer, AnswerView
from api.v1.common import parse
from api.v1.users import ThreadReferenceSerializer
from forum import queries
from forum.services import answers
from forum.validation import normalise_tag


class AnswerToCheckSerializer(AnswerSerializer):
    thread = ThreadReferenceSerializer(source="question", read_only=True)


class TagFilterInput(serializers.Serializer):
    tag = serializers.CharField(required=False, allow_blank=True)


class AnswersToCheckView(GenericAPIView):
    serializer_class = AnswerToCheckSerializer
    permission_classes = [Authenticated]

    def answers(self, request):
        return queries.answers_to_check(request.user, author=request.user)

    def get(self, request):
        page = self.paginate_queryset(self.answers(request))
        voted = queries.voted_answer_ids(request.user, [answer.pk for answer in page])
        context = self.get_serializer_context() | {"voted_ids": voted}
        return self.get_paginated_response(AnswerToCheckSerializer(page, many=True, context=context).data)


class MyAnswersToCheckView(AnswersToCheckView):
    @extend_schema(
        operation_id="me_answers_to_check_list",
        tags=["answers"],
        summary="My answers to check",
        description="Your answers on pay and aid threads whose figures date from before the latest reference date "
        "(`needs_check`): confirm them (`POST /answers/{id}/confirm-validity/`) or edit them. Oldest first.",
        responses=AnswerToCheckSerializer(many=True),
    )
    def get(self, request):
        return super().get(request)


class ModerationAnswersToCheckView(AnswersToCheckView):
    permission_classes = [Authenticated, IsModerator]

    def answers(self, request):
        tag = normalise_tag(parse(TagFilterInput, request.query_params).get("tag") or "")
        return queries.answers_to_check(request.user, tag=tag)

    @extend_schema(
        operation_id="moderation_answers_to_check_list",
        tags=["moderation"],
        summary="Every answer to check",
        description="Moderators: every answer that needs checking, oldest first, optionally on threads with one tag.",
        parameters=[OpenApiParameter("tag", str, description="Only threads with this tag, e.g. `salaire`.")],
        responses=AnswerToCheckSerializer(many=True),
    )
    def get(self, request):
        return super().get(request)


class AnswerConfirmValidityView(AnswerView):
    @extend_schema(
        operation_id="answers_confirm_validity",
        tags=["answers"],
        summary="Confirm an answer is still valid",
        description="By its author or a moderator: the answer's `valid_as_of` becomes today (Europe/Paris), so it "
        "no longer needs checking. Idempotent. Publishes `answer.updated`.",
        request=None,
        responses={200: AnswerSerializer},
    )
    def post(self, request, pk: int):
        answer = queries.get_visible_answer(request.user, pk)
        return self.respond(answers.confirm_answer_validity(user=request.user, answer=answer))
