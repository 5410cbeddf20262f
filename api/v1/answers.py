"""Answers: list and post on a thread, read, edit, withdraw, vote, accept,
revisions."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.conditional import Conditional, thread_reader
from api.v1.common import (
    AuthorSerializer,
    PermissionFlag,
    RuleCharField,
    RuleListField,
    UtcDateTimeField,
    WebUrlField,
    parse,
)
from api.v1.flags import PostModerationField
from forum import events, legal_dates, permissions, queries
from forum.models import Answer, Visibility
from forum.services import answers, votes
from forum.validation import SOURCE_URL_MAX, SOURCES_MAX

RULES = settings.FORUM


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="An https link given by the author.")
    official = serializers.BooleanField(
        help_text="Whether the link is to an official site (service-public.fr, legifrance.gouv.fr, urssaf.fr…, "
        "configured by the instance)."
    )


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    thread_id = serializers.IntegerField(source="question_id", read_only=True)
    author = AuthorSerializer(source="*", read_only=True)
    body = serializers.CharField(read_only=True, help_text="Markdown source, as written.")
    body_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised HTML, safe to display.")
    vote_count = serializers.IntegerField(read_only=True)
    is_accepted = serializers.SerializerMethodField()
    has_voted = serializers.SerializerMethodField(help_text="Whether the current member voted for this answer.")
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    created_at = UtcDateTimeField()
    edited_at = UtcDateTimeField(allow_null=True)
    web_url = WebUrlField()
    can_edit = PermissionFlag(permissions.can_edit)
    can_withdraw = PermissionFlag(permissions.can_withdraw)
    can_vote = PermissionFlag(permissions.can_vote)
    can_accept = PermissionFlag(permissions.can_accept)
    moderation = PostModerationField()
    valid_as_of = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="“Valid as of” date of a legal answer (pay, aid): the day its author checked the figures.",
    )
    sources = serializers.SerializerMethodField(help_text="Up to 3 links to the sources.")
    needs_check = serializers.SerializerMethodField(
        help_text="True when the answer is on a pay or aid thread and dates from before the latest reference "
        "date (1 January by default, Europe/Paris): the figures may have changed.",
    )
    can_confirm_validity = PermissionFlag(permissions.can_confirm_validity)

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, answer: Answer) -> list[dict]:
        return legal_dates.source_links(answer.sources or [])

    def get_needs_check(self, answer: Answer) -> bool:
        return legal_dates.answer_needs_check(answer)

    def get_is_accepted(self, answer: Answer) -> bool:
        return answer.question.accepted_answer_id == answer.pk

    def get_has_voted(self, answer: Answer) -> bool:
        # Views put the current member's votes among the answers sent in the
        # context: one query per page, not one per answer.
        return answer.pk in self.context.get("voted_ids", ())


class AnswerInput(serializers.Serializer):
    body = RuleCharField(rule_min=RULES["BODY_MIN"], rule_max=RULES["BODY_MAX"], help_text="Markdown.")
    # A string the service parses, so that the web and the API word the same errors.
    valid_as_of = RuleCharField(
        rule_max=10,
        required=False,
        allow_null=True,
        help_text="Optional “valid as of” date (YYYY-MM-DD) of a legal answer: not after today in Paris, "
        "not more than 10 years back. Null removes it; left out on PATCH, it stays.",
    )
    sources = RuleListField(
        child=RuleCharField(rule_max=SOURCE_URL_MAX),
        rule_max=SOURCES_MAX,
        required=False,
        help_text="Optional links to the sources, https only, at most 3 (an empty list removes them; left out "
        "on PATCH, they stay).",
    )
    confirm_personal_data = serializers.BooleanField(
        required=False,
        default=False,
        help_text="After a 400 `personal_data` (the text looks like it contains an email, a phone number, an "
        "address or a social security number): `true` publishes anyway, and the answer waits for a moderator.",
    )


class AnswerRevisionSerializer(serializers.Serializer):
    """The text an answer had before one edit."""

    id = serializers.IntegerField(read_only=True)
    editor = AuthorSerializer(source="*", read_only=True)
    created_at = UtcDateTimeField(help_text="When the edit replaced this text.")
    body = serializers.CharField(read_only=True, help_text="Markdown source.")


class AnswerView(GenericAPIView):
    """Base for views that send answers: `has_voted` needs the member's votes."""

    serializer_class = AnswerSerializer

    def respond(self, answer: Answer, *, voted: bool | None = None, status_code: int = 200) -> Response:
        if voted is None:
            voted = bool(queries.voted_answer_ids(self.request.user, [answer.pk]))
        context = self.get_serializer_context() | {"voted_ids": {answer.pk} if voted else set()}
        return Response(AnswerSerializer(answer, context=context).data, status=status_code)


