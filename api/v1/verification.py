"""Verified badges: asking for one, confirming the work email, renewing, and
the moderators' queue and decisions.

A request's work email is private: these endpoints show a request only to the
member who made it and to moderators."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import AuthorSerializer, UtcDateTimeField, absolute, parse
from forum import queries
from forum.models import Badge, BadgeRole, VerificationRequest
from forum.services import verification as verification_services


class OrganizationReferenceSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class VerificationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = AuthorSerializer(read_only=True, help_text="Who asks (the current member, or anyone for moderators).")
    organization = OrganizationReferenceSerializer(source="organisation", read_only=True)
    role = serializers.ChoiceField(choices=BadgeRole.choices, read_only=True)
    work_email = serializers.EmailField(read_only=True, help_text="Private: only its owner and moderators see it.")
    status = serializers.ChoiceField(choices=VerificationRequest.Status.choices, read_only=True)
    renews_badge_id = serializers.IntegerField(
        source="renews_id", read_only=True, allow_null=True, help_text="Set when the request renews a badge."
    )
    reason = serializers.CharField(read_only=True, help_text="The moderator's reason, if any.")
    created_at = UtcDateTimeField()
    email_confirmed_at = UtcDateTimeField(allow_null=True)
    decided_at = UtcDateTimeField(allow_null=True)
    web_url = serializers.SerializerMethodField()

    def get_web_url(self, verification_request) -> str:
        path = reverse("frontend:my_badges") + f"#request-{verification_request.pk}"
        return absolute(self.context.get("request"), path)


class ConfirmationSerializer(serializers.Serializer):
    """What confirming a link tells whoever opened it: nothing private."""

    id = serializers.IntegerField(read_only=True)
    organization = OrganizationReferenceSerializer(source="organisation", read_only=True)
    role = serializers.ChoiceField(choices=BadgeRole.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=VerificationRequest.Status.choices,
        read_only=True,
        help_text="`pending_review` (a moderator decides next) or `approved` (auto-approved or renewed).",
    )


class BadgeDetailSerializer(serializers.Serializer):
    """One of the current member's badges, active or not."""

    id = serializers.IntegerField(read_only=True)
    organization = OrganizationReferenceSerializer(source="organisation", read_only=True)
    role = serializers.ChoiceField(choices=BadgeRole.choices, read_only=True)
    status = serializers.SerializerMethodField()
    verified_at = UtcDateTimeField()
    expires_at = UtcDateTimeField()
    revoked_at = UtcDateTimeField(allow_null=True)
    reason = serializers.CharField(read_only=True, help_text="Why moderators revoked it, if they did.")
    web_url = serializers.SerializerMethodField()

    def get_status(self, badge) -> str:
        # A badge past its date reads as expired even before the cron job runs.
        if badge.status == Badge.Status.ACTIVE and not badge.is_active:
            return Badge.Status.EXPIRED
        return badge.status

    def get_web_url(self, badge) -> str:
        return absolute(self.context.get("request"), badge.organisation.get_absolute_url())


class RequestInput(serializers.Serializer):
    organization = serializers.CharField(help_text="The organisation's slug.")
    role = serializers.CharField(help_text="`hr`, `school` or `ambassador`.")
    work_email = serializers.CharField(
        help_text="An address at one of the organisation's domains (or a subdomain): a confirmation link goes there."
    )


class TokenInput(serializers.Serializer):
    token = serializers.CharField(help_text="The token of the link in the confirmation email.")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class RequiredReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False, help_text="Shown to the member.")


class RenewInput(serializers.Serializer):
    work_email = serializers.CharField(
        required=False, help_text="Defaults to the address that proved the badge last time."
    )


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


