"""Threads (questions): list with filters, ask, read, edit, revisions."""

from django.conf import settings
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.conditional import Conditional
from api.v1.common import (
    AuthorSerializer,
    BadgeOrganizationSerializer,
    PermissionFlag,
    RuleCharField,
    RuleListField,
    UtcDateTimeField,
    WebUrlField,
    current_user,
    parse,
)
from api.v1.flags import PostModerationField
from forum import events, permissions, queries
from forum.models import FACETS, Question, Visibility
from forum.services import questions
from forum.thread_filters import ThreadFilters

RULES = settings.FORUM


FACET_HELP = {
    "diploma": "Diploma level the question is about.",
    "contract": "Contract type: apprenticeship or professionalisation.",
    "sector": "Sector of the company.",
    "region": "French region (the 18, overseas included).",
}


class FacetField(serializers.ChoiceField):
    """An alternance facet in a response: its value, or null when the asker
    did not say. Labels: `GET /api/v1/threads/facets/`."""

    def __init__(self, name: str, **kwargs):
        super().__init__(
            choices=FACETS[name].values, read_only=True, allow_null=True, help_text=FACET_HELP[name], **kwargs
        )

    def to_representation(self, value):
        return value or None


def facet_input(name: str) -> serializers.ChoiceField:
    # "" means "not said" (and clears it on an edit); any other value must be a choice.
    return serializers.ChoiceField(
        choices=FACETS[name].values,
        required=False,
        allow_blank=True,
        help_text=FACET_HELP[name] + ' Optional; `""` for none.',
    )


def facet_filter(name: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=FACETS[name].values, required=False, help_text=f"Only threads with this value. {FACET_HELP[name]}"
    )


