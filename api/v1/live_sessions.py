"""Live Q&A sessions ("chats conseil") for the app: lists, a session, its
questions (submit, vote), the hosts' actions (pick, answer), the moderators'
(hide, approve, merge), the transcript and conversion to threads. Live updates
come on the websocket topic `live:<id>` (docs/websocket.md)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import CONFLICT, AuthorSerializer, RuleCharField, RuleListField, absolute, current_user, parse
from forum import permissions, queries
from forum.exceptions import InvalidInput
from forum.models import LiveQuestion, LiveSession, Phase, User
from forum.presenters import live_question_data, live_session_data
from forum.services import live_sessions as services

WHEN = ("upcoming", "past", "all")


class LiveOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


class LiveSessionSerializer(serializers.Serializer):
    """A session as every front door shows it (forum.presenters.live_session_data),
    plus what the current member may do."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    description_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised by the server.")
    starts_at = serializers.DateTimeField(read_only=True, help_text="UTC; pages show Europe/Paris.")
    ends_at = serializers.DateTimeField(read_only=True)
    phase = serializers.ChoiceField(
        choices=Phase.choices,
        read_only=True,
        help_text="Computed from the times at each request; `cancelled` once called off, whatever the time.",
    )
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancel_note = serializers.CharField(read_only=True, help_text="Why it was cancelled (may be empty).")
    hosts = AuthorSerializer(many=True, read_only=True)
    organization = LiveOrganizationSerializer(allow_null=True, read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    web_url = serializers.URLField(read_only=True)
    transcript_url = serializers.URLField(read_only=True)
    calendar_url = serializers.URLField(read_only=True, help_text="An iCalendar (.ics) file of the session.")
    topic = serializers.CharField(read_only=True, help_text="The websocket topic: `live:<id>`.")
    is_following = serializers.BooleanField(read_only=True)
    is_host = serializers.BooleanField(read_only=True, help_text="The member may pick and answer questions now.")
    can_submit = serializers.BooleanField(read_only=True)
    can_edit = serializers.BooleanField(
        read_only=True, help_text="The member may change or cancel the session (organiser, host or moderator)."
    )

    def to_representation(self, session) -> dict:
        request = self.context.get("request")
        user = current_user(self)
        data = live_session_data(session)
        for key in ("web_url", "transcript_url"):
            data[key] = absolute(request, data[key])
        for host in data["hosts"]:
            host["web_url"] = absolute(request, host["web_url"])
        data["calendar_url"] = absolute(request, reverse("frontend:live_calendar", kwargs={"pk": session.pk}))
        data["topic"] = f"live:{session.pk}"
        data["is_following"] = queries.follows_live_session(user, session)
        data["is_host"] = permissions.can_host(user, session)
        data["can_submit"] = permissions.can_submit_live_question(user, session)
        data["can_edit"] = permissions.can_edit_live_session(user, session)
        return data


class LiveQuestionSerializer(serializers.Serializer):
    """A question and, once answered, its answer: the websocket payload's fields
    (forum.presenters.live_question_data) plus the member's own vote."""

    id = serializers.IntegerField(read_only=True)
    session_id = serializers.IntegerField(read_only=True)
    author = AuthorSerializer(read_only=True)
    body_html = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    visibility = serializers.CharField(read_only=True, help_text="`published`, or `pending` for the asker's held one.")
    status = serializers.ChoiceField(choices=LiveQuestion.Status.choices, read_only=True)
    vote_count = serializers.IntegerField(read_only=True)
    answering_host = AuthorSerializer(allow_null=True, read_only=True)
    answer_html = serializers.CharField(allow_null=True, read_only=True)
    answered_by = AuthorSerializer(allow_null=True, read_only=True)
    answered_at = serializers.DateTimeField(allow_null=True, read_only=True)
    thread_url = serializers.URLField(allow_null=True, read_only=True, help_text="The forum thread it became.")
    voted = serializers.BooleanField(read_only=True)
    can_vote = serializers.BooleanField(read_only=True)

    def to_representation(self, question) -> dict:
        data = live_question_data(question)
        voted_ids = self.context.get("voted_ids")
        user = current_user(self)
        if voted_ids is None:
            voted_ids = queries.live_votes_of(user, [question.pk])
        data["voted"] = question.pk in voted_ids
        data["can_vote"] = permissions.can_vote_live(user, question)
        if data["thread_url"]:
            data["thread_url"] = absolute(self.context.get("request"), data["thread_url"])
        return data


@extend_schema_field({"type": "string", "format": "date-time", "maxLength": 64})
class DateTimeInput(serializers.DateTimeField):
    """An ISO 8601 date and time; longer than any such text is refused like any bad date."""


class LiveSessionInput(serializers.Serializer):
    title = RuleCharField(rule_min=10, rule_max=150)
    description = RuleCharField(required=False, rule_max=5000)
    starts_at = DateTimeInput(help_text="ISO 8601 with an offset (UTC recommended).")
    ends_at = DateTimeInput()
    hosts = serializers.ListField(
        child=serializers.CharField(max_length=150), help_text="Usernames of verified HR or school staff."
    )
    tags = RuleListField(child=serializers.CharField(), required=False, rule_max=5)
    organization = serializers.SlugField(required=False, allow_blank=True, help_text="An organisation's slug.")


class LiveSessionChangeInput(serializers.Serializer):
    """Every field optional: what is sent changes, the rest stays."""

    title = RuleCharField(required=False, rule_min=10, rule_max=150)
    description = RuleCharField(required=False, rule_max=5000, allow_blank=True)
    starts_at = DateTimeInput(required=False, help_text="Only before the start.")
    ends_at = DateTimeInput(required=False, help_text="Once live, only later than now.")
    hosts = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, help_text="Replaces the hosts."
    )
    tags = RuleListField(child=serializers.CharField(), required=False, rule_max=5)


