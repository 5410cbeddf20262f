"""The notification centre for the mobile app: the list (cursor-paginated,
`?unread=1`), the unread count, marking read, follows, preferences, push
devices, and the member suggestions of the @mention autocomplete. Live counts
arrive on the websocket's `user:me` topic as `notification.count`."""

from datetime import time

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.charter import ClauseExampleSerializer
from api.v1.common import UtcDateTimeField, absolute, parse
from forum import charter, queries
from forum.exceptions import InvalidInput
from forum.models import Channel, NotificationKind, NotificationPreference, PushDevice
from forum.notifications import texts
from forum.services import notifications as notification_services


class NotificationModerationSerializer(serializers.Serializer):
    review_item_id = serializers.IntegerField(
        allow_null=True, help_text="Null for decisions notified before it existed."
    )
    decision = serializers.CharField()
    note = serializers.CharField(allow_blank=True, help_text="The moderator's note to the author.")
    clause = serializers.CharField(allow_blank=True)
    clause_title = serializers.CharField(allow_null=True)
    clause_why = serializers.CharField(allow_null=True)
    clause_example = ClauseExampleSerializer(allow_null=True)
    clause_url = serializers.CharField(allow_null=True)
    outcome_url = serializers.CharField(allow_null=True, help_text="The page that explains the decision.")


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    text = serializers.SerializerMethodField(help_text="The sentence to show, in the request's language.")
    count = serializers.IntegerField(read_only=True, help_text="Events grouped in this row (answers in a thread).")
    actor_count = serializers.IntegerField(read_only=True, help_text="Distinct members behind it (helpful votes).")
    question_id = serializers.IntegerField(read_only=True, allow_null=True)
    answer_id = serializers.IntegerField(read_only=True, allow_null=True)
    is_read = serializers.SerializerMethodField()
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField()
    web_url = serializers.SerializerMethodField(
        help_text="The exact place on the site (the answer's anchor; for a moderation decision, the page "
        "that explains it)."
    )
    moderation = serializers.SerializerMethodField(
        help_text="Kind `moderation` only (else null): the decision explained, as "
        "`GET /moderation/decisions/<review_item_id>/` gives it in full."
    )

    def get_text(self, notification) -> str:
        return texts.describe(notification)

    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None

    def get_web_url(self, notification) -> str:
        return absolute(self.context.get("request"), texts.target_url(notification))

    @extend_schema_field(NotificationModerationSerializer(allow_null=True))
    def get_moderation(self, notification) -> dict | None:
        if notification.kind != NotificationKind.MODERATION:
            return None
        request = self.context.get("request")
        data = notification.data
        item_id = data.get("review_item_id") if isinstance(data.get("review_item_id"), int) else None
        clause = charter.clause_data(data.get("clause", "")) or dict(charter.NO_CLAUSE)
        if clause["clause_url"]:
            clause["clause_url"] = absolute(request, clause["clause_url"])
        return {
            "review_item_id": item_id,
            "decision": data.get("decision", ""),
            "note": data.get("note", ""),
            **clause,
            "outcome_url": absolute(request, charter.outcome_url(item_id)) if item_id else None,
        }


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField()


class ListQuery(serializers.Serializer):
    unread = serializers.ChoiceField(choices=["0", "1"], required=False)
    kind = serializers.ChoiceField(choices=NotificationKind.values, required=False)


class NotificationListView(GenericAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="notifications_list",
        tags=["notifications"],
        summary="My notifications",
        description="Newest activity first; grouped rows move up when they grow. Cursor pagination.",
        responses=NotificationSerializer(many=True),
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.STR, enum=["0", "1"], description="`1`: unread only."),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=NotificationKind.values),
        ],
    )
    def get(self, request):
        query = parse(ListQuery, request.query_params)
        rows = queries.notifications_of(
            request.user, unread_only=query.get("unread") == "1", kind=query.get("kind", "")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class UnreadCountView(GenericAPIView):
    serializer_class = UnreadCountSerializer
    permission_classes = [Authenticated]

    @extend_schema(operation_id="notifications_unread_count", tags=["notifications"], summary="My unread count")
    def get(self, request):
        return Response({"unread_count": queries.unread_notification_count(request.user)})


class MarkReadView(GenericAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="notifications_mark_read", tags=["notifications"], summary="Mark one read", request=None
    )
    def post(self, request, pk: int):
        notification = notification_services.mark_read(user=request.user, notification_id=pk)
        return Response(self.get_serializer(notification).data)


class MarkAllReadView(GenericAPIView):
    serializer_class = UnreadCountSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="notifications_mark_all_read", tags=["notifications"], summary="Mark all read", request=None
    )
    def post(self, request):
        notification_services.mark_all_read(user=request.user)
        return Response({"unread_count": 0})


def quiet_time(data: dict, name: str):
    """HH:MM (a bounded string in the schema, like every string input) to a time."""
    value = data.get(name, "keep")
    if value in ("keep", None, ""):
        return None if value == "" else value
    try:
        if len(value) != 5:
            raise ValueError(value)
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(fields={name: ["HH:MM"]}) from None


class PreferencesSerializer(serializers.Serializer):
    channels = serializers.DictField(
        child=serializers.ChoiceField(choices=Channel.values),
        required=False,
        help_text=f"Per kind ({', '.join(NotificationKind.values)}): `email`, `in_app` or `off`.",
    )
    muted = serializers.BooleanField(required=False)
    quiet_start = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=5, help_text="Europe/Paris, HH:MM."
    )
    quiet_end = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=5, help_text="Europe/Paris, HH:MM."
    )
    digest = serializers.ChoiceField(choices=NotificationPreference.Digest.values, required=False)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


