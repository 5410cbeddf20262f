"""The audit log (moderators), read-only: no endpoint changes or deletes an
entry."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from api.permissions import Authenticated, IsModerator
from api.v1.common import UtcDateTimeField, parse
from forum import queries


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


class AuditLogView(GenericAPIView):
    serializer_class = AuditEntrySerializer
    permission_classes = [Authenticated, IsModerator]

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