class ThreadAnswerListView(AnswerView):
    write_scopes = {"post": "answer"}

    @extend_schema(
        operation_id="threads_answers_list",
        tags=["answers"],
        summary="Answers of a thread",
        description="The accepted answer first, then answers by verified HR or school staff, then the most "
        "helpful, then the oldest. Sends a weak `ETag`: send it back in `If-None-Match` to get a 304 when "
        "nothing you can see changed.",
        parameters=[
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False),
            OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 304]),
        ],
        responses={200: AnswerSerializer(many=True), 304: OpenApiResponse(description="Not modified.")},
    )
    def get(self, request, pk: int):
        # Conditional like the thread (docs/api.md, "Caching"): one body per
        # version of the thread for anonymous readers, and one for the members
        # who took no part in it (their flags are every such member's). No
        # view is counted here: the HTTP cache in front may keep both until
        # the thread changes, asking first which a member gets
        # (api/edge_reader.py, forum/http_cache.py).
        conditional = Conditional(request, [events.thread_topic(pk)], reader=lambda: thread_reader(request, pk))
        question = queries.get_visible_question(request.user, pk)
        if not_modified := conditional.check():
            return not_modified
        if (shared := conditional.cached()) is not None:
            return conditional.finish(Response(shared), shared=True, members=True)
        page = self.paginate_queryset(queries.thread_answers(request.user, question))
        voted = queries.voted_answer_ids(request.user, [answer.pk for answer in page])
        context = self.get_serializer_context() | {"voted_ids": voted}
        response = self.get_paginated_response(AnswerSerializer(page, many=True, context=context).data)
        conditional.store(response.data)
        return conditional.finish(response, response.data, shared=True, members=True)

    @extend_schema(
        operation_id="threads_answers_create",
        tags=["answers"],
        summary="Answer a thread",
        description="Rate limited in the `answer` scope.",
        request=AnswerInput,
        responses={201: AnswerSerializer, 409: OpenApiResponse(description="The same text was just posted.")},
    )
    def post(self, request, pk: int):
        data = parse(AnswerInput, request.data)
        question = queries.get_visible_question(request.user, pk)
        answer = answers.post_answer(author=request.user, question=question, **data)
        response = self.respond(answer, voted=False, status_code=201)
        response["Location"] = response.data["web_url"]
        return response


class AnswerDetailView(AnswerView):
    @extend_schema(operation_id="answers_retrieve", tags=["answers"], summary="Read an answer")
    def get(self, request, pk: int):
        return self.respond(queries.get_visible_answer(request.user, pk))

    @extend_schema(
        operation_id="answers_update",
        tags=["answers"],
        summary="Edit an answer",
        description="By its author or a moderator; the previous text is kept as a revision.",
        request=AnswerInput,
        responses={200: AnswerSerializer},
    )
    def patch(self, request, pk: int):
        data = parse(AnswerInput, request.data)
        answer = queries.get_visible_answer(request.user, pk)
        answer = answers.edit_answer(editor=request.user, answer=answer, **data)
        return self.respond(answer)

    @extend_schema(
        operation_id="answers_withdraw",
        tags=["answers"],
        summary="Withdraw an answer",
        description="By its author. The answer disappears from the thread; nothing is deleted.",
        responses={204: OpenApiResponse(description="Withdrawn.")},
    )
    def delete(self, request, pk: int):
        answer = queries.get_visible_answer(request.user, pk)
        answers.withdraw_answer(user=request.user, answer=answer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnswerVoteView(AnswerView):
    write_scope = "vote"

    @extend_schema(
        operation_id="answers_vote",
        tags=["answers"],
        summary="Vote “this helped me”",
        description="Idempotent: voting twice keeps one vote. Rate limited in the `vote` scope.",
        request=None,
        responses={200: AnswerSerializer},
    )
    def post(self, request, pk: int):
        answer = votes.cast_vote(user=request.user, answer=queries.get_visible_answer(request.user, pk))
        return self.respond(answer, voted=True)

    @extend_schema(
        operation_id="answers_unvote",
        tags=["answers"],
        summary="Take a vote back",
        description="Idempotent.",
        responses={200: AnswerSerializer},
    )
    def delete(self, request, pk: int):
        answer = votes.retract_vote(user=request.user, answer=queries.get_visible_answer(request.user, pk))
        return self.respond(answer, voted=False)


class AnswerAcceptView(AnswerView):
    @extend_schema(
        operation_id="answers_accept",
        tags=["answers"],
        summary="Accept an answer",
        description="By the person who asked. Replaces a previously accepted answer; the thread becomes solved.",
        request=None,
        responses={200: AnswerSerializer},
    )
    def post(self, request, pk: int):
        answer = queries.get_visible_answer(request.user, pk)
        answer.question = answers.accept_answer(user=request.user, answer=answer)
        return self.respond(answer)

    @extend_schema(
        operation_id="answers_unaccept",
        tags=["answers"],
        summary="Un-accept an answer",
        description="By the person who asked. Idempotent.",
        responses={200: AnswerSerializer},
    )
    def delete(self, request, pk: int):
        answer = queries.get_visible_answer(request.user, pk)
        answer.question = answers.unaccept_answer(user=request.user, answer=answer)
        return self.respond(answer)


class AnswerRevisionListView(GenericAPIView):
    serializer_class = AnswerRevisionSerializer

    @extend_schema(
        operation_id="answers_revisions_list",
        tags=["answers"],
        summary="Previous versions of an answer",
        responses=AnswerRevisionSerializer(many=True),
    )
    def get(self, request, pk: int):
        answer = queries.get_visible_answer(request.user, pk)
        page = self.paginate_queryset(queries.post_revisions(answer))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