class LiveCancelInput(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="Why; shown on the session's page."
    )


class LiveQuestionInput(serializers.Serializer):
    body = RuleCharField(rule_min=20, rule_max=20_000, help_text="Markdown.")
    confirm_personal_data = serializers.BooleanField(required=False, default=False)


class LiveAnswerInput(serializers.Serializer):
    answer = RuleCharField(rule_min=20, rule_max=20_000, help_text="Markdown.")


class LiveMergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, help_text="The question of the same session that stays.")


class LiveHideInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ThreadLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    web_url = serializers.URLField()


def _hosts(usernames: list[str]) -> list[User]:
    found = {user.username: user for user in User.objects.filter(username__in=usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise InvalidInput(fields={"hosts": [_("Nobody is called %(names)s here.") % {"names": ", ".join(unknown)}]})
    return [found[name] for name in usernames]


class LiveSessionListView(GenericAPIView):
    serializer_class = LiveSessionSerializer
    write_scope = "write"

    @extend_schema(
        operation_id="live_sessions_list",
        tags=["live sessions"],
        summary="List live sessions",
        description="`when=upcoming` (not ended, soonest first), `past` (ended, newest first) or `all`.",
        parameters=[OpenApiParameter("when", OpenApiTypes.STR, enum=list(WHEN), required=False)],
        responses=LiveSessionSerializer(many=True),
    )
    def get(self, request):
        when = request.query_params.get("when", "all")
        if when not in WHEN:
            raise InvalidInput(fields={"when": [_("Use upcoming, past or all.")]})
        page = self.paginate_queryset(queries.live_sessions(when=when))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="live_sessions_create",
        tags=["live sessions"],
        summary="Schedule a live session",
        description="Verified HR or school staff, and moderators. Hosts must hold a verified HR or school badge.",
        request=LiveSessionInput,
        responses={201: LiveSessionSerializer},
    )
    def post(self, request):
        data = parse(LiveSessionInput, request.data)
        permissions.check_can_schedule_live(request.user)
        organisation = None
        if data.get("organization"):
            organisation = queries.get_organisation(data["organization"])
        session = services.schedule_session(
            organiser=request.user,
            title=data["title"],
            description=data.get("description", ""),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            hosts=_hosts(data["hosts"]),
            tags=data.get("tags", []),
            organisation=organisation,
        )
        body = self.get_serializer(queries.get_live_session(session.pk)).data
        return Response(body, status=201, headers={"Location": body["web_url"]})


class LiveSessionView(GenericAPIView):
    serializer_class = LiveSessionSerializer

    def session(self, pk: int) -> LiveSession:
        session = queries.get_live_session(pk)
        services.announce_phase(session)
        return session


class LiveSessionDetailView(LiveSessionView):
    write_scope = "write"

    @extend_schema(operation_id="live_sessions_retrieve", tags=["live sessions"], summary="A live session")
    def get(self, request, pk: int):
        return Response(self.get_serializer(self.session(pk)).data)

    @extend_schema(
        operation_id="live_sessions_partial_update",
        tags=["live sessions"],
        summary="Change a live session",
        description=(
            "Its organiser or a host (while verified), or a moderator, until it ends. Before the start anything "
            "may change; once live, the start stays and the end may move, not into the past. Followers are "
            "notified when the start moves; pages see `live.session.updated`."
        ),
        request=LiveSessionChangeInput,
        responses={200: LiveSessionSerializer},
    )
    def patch(self, request, pk: int):
        session = self.session(pk)
        permissions.check_can_edit_live_session(request.user, session)
        data = parse(LiveSessionChangeInput, request.data)
        services.update_session(
            user=request.user,
            session=session,
            title=data.get("title"),
            description=data.get("description"),
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            hosts=_hosts(data["hosts"]) if "hosts" in data else None,
            tags=data.get("tags"),
        )
        return Response(self.get_serializer(queries.get_live_session(session.pk)).data)


class LiveSessionCancelView(LiveSessionView):
    permission_classes = [Authenticated]
    write_scope = "write"

    @extend_schema(
        operation_id="live_sessions_cancel",
        tags=["live sessions"],
        summary="Cancel a live session",
        description=(
            "Before its start only (409 after). The session stays, with `phase` `cancelled` and the note; "
            "questions and votes are refused; followers and the members who sent a question are notified."
        ),
        request=LiveCancelInput,
        responses={200: LiveSessionSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        session = self.session(pk)
        permissions.check_can_edit_live_session(request.user, session)
        data = parse(LiveCancelInput, request.data)
        services.cancel_session(user=request.user, session=session, note=data.get("note", ""))
        return Response(self.get_serializer(queries.get_live_session(session.pk)).data)


class LiveSessionFollowView(LiveSessionView):
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="live_sessions_follow",
        tags=["live sessions"],
        summary="Be notified when the session starts",
        request=None,
        responses={200: LiveSessionSerializer},
    )
    def post(self, request, pk: int):
        session = self.session(pk)
        services.follow_session(user=request.user, session=session)
        return Response(self.get_serializer(session).data)

    @extend_schema(
        operation_id="live_sessions_unfollow",
        tags=["live sessions"],
        summary="Stop following the session",
        responses={200: LiveSessionSerializer},
    )
    def delete(self, request, pk: int):
        session = self.session(pk)
        services.unfollow_session(user=request.user, session=session)
        return Response(self.get_serializer(session).data)


class LiveQuestionListView(LiveSessionView):
    serializer_class = LiveQuestionSerializer
    write_scopes = {"post": "ask"}

    @extend_schema(
        operation_id="live_sessions_questions_list",
        tags=["live sessions"],
        summary="The questions of a session",
        description=(
            "Waiting questions by default, most votes first (`order=votes`) or oldest first (`order=time`); "
            "`status=answered` lists the answered ones in the order they were answered. Held questions appear "
            "only to their asker and moderators."
        ),
        parameters=[
            OpenApiParameter("order", OpenApiTypes.STR, enum=["votes", "time"], required=False),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["waiting", "answered"], required=False),
        ],
        responses=LiveQuestionSerializer(many=True),
    )
    def get(self, request, pk: int):
        session = self.session(pk)
        order = request.query_params.get("order", "votes")
        status = request.query_params.get("status", "waiting")
        errors = {}
        if order not in ("votes", "time"):
            errors["order"] = [_("Use votes or time.")]
        if status not in ("waiting", "answered"):
            errors["status"] = [_("Use waiting or answered.")]
        if errors:
            raise InvalidInput(fields=errors)
        if status == "answered":
            queryset = queries.live_questions(request.user, session, order="answered", answered=True)
        else:
            queryset = queries.live_questions(request.user, session, order=order, answered=False)
        page = self.paginate_queryset(queryset)
        for question in page:
            question.session = session
        context = self.get_serializer_context() | {
            "voted_ids": queries.live_votes_of(request.user, [q.pk for q in page])
        }
        return self.get_paginated_response(LiveQuestionSerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="live_sessions_questions_create",
        tags=["live sessions"],
        summary="Submit a question",
        description=(
            "Until the session ends (403 after, with the end in the message). The rules of posts apply: "
            "limits per session (429), duplicates (409), personal data (400 `personal_data`, resend with "
            "`confirm_personal_data`), and a new member's question waits for a moderator (`visibility` pending)."
        ),
        request=LiveQuestionInput,
        responses={201: LiveQuestionSerializer, 409: CONFLICT},
    )
    def post(self, request, pk: int):
        data = parse(LiveQuestionInput, request.data)
        question = services.submit_question(author=request.user, session=self.session(pk), **data)
        return Response(self.get_serializer(question).data, status=201)


class LiveTranscriptView(LiveSessionView):
    serializer_class = LiveQuestionSerializer

    @extend_schema(
        operation_id="live_sessions_transcript",
        tags=["live sessions"],
        summary="The transcript: answered questions in the order they were answered",
        responses=LiveQuestionSerializer(many=True),
    )
    def get(self, request, pk: int):
        session = self.session(pk)
        page = self.paginate_queryset(queries.live_questions(request.user, session, order="answered", answered=True))
        context = self.get_serializer_context() | {"voted_ids": set()}
        return self.get_paginated_response(LiveQuestionSerializer(page, many=True, context=context).data)


class LiveQuestionView(GenericAPIView):
    serializer_class = LiveQuestionSerializer
    permission_classes = [Authenticated]

    def question(self, pk: int) -> LiveQuestion:
        row = LiveQuestion.objects.filter(pk=pk).values_list("session_id", flat=True).first()
        session = queries.get_live_session(row if row is not None else 0)
        services.announce_phase(session)
        return queries.get_live_question(self.request.user, session, pk)

    def respond(self, question: LiveQuestion) -> Response:
        fresh = queries.get_live_question(self.request.user, question.session, question.pk)
        return Response(self.get_serializer(fresh).data)


class LiveQuestionVoteView(LiveQuestionView):
    write_scope = "vote"

    @extend_schema(
        operation_id="live_questions_vote",
        tags=["live sessions"],
        summary="Vote for a question",
        description="One vote per member (idempotent); not for one's own question, not after the end.",
        request=None,
        responses={200: LiveQuestionSerializer},
    )
    def post(self, request, pk: int):
        return self.respond(services.cast_vote(user=request.user, question=self.question(pk)))

    @extend_schema(
        operation_id="live_questions_unvote",
        tags=["live sessions"],
        summary="Take a vote back",
        responses={200: LiveQuestionSerializer},
    )
    def delete(self, request, pk: int):
        return self.respond(services.retract_vote(user=request.user, question=self.question(pk)))


class LiveQuestionPickView(LiveQuestionView):
    @extend_schema(
        operation_id="live_questions_pick",
        tags=["live sessions"],
        summary="Start answering a question (hosts)",
        description="Everyone sees it marked “being answered”. Only while the session is live.",
        request=None,
        responses={200: LiveQuestionSerializer},
    )
    def post(self, request, pk: int):
        return self.respond(services.start_answering(host=request.user, question=self.question(pk)))


class LiveQuestionAnswerView(LiveQuestionView):
    write_scope = "answer"

    @extend_schema(
        operation_id="live_questions_answer",
        tags=["live sessions"],
        summary="Answer a question (hosts)",
        request=LiveAnswerInput,
        responses={200: LiveQuestionSerializer},
    )
    def post(self, request, pk: int):
        data = parse(LiveAnswerInput, request.data)
        return self.respond(services.answer_question(host=request.user, question=self.question(pk), **data))


class LiveQuestionHideView(LiveQuestionView):
    @extend_schema(
        operation_id="live_questions_hide",
        tags=["live sessions"],
        summary="Hide a question (moderators)",
        request=LiveHideInput,
        responses={204: None},
    )
    def post(self, request, pk: int):
        data = parse(LiveHideInput, request.data)
        services.hide_question(moderator=request.user, question=self.question(pk), note=data.get("note", ""))
        return Response(status=204)


class LiveQuestionApproveView(LiveQuestionView):
    @extend_schema(
        operation_id="live_questions_approve",
        tags=["live sessions"],
        summary="Publish a held or hidden question (moderators)",
        request=None,
        responses={200: LiveQuestionSerializer},
    )
    def post(self, request, pk: int):
        return self.respond(services.approve_question(moderator=request.user, question=self.question(pk)))


class LiveQuestionMergeView(LiveQuestionView):
    @extend_schema(
        operation_id="live_questions_merge",
        tags=["live sessions"],
        summary="Merge a question into another (moderators)",
        description="The question leaves the queue; its voters' votes count for `into`. Returns `into`.",
        request=LiveMergeInput,
        responses={200: LiveQuestionSerializer},
    )
    def post(self, request, pk: int):
        data = parse(LiveMergeInput, request.data)
        question = self.question(pk)
        into = queries.get_live_question(request.user, question.session, data["into"])
        return self.respond(services.merge_questions(moderator=request.user, question=question, into=into))


class LiveQuestionConvertView(LiveQuestionView):
    @extend_schema(
        operation_id="live_questions_convert",
        tags=["live sessions"],
        summary="Turn a question into a forum thread",
        description=(
            "Hosts and moderators, any time for an answered question (the answer becomes the thread's first "
            "answer); the asker, once the session is over, for an unanswered one. Linked both ways."
        ),
        request=None,
        responses={201: ThreadLinkSerializer, 409: OpenApiResponse(description="Already a thread.")},
    )
    def post(self, request, pk: int):
        thread = services.convert_to_thread(user=request.user, question=self.question(pk))
        return Response(
            {"id": thread.pk, "web_url": absolute(request, thread.get_absolute_url())},
            status=201,
            headers={"Location": absolute(request, thread.get_absolute_url())},
        )