def preferences_data(pref: NotificationPreference) -> dict:
    return {
        "channels": {kind: pref.channel(kind) for kind in NotificationKind.values},
        "muted": pref.muted,
        "quiet_start": pref.quiet_start.strftime("%H:%M") if pref.quiet_start else None,
        "quiet_end": pref.quiet_end.strftime("%H:%M") if pref.quiet_end else None,
        "digest": pref.digest,
        "language": pref.language,
    }


class PreferencesView(GenericAPIView):
    serializer_class = PreferencesSerializer
    permission_classes = [Authenticated]

    @extend_schema(operation_id="notifications_preferences_retrieve", tags=["notifications"], summary="My preferences")
    def get(self, request):
        return Response(preferences_data(notification_services.preferences_of(request.user)))

    @extend_schema(
        operation_id="notifications_preferences_update",
        tags=["notifications"],
        summary="Change my preferences",
        description="Only the fields sent change. Quiet hours: both ends, or both null to remove them.",
    )
    def patch(self, request):
        data = parse(PreferencesSerializer, request.data)
        kwargs = {key: data[key] for key in ("channels", "muted", "digest", "language") if key in data}
        if "quiet_start" in data or "quiet_end" in data:
            kwargs["quiet_start"] = quiet_time(data, "quiet_start")
            kwargs["quiet_end"] = quiet_time(data, "quiet_end")
        pref = notification_services.update_preferences(user=request.user, **kwargs)
        return Response(preferences_data(pref))


class SubscriptionsSerializer(serializers.Serializer):
    threads = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the threads I follow.")
    tags = serializers.ListField(child=serializers.CharField(), help_text="Slugs of the tags I follow.")


class SubscriptionsView(GenericAPIView):
    serializer_class = SubscriptionsSerializer
    permission_classes = [Authenticated]

    @extend_schema(operation_id="subscriptions_retrieve", tags=["notifications"], summary="What I follow")
    def get(self, request):
        user = request.user
        return Response(
            {
                "threads": list(
                    user.thread_subscriptions.filter(following=True)
                    .order_by("-id")
                    .values_list("question_id", flat=True)[:500]
                ),
                "tags": list(user.tag_subscriptions.order_by("tag__slug").values_list("tag__slug", flat=True)),
            }
        )


class FollowResponse(serializers.Serializer):
    following = serializers.BooleanField()


class ThreadFollowView(GenericAPIView):
    serializer_class = FollowResponse
    permission_classes = [Authenticated]

    def _set(self, request, pk: int, following: bool):
        question = queries.get_visible_question(request.user, pk)
        notification_services.set_thread_following(user=request.user, question=question, following=following)
        return Response({"following": following})

    @extend_schema(operation_id="threads_follow", tags=["notifications"], summary="Follow a thread", request=None)
    def put(self, request, pk: int):
        return self._set(request, pk, True)

    @extend_schema(
        operation_id="threads_unfollow",
        tags=["notifications"],
        summary="Unfollow a thread",
        request=None,
        responses={200: FollowResponse},
    )
    def delete(self, request, pk: int):
        return self._set(request, pk, False)


class TagFollowView(GenericAPIView):
    serializer_class = FollowResponse
    permission_classes = [Authenticated]

    @extend_schema(operation_id="tags_follow", tags=["notifications"], summary="Follow a tag", request=None)
    def put(self, request, slug: str):
        notification_services.follow_tag(user=request.user, slug=slug)
        return Response({"following": True})

    @extend_schema(
        operation_id="tags_unfollow",
        tags=["notifications"],
        summary="Unfollow a tag",
        request=None,
        responses={200: FollowResponse},
    )
    def delete(self, request, slug: str):
        notification_services.unfollow_tag(user=request.user, slug=slug)
        return Response({"following": False})


class DeviceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    platform = serializers.ChoiceField(choices=PushDevice.Platform.values)
    push_token = serializers.CharField(source="token", max_length=512, write_only=True)
    created_at = UtcDateTimeField()


class DeviceListView(GenericAPIView):
    serializer_class = DeviceSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="devices_list",
        tags=["notifications"],
        summary="My push devices",
        responses=DeviceSerializer(many=True),
    )
    def get(self, request):
        rows = PushDevice.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at", "-id")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="devices_register",
        tags=["notifications"],
        summary="Register a device for push",
        description="Idempotent per token. Sending pushes comes later; the token is never shown back.",
        responses={201: DeviceSerializer},
    )
    def post(self, request):
        data = parse(DeviceSerializer, request.data)
        device = notification_services.register_device(
            user=request.user, platform=data["platform"], token=data["token"]
        )
        return Response(self.get_serializer(device).data, status=status.HTTP_201_CREATED)


class DeviceDetailView(GenericAPIView):
    serializer_class = DeviceSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="devices_revoke",
        tags=["notifications"],
        summary="Revoke a device",
        responses={204: OpenApiResponse(description="Revoked.")},
    )
    def delete(self, request, pk: int):
        notification_services.revoke_device(user=request.user, device_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberSuggestionSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(source="public_name", read_only=True)


class SuggestQuery(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=150)


class MemberSuggestView(GenericAPIView):
    serializer_class = MemberSuggestionSerializer
    permission_classes = [Authenticated]
    pagination_class = None

    @extend_schema(
        operation_id="users_suggest",
        tags=["users"],
        summary="Members for @mention autocomplete",
        description="Up to 8 active members whose username starts with `q`.",
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)],
        responses=MemberSuggestionSerializer(many=True),
    )
    def get(self, request):
        query = parse(SuggestQuery, request.query_params)
        return Response(self.get_serializer(queries.member_suggestions(query["q"]), many=True).data)
