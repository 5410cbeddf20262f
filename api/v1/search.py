"""Full-text search and similar threads: thin front doors over forum.search."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.conditional import Conditional
from api.v1.common import parse
from api.v1.threads import ThreadSummarySerializer, facet_filter
from forum import page_versions, search
from forum.models import Question, Visibility
from forum.thread_filters import ThreadFilters


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        help_text="Words to find (French stemming, accents ignored). Quotes for a phrase, "
        "`-word` to exclude a word, `or` between alternatives."
    )
    tag = serializers.CharField(required=False, help_text="A tag name, e.g. `bts`.")
    status = serializers.ChoiceField(
        choices=list(search.STATUSES),
        required=False,
        default="all",
        help_text="`unanswered`, `solved` (an accepted answer) or `verified` (answered by verified HR or school "
        "staff).",
    )
    since = serializers.DateField(required=False, help_text="Asked on or after this day (YYYY-MM-DD).")
    until = serializers.DateField(required=False, help_text="Asked on or before this day (YYYY-MM-DD).")
    sort = serializers.ChoiceField(
        choices=list(search.SORTS), required=False, default="relevance", help_text="`relevance` or `recency`."
    )
    diploma = facet_filter("diploma")
    contract = facet_filter("contract")
    sector = facet_filter("sector")
    region = facet_filter("region")
    cursor = serializers.CharField(required=False, help_text="The `next` link's cursor.")


class MatchingAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    snippet_html = serializers.CharField(help_text="Escaped text with the matched words in `<mark>`.")
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, help_text="Not `published` only in a moderator's results."
    )


class SearchHitSerializer(serializers.Serializer):
    thread = ThreadSummarySerializer(source="question")
    rank = serializers.FloatField(help_text="Relevance; higher is better. Comparable within one search only.")
    title_html = serializers.CharField(help_text="The title, escaped, with the matched words in `<mark>`.")
    snippet_html = serializers.CharField(help_text="An excerpt of the question, escaped, matches in `<mark>`.")
    matching_answer = serializers.SerializerMethodField(help_text="The best matching answer (the accepted one first).")
    has_verified_answer = serializers.BooleanField()
    moderation_only = serializers.BooleanField(
        help_text="Moderators only: the match is in text the public cannot read (hidden or pending)."
    )

    @extend_schema(responses=MatchingAnswerSerializer(allow_null=True))
    def get_matching_answer(self, hit: search.Hit) -> dict | None:
        if hit.answer_id is None:
            return None
        return {"id": hit.answer_id, "snippet_html": hit.answer_snippet_html, "visibility": hit.answer_visibility}


class SearchView(GenericAPIView):
    serializer_class = SearchHitSerializer
    pagination_class = None

    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Search threads",
        description="Threads whose title, tags, question or answers match `q`, best first (or newest first with "
        "`sort=recency`). When nothing matches and a correction of a misspelled word does, the results are the "
        "correction's, with `corrected: true` and the corrected query in `did_you_mean`. Moderators also find "
        "hidden and pending posts, flagged `moderation_only`.",
        parameters=[SearchParams],
        responses=inline_serializer(
            "SearchPage",
            {
                "next": serializers.URLField(allow_null=True),
                "did_you_mean": serializers.CharField(allow_null=True),
                "corrected": serializers.BooleanField(),
                "results": SearchHitSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        params = parse(SearchParams, request.query_params)
        # Results may show any thread: their version is the newest event of
        # all topics (hiding, editing, answering anywhere all publish one) and
        # the page generation (badges, names). Anonymous readers share one
        # body per version; a popular query is searched once per change. So do
        # the members whose lists are anyone's (no held question of theirs for
        # a filter to find; answers are found published only, but by moderators).
        conditional = Conditional(request, page_versions.EVERY_TOPIC, lists=True)
        if not_modified := conditional.check():
            return not_modified
        if (shared := conditional.cached()) is not None:
            return conditional.finish(Response(shared), shared=True)
        filters = search.SearchFilters(
            tag=params.get("tag"),
            status=params["status"],
            since=params.get("since"),
            until=params.get("until"),
            extra=[ThreadFilters.parse(params)],
        )
        page = search.search(
            params["q"], viewer=request.user, filters=filters, sort=params["sort"], cursor=params.get("cursor")
        )
        next_url = None
        if page.next_cursor:
            next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
        data = {
            "next": next_url,
            "did_you_mean": page.did_you_mean,
            "corrected": page.corrected,
            "results": self.get_serializer(page.hits, many=True).data,
        }
        conditional.store(data)
        # The HTTP cache in front keeps it until any event (forum/http_cache.py).
        return conditional.finish(Response(data), data, shared=True)


class SimilarParams(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, help_text="The title being typed (no results without a word).")


class SimilarThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    title = serializers.CharField(source="question.title")
    status = serializers.ChoiceField(choices=Question.Status.choices, source="question.status")
    answer_count = serializers.IntegerField(source="question.answer_count")
    accepted_answer_id = serializers.IntegerField(source="question.accepted_answer_id", allow_null=True)
    has_verified_answer = serializers.BooleanField()
    web_url = serializers.SerializerMethodField()

    def get_web_url(self, item: search.SimilarQuestion) -> str:
        request = self.context.get("request")
        url = item.question.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


class SimilarThreadsView(GenericAPIView):
    serializer_class = SimilarThreadSerializer
    pagination_class = None

    @extend_schema(
        operation_id="threads_similar",
        tags=["threads"],
        summary="Threads similar to a title",
        description=f"Up to {search.SIMILAR_LIMIT} published threads like the title being typed, best first: "
        "for the ask form, to find an answer before asking again.",
        parameters=[SimilarParams],
        responses=inline_serializer("SimilarThreads", {"results": SimilarThreadSerializer(many=True)}),
    )
    def get(self, request):
        params = parse(SimilarParams, request.query_params)
        found = search.similar(params["title"], viewer=request.user)
        return Response({"results": self.get_serializer(found, many=True).data})