class ThreadSummarySerializer(serializers.Serializer):
    """A thread in a list: everything but the text."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    author = AuthorSerializer(source="*", read_only=True)
    tags = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Question.Status.choices, read_only=True)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        read_only=True,
        help_text="Only `published` threads are public; authors and moderators also see theirs in other states.",
    )
    answer_count = serializers.IntegerField(read_only=True)
    view_count = serializers.IntegerField(read_only=True)
    accepted_answer_id = serializers.IntegerField(read_only=True, allow_null=True)
    is_locked = serializers.BooleanField(read_only=True)
    created_at = UtcDateTimeField()
    edited_at = UtcDateTimeField(allow_null=True)
    last_activity_at = UtcDateTimeField()
    web_url = WebUrlField()
    diploma = FacetField("diploma")
    contract = FacetField("contract")
    sector = FacetField("sector")
    region = FacetField("region")

    def get_tags(self, question: Question) -> list[str]:
        # .all() reads the prefetch of forum.queries.question_list.
        return [tag.name for tag in question.tags.all()]


class ThreadSerializer(ThreadSummarySerializer):
    """A thread with its text, and what the current member may do with it."""

    body = serializers.CharField(read_only=True, help_text="Markdown source, as written.")
    body_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised HTML, safe to display.")
    can_edit = PermissionFlag(permissions.can_edit)
    can_answer = PermissionFlag(permissions.can_answer)
    moderation = PostModerationField()
    addressed_to = serializers.SerializerMethodField(help_text="Organisations the question is addressed to.")

    discreet_from = serializers.SerializerMethodField(
        help_text="Discreet mode: organisations whose verified members do not see who asked. Shown to the asker "
        "and moderators only; empty for everyone else."
    )
    discreet_everywhere = serializers.SerializerMethodField(
        help_text="Discreet mode for everyone: nobody but moderators sees who asked. Shown to the asker and "
        "moderators only; false for everyone else."
    )

    def get_addressed_to(self, question: Question) -> list[dict]:
        return [{"name": o.name, "slug": o.slug} for o in question.addressed_to.order_by("name")]

    def get_discreet_everywhere(self, question: Question) -> bool:
        return question.discreet_everywhere and permissions.can_see_discretion(current_user(self), question)

    @extend_schema_field(BadgeOrganizationSerializer(many=True))
    def get_discreet_from(self, question: Question) -> list[dict]:
        if not permissions.can_see_discretion(current_user(self), question):
            return []
        return [{"name": o.name, "slug": o.slug} for o in queries.discreet_organisations(question)]


class ThreadListParams(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=list(queries.LIST_STATUSES),
        required=False,
        default="all",
        help_text="`unanswered` (no published answer), `answered`, `solved` (an accepted answer), `verified` "
        "(answered by a verified HR or school staff member), `solved_by_verified` (its accepted answer is by one).",
    )
    tag = serializers.CharField(required=False, help_text="A tag name, e.g. `bts`.")
    author = serializers.CharField(required=False, help_text="A username.")
    q = serializers.CharField(required=False, help_text="Words to find in titles and texts.")
    verified = serializers.BooleanField(
        required=False,
        default=False,
        help_text="`true`: only threads answered by a verified HR or school staff member.",
    )
    ordering = serializers.ChoiceField(
        choices=list(queries.LIST_ORDERINGS),
        required=False,
        default="activity",
        help_text="`activity` (latest activity first), `newest`, `oldest` (waiting longest first), `votes` "
        "(most answered first), or `hot` (popular this week: only threads with answers or helpful votes in the "
        "last 7 days, by 3 points per answer and 1 per vote).",
    )
    diploma = facet_filter("diploma")
    contract = facet_filter("contract")
    sector = facet_filter("sector")
    region = facet_filter("region")


class ThreadInput(serializers.Serializer):
    title = RuleCharField(rule_min=RULES["TITLE_MIN"], rule_max=RULES["TITLE_MAX"])
    body = RuleCharField(rule_min=RULES["BODY_MIN"], rule_max=RULES["BODY_MAX"], help_text="Markdown.")
    tags = RuleListField(
        child=RuleCharField(),
        rule_min=RULES["TAGS_MIN"],
        rule_max=RULES["TAGS_MAX"],
        help_text=(
            f"Tag names, normalised by the server (lower case, hyphens, at most {RULES['TAG_MAX_LENGTH']} "
            "characters): “Contrat apprentissage” becomes `contrat-apprentissage`."
        ),
    )
    addressed_to = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=10,
        help_text="Slugs of organisations the question is addressed to (at most 3).",
    )
    discreet_from = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=10,
        help_text="Discreet mode: slugs of organisations (at most 5) whose verified members must not see who asked. "
        "Only the asker may set it; on edit, `[]` turns it off.",
    )
    discreet_everywhere = serializers.BooleanField(
        required=False,
        help_text="Discreet mode for everyone: nobody but moderators (and the asker) sees who asked. Only the "
        "asker may set it.",
    )
    confirm_personal_data = serializers.BooleanField(
        required=False,
        default=False,
        help_text="After a 400 `personal_data` (the text looks like it contains an email, a phone number, an "
        "address or a social security number): `true` publishes anyway, and the thread waits for a moderator.",
    )
    diploma = facet_input("diploma")
    contract = facet_input("contract")
    sector = facet_input("sector")
    region = facet_input("region")


class ThreadEditInput(ThreadInput):
    addressed_to = None  # set when asking only

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class ThreadRevisionSerializer(serializers.Serializer):
    """The text a thread had before one edit."""

    id = serializers.IntegerField(read_only=True)
    editor = AuthorSerializer(source="*", read_only=True)
    created_at = UtcDateTimeField(help_text="When the edit replaced this text.")
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="Markdown source.")
    tags = serializers.SerializerMethodField()

    def get_tags(self, revision) -> list[str]:
        return [name for name in revision.tags.split(",") if name]


class ThreadListView(GenericAPIView):
    serializer_class = ThreadSummarySerializer
    write_scopes = {"post": "ask"}

    @extend_schema(
        operation_id="threads_list",
        tags=["threads"],
        summary="List threads",
        description="Sends a weak `ETag` (and `Last-Modified` to anonymous readers): send it back in "
        "`If-None-Match` to get a 304 when nothing you can see changed (view counts are left out of the comparison).",
        parameters=[
            ThreadListParams,
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False),
            OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 304]),
        ],
        responses={200: ThreadSummarySerializer(many=True), 304: OpenApiResponse(description="Not modified.")},
    )
    def get(self, request):
        params = parse(ThreadListParams, request.query_params)
        # A bad page size or cursor is refused before anything is read; the
        # list itself is built only when no stored body serves (on a hit,
        # building it cost a quarter of the request).
        self.paginator.check_parameters(queries.list_ordering(params["ordering"]), request)
        # Every change a list shows publishes on `feed` (tag topics get a subset).
        conditional = Conditional(request, ["feed"], lists=True)
        if not_modified := conditional.check():
            return not_modified
        if (shared := conditional.cached()) is not None:
            return conditional.finish(Response(shared), shared=True)
        threads = queries.question_list(
            request.user,
            status=params["status"],
            tag=params.get("tag"),
            author=params.get("author"),
            search=params.get("q"),
            ordering=params["ordering"],
            verified=params["verified"],
            filters=ThreadFilters.parse(params),
        ).defer("body", "body_html")  # a summary has no text (ThreadSummarySerializer)
        page = self.paginate_queryset(threads)
        data = self.get_serializer(page, many=True).data
        response = self.get_paginated_response(data)
        conditional.store(response.data)
        return conditional.finish(response, data, shared=True)

    @extend_schema(
        operation_id="threads_create",
        tags=["threads"],
        summary="Ask a question",
        description="Rate limited in the `ask` scope. A new account's first posts may wait for moderation "
        "(`visibility: pending`).",
        request=ThreadInput,
        responses={201: ThreadSerializer, 409: OpenApiResponse(description="The same text was just posted.")},
    )
    def post(self, request):
        data = parse(ThreadInput, request.data)
        question = questions.ask_question(author=request.user, **data)
        body = ThreadSerializer(question, context=self.get_serializer_context()).data
        return Response(body, status=201, headers={"Location": body["web_url"]})


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField(help_text="In the language of the request (`Accept-Language`).")
    count = serializers.IntegerField(help_text="Threads of the list with this value.")
    selected = serializers.BooleanField(help_text="This value is the filter in use.")


class FacetCountsSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(FACETS), help_text="The query parameter that filters by it.")
    label = serializers.CharField()
    values = FacetValueSerializer(many=True, help_text="Values with at least one thread (and the selected one).")


class FacetCountsResponse(serializers.Serializer):
    facets = FacetCountsSerializer(many=True)


class ThreadFacetsView(GenericAPIView):
    serializer_class = FacetCountsResponse
    pagination_class = None

    @extend_schema(
        operation_id="threads_facets",
        tags=["threads"],
        summary="Facet counts of a thread list",
        description="Takes the parameters of `threads_list` (cursor and ordering aside). For each facet, how many "
        "threads of that list have each value, counted with the *other* facet filters applied, so a client can "
        "show what choosing another value would give. Labels are translated.",
        parameters=[ThreadListParams],
        responses=FacetCountsResponse,
    )
    def get(self, request):
        params = parse(ThreadListParams, request.query_params)
        # Shared between readers (forum.list_cache): counted on the public list.
        counts = queries.public_facet_counts(
            ThreadFilters.parse(params),
            status=params["status"],
            tag=params.get("tag"),
            author=params.get("author"),
            search=params.get("q"),
            verified=params["verified"],
        )
        data = {"facets": [{"name": f.name, "label": f.label, "values": f.values} for f in counts]}
        response = Response(FacetCountsResponse(data).data)
        patch_vary_headers(response, ["Accept-Language"])
        return response


class ThreadDetailView(GenericAPIView):
    serializer_class = ThreadSerializer

    @extend_schema(
        operation_id="threads_retrieve",
        tags=["threads"],
        summary="Read a thread",
        description="Counts a view (once per reader and hour). Sends a weak `ETag`: send it back in "
        "`If-None-Match` to get a 304 when "
        "nothing you can see changed (the view count is left out of the comparison).",
        parameters=[
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False),
            OpenApiParameter("ETag", str, OpenApiParameter.HEADER, response=[200, 304]),
        ],
        responses={200: ThreadSerializer, 304: OpenApiResponse(description="Not modified.")},
    )
    def get(self, request, pk: int):
        user = request.user
        # A member whose lists are anyone's (active, not suspended, no moderator
        # group, no badge, nothing held or discreet: told by their session's or
        # token's read) is shown what every such member is, unless they asked
        # the thread: may answer as the thread allows, may not edit, no
        # moderation notes, the asker as anyone sees them. One body per version
        # for them all; the version is read before the thread, as for everyone.
        shares = user.is_authenticated and queries.sees_lists_as_any_member(user)
        conditional = Conditional(request, [events.thread_topic(pk)], reader=(lambda: ()) if shares else None)
        question = queries.get_visible_question(user, pk)
        if shares and question.author_id == user.pk:
            conditional.unshare()
        viewer = questions.viewer_key(
            user_id=user.pk if user.is_authenticated else None, address=request.META.get("REMOTE_ADDR")
        )
        # A revalidation still counts its reader (once per hour), hence the
        # visibility check above, before the 304.
        if questions.record_view(question=question, viewer=viewer):
            question.view_count += 1
        if not_modified := conditional.check():
            return not_modified
        if (data := conditional.cached()) is None:
            data = self.get_serializer(question).data
            conditional.store(data)
        # The HTTP cache in front counts each reader before it answers from
        # the copy (api/edge_reader.py, edge_view).
        return conditional.finish(Response(data), data, shared=True, members=True)

    @extend_schema(
        operation_id="threads_update",
        tags=["threads"],
        summary="Edit a thread",
        description="By its author or a moderator. Fields left out keep their value; the previous text is kept "
        "as a revision.",
        request=ThreadEditInput,
        responses={200: ThreadSerializer},
    )
    def patch(self, request, pk: int):
        data = parse(ThreadEditInput, request.data)
        question = queries.get_visible_question(request.user, pk)
        question = questions.edit_question(editor=request.user, question=question, **data)
        return Response(self.get_serializer(question).data)


class ThreadRevisionListView(GenericAPIView):
    serializer_class = ThreadRevisionSerializer

    @extend_schema(
        operation_id="threads_revisions_list",
        tags=["threads"],
        summary="Previous versions of a thread",
        description="Newest first: each entry is the text as it was before an edit, and who made that edit.",
        responses=ThreadRevisionSerializer(many=True),
    )
    def get(self, request, pk: int):
        question = queries.get_visible_question(request.user, pk)
        page = self.paginate_queryset(queries.post_revisions(question))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
