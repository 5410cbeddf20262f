"""Tags with the number of threads using them."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from api.v1.common import absolute, parse
from forum import queries


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
