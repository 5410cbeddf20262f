"""Tags with the number of threads using them."""

from types import SimpleNamespace
from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.v1.common import absolute, parse
from forum import queries
from forum.services import tags


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    question_count = serializers.IntegerField(read_only=True, help_text="Threads you can see with this tag.")
    threads_url = serializers.SerializerMethodField(help_text="The API list of its threads.")

    def get_threads_url(self, tag) -> str:
        return absolute(self.context.get("request"), reverse("api-v1:threads") + "?" + urlencode({"tag": tag.slug}))


class TagListParams(serializers.Serializer):
    q = serializers.CharField(required=False, help_text="Only tags starting with these letters (autocomplete).")


class TagListView(GenericAPIView):
    serializer_class = TagSerializer

    @extend_schema(
        operation_id="tags_list",
        tags=["tags"],
        summary="List tags",
        description="Most used first.",
        parameters=[TagListParams],
        responses=TagSerializer(many=True),
    )
    def get(self, request):
        params = parse(TagListParams, request.query_params)
        page = self.paginate_queryset(queries.tag_counts(request.user, prefix=params.get("q")))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TagDetailSerializer(TagSerializer):
    description = serializers.CharField(read_only=True, help_text="What the tag is about, written by moderators.")
    follower_count = serializers.IntegerField(read_only=True)
    following = serializers.BooleanField(read_only=True, help_text="Whether you follow it (false when anonymous).")


class TagDescriptionInput(serializers.Serializer):
    description = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text='Plain text; `""` removes the description.'
    )


class TagDetailView(GenericAPIView):
    serializer_class = TagDetailSerializer

    def _present(self, request, slug: str):
        tag = queries.get_visible_tag(request.user, slug)
        details = queries.tag_page_details(request.user, tag)
        # Not set on the Tag: `description` is its reverse relation to TagDescription.
        shown = SimpleNamespace(
            id=tag.pk,
            name=tag.name,
            slug=tag.slug,
            description=details["description"],
            question_count=details["question_count"],
            follower_count=details["follower_count"],
            following=details["following_tag"],
        )
        return Response(self.get_serializer(shown).data)

    @extend_schema(operation_id="tags_retrieve", tags=["tags"], summary="A tag: description, counts")
    def get(self, request, slug: str):
        return self._present(request, slug)

    @extend_schema(
        operation_id="tags_describe",
        tags=["tags"],
        summary="Set a tag's description (moderators)",
        description="Audit-logged like any moderation decision (`tag.described`).",
        request=TagDescriptionInput,
    )
    def put(self, request, slug: str):
        data = parse(TagDescriptionInput, request.data)
        tags.set_tag_description(
            moderator=request.user, tag=queries.get_visible_tag(request.user, slug), text=data["description"]
        )
        return self._present(request, slug)