class VerificationRequestListView(GenericAPIView):
    serializer_class = VerificationRequestSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="verification_requests_list",
        tags=["verification"],
        summary="My badge requests",
        description="Newest first.",
        responses=VerificationRequestSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(queries.my_verification_requests(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="verification_requests_create",
        tags=["verification"],
        summary="Ask for a verified badge",
        description="Sends a confirmation link to the work email, which must be at one of the organisation's "
        "domains. Then a moderator reviews the request (ambassadors may be approved on confirmation when the "
        "organisation allows it). At most 5 requests a day.",
        request=RequestInput,
        responses={201: VerificationRequestSerializer},
    )
    def post(self, request):
        data = parse(RequestInput, request.data)
        organisation = queries.get_organisation(data["organization"])
        created = verification_services.request_badge(
            user=request.user,
            organisation=organisation,
            role=data["role"],
            work_email=data["work_email"],
            site_url=_site_url(request),
        )
        return Response(self.get_serializer(created).data, status=201)


class VerificationRequestDetailView(GenericAPIView):
    serializer_class = VerificationRequestSerializer
    permission_classes = [Authenticated]

    @extend_schema(operation_id="verification_requests_retrieve", tags=["verification"], summary="A badge request")
    def get(self, request, pk: int):
        return Response(self.get_serializer(queries.get_verification_request(request.user, pk)).data)


class VerificationRequestActionView(GenericAPIView):
    """Base of the POST actions on one request."""

    serializer_class = VerificationRequestSerializer
    permission_classes = [Authenticated]

    def target(self, pk: int) -> VerificationRequest:
        return queries.get_verification_request(self.request.user, pk)

    def respond(self, verification_request: VerificationRequest) -> Response:
        verification_request.refresh_from_db()
        return Response(self.get_serializer(verification_request).data)


class VerificationRequestCancelView(VerificationRequestActionView):
    @extend_schema(
        operation_id="verification_requests_cancel",
        tags=["verification"],
        summary="Cancel my badge request",
        request=None,
    )
    def post(self, request, pk: int):
        target = self.target(pk)
        return self.respond(verification_services.cancel_request(user=request.user, request=target))


class VerificationRequestResendView(VerificationRequestActionView):
    @extend_schema(
        operation_id="verification_requests_resend",
        tags=["verification"],
        summary="Send the confirmation link again",
        description="The previous link stops working. At most one email a minute, five per request.",
        request=None,
    )
    def post(self, request, pk: int):
        target = self.target(pk)
        sent = verification_services.resend_confirmation(user=request.user, request=target, site_url=_site_url(request))
        return self.respond(sent)


class VerificationRequestApproveView(VerificationRequestActionView):
    @extend_schema(
        operation_id="verification_requests_approve",
        tags=["verification"],
        summary="Approve a badge request (moderators)",
        description="Only a request whose work email is confirmed (`pending_review`); never one's own.",
        request=ReasonInput,
    )
    def post(self, request, pk: int):
        data = parse(ReasonInput, request.data)
        target = self.target(pk)
        verification_services.approve_request(moderator=request.user, request=target, reason=data.get("reason", ""))
        return self.respond(target)


class VerificationRequestRefuseView(VerificationRequestActionView):
    @extend_schema(
        operation_id="verification_requests_refuse",
        tags=["verification"],
        summary="Refuse a badge request (moderators)",
        request=RequiredReasonInput,
    )
    def post(self, request, pk: int):
        data = parse(RequiredReasonInput, request.data)
        target = self.target(pk)
        return self.respond(
            verification_services.refuse_request(moderator=request.user, request=target, reason=data["reason"])
        )


class VerificationConfirmView(GenericAPIView):
    serializer_class = ConfirmationSerializer
    # The link is often opened where the member is not logged in (a work
    # computer): the token itself is the proof.
    permission_classes = [AllowAny]
    write_scope = "auth"

    @extend_schema(
        operation_id="verification_confirm",
        tags=["verification"],
        summary="Confirm a work email",
        description="With the token of the emailed link; no login needed (the token is the proof). A token works once.",
        request=TokenInput,
        responses={200: ConfirmationSerializer},
    )
    def post(self, request):
        data = parse(TokenInput, request.data)
        confirmed = verification_services.confirm_work_email(token=data["token"])
        return Response(self.get_serializer(confirmed).data)


class VerificationQueueView(GenericAPIView):
    serializer_class = VerificationRequestSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="verification_queue_list",
        tags=["verification"],
        summary="Requests waiting for a moderator (moderators)",
        description="Work email confirmed, oldest confirmation first.",
        responses=VerificationRequestSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(queries.verification_queue(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class BadgeListView(GenericAPIView):
    serializer_class = BadgeDetailSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="verification_badges_list",
        tags=["verification"],
        summary="My badges",
        description="Active, expired and revoked; newest first.",
        responses=BadgeDetailSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(queries.my_badges(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class BadgeRenewView(GenericAPIView):
    serializer_class = VerificationRequestSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="verification_badges_renew",
        tags=["verification"],
        summary="Renew my badge",
        description="Sends a confirmation link to the work email; opening it extends the badge by 12 months. "
        "Only an active badge can be renewed.",
        request=RenewInput,
        responses={201: VerificationRequestSerializer},
    )
    def post(self, request, pk: int):
        data = parse(RenewInput, request.data)
        badge = queries.get_badge(pk)
        renewal = verification_services.request_renewal(
            user=request.user, badge=badge, work_email=data.get("work_email"), site_url=_site_url(request)
        )
        return Response(self.get_serializer(renewal).data, status=201)


class BadgeRevokeView(GenericAPIView):
    serializer_class = BadgeDetailSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="verification_badges_revoke",
        tags=["verification"],
        summary="Revoke a badge (moderators)",
        description="Takes effect at once on every page, API response and later websocket event.",
        request=RequiredReasonInput,
    )
    def post(self, request, pk: int):
        data = parse(RequiredReasonInput, request.data)
        badge = queries.get_badge(pk)
        return Response(
            self.get_serializer(
                verification_services.revoke_badge(moderator=request.user, badge=badge, reason=data["reason"])
            ).data
        )
