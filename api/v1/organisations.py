"""Organisations (companies, schools, CFAs): the directory, one organisation,
its verified members, and the moderators' tools (create, edit, domains).

The API spells it "organization", as in the author objects' badges."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.v1.common import AuthorSerializer, UtcDateTimeField, WebUrlField, parse
from forum import queries
from forum.models import BadgeRole, Organisation
from forum.services import organisations as organisation_services


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, read_only=True)
    website = serializers.CharField(read_only=True, help_text="Empty when unknown.")
    logo_url = serializers.CharField(read_only=True, help_text="Empty when there is none.")
    description = serializers.CharField(read_only=True)
    domains = serializers.SerializerMethodField(
        help_text="Email domains that prove membership (an address there or at a subdomain)."
    )
    auto_approve_ambassadors = serializers.BooleanField(
        read_only=True, help_text="Whether a confirmed work email is enough for the ambassador role."
    )
    member_count = serializers.SerializerMethodField(help_text="Members holding an active badge here.")
    web_url = WebUrlField()

    def get_domains(self, organisation) -> list[str]:
        # .all() reads the prefetch of forum.queries.organisation_list.
        return [entry.domain for entry in organisation.domains.all()]

    def get_member_count(self, organisation) -> int:
        return getattr(organisation, "member_count", 0)


class OrganizationInput(serializers.Serializer):
    """Presence and types only: forum.services.organisations judges the values."""

    name = serializers.CharField(trim_whitespace=False, allow_blank=True)
    kind = serializers.CharField(required=False, help_text="`company` or `school`.")
    website = serializers.CharField(required=False, allow_blank=True)
    logo_url = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    auto_approve_ambassadors = serializers.BooleanField(required=False)
    domains = serializers.ListField(child=serializers.CharField(), required=False, max_length=20)


class OrganizationEditInput(OrganizationInput):
    domains = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class DomainInput(serializers.Serializer):
    domain = serializers.CharField(help_text="For example `groupe-exemple.fr`.")


class MemberSerializer(serializers.Serializer):
    """One verified badge at this organisation, with the member who holds it."""

    id = serializers.IntegerField(read_only=True, help_text="The badge id (moderators revoke it by this id).")
    user = AuthorSerializer(read_only=True)
    role = serializers.ChoiceField(choices=BadgeRole.choices, read_only=True)
    verified_at = UtcDateTimeField()
    expires_at = UtcDateTimeField()


def _reloaded(slug: str) -> Organisation:
    """With its counts and domains, as the list shows it."""
    return queries.organisation_list().get(slug=slug)


class OrganizationListView(GenericAPIView):
    serializer_class = OrganizationSerializer

    @extend_schema(
        operation_id="organizations_list",
        tags=["organizations"],
        summary="List organisations",
        responses=OrganizationSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(queries.organisation_list())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="organizations_create",
        tags=["organizations"],
        summary="Create an organisation (moderators)",
        request=OrganizationInput,
        responses={201: OrganizationSerializer},
    )
    def post(self, request):
        data = parse(OrganizationInput, request.data)
        organisation = organisation_services.create_organisation(actor=request.user, **data)
        body = self.get_serializer(_reloaded(organisation.slug)).data
        return Response(body, status=201, headers={"Location": body["web_url"]})


class OrganizationDetailView(GenericAPIView):
    serializer_class = OrganizationSerializer

    @extend_schema(operation_id="organizations_retrieve", tags=["organizations"], summary="Read an organisation")
    def get(self, request, slug: str):
        queries.get_organisation(slug)  # NotFound for an unknown slug
        return Response(self.get_serializer(_reloaded(slug)).data)

    @extend_schema(
        operation_id="organizations_update",
        tags=["organizations"],
        summary="Edit an organisation (moderators)",
        description="Fields left out keep their value. The slug never changes.",
        request=OrganizationEditInput,
        responses={200: OrganizationSerializer},
    )
    def patch(self, request, slug: str):
        data = parse(OrganizationEditInput, request.data)
        organisation = queries.get_organisation(slug)
        organisation_services.update_organisation(actor=request.user, organisation=organisation, **data)
        return Response(self.get_serializer(_reloaded(slug)).data)


class OrganizationMemberListView(GenericAPIView):
    serializer_class = MemberSerializer

    @extend_schema(
        operation_id="organizations_members_list",
        tags=["organizations"],
        summary="Verified members of an organisation",
        description="HR and school staff first, then ambassadors; each with their author object.",
        responses=MemberSerializer(many=True),
    )
    def get(self, request, slug: str):
        organisation = queries.get_organisation(slug)
        page = self.paginate_queryset(queries.organisation_members(organisation))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class OrganizationDomainListView(GenericAPIView):
    serializer_class = OrganizationSerializer

    @extend_schema(
        operation_id="organizations_domains_create",
        tags=["organizations"],
        summary="Add an email domain (moderators)",
        description="Public email services (gmail.com, orange.fr...) are refused; a domain belongs to one "
        "organisation only (409).",
        request=DomainInput,
        responses={201: OrganizationSerializer},
    )
    def post(self, request, slug: str):
        data = parse(DomainInput, request.data)
        organisation = queries.get_organisation(slug)
        organisation_services.add_domain(actor=request.user, organisation=organisation, domain=data["domain"])
        return Response(self.get_serializer(_reloaded(slug)).data, status=201)


class OrganizationDomainDetailView(GenericAPIView):
    serializer_class = OrganizationSerializer

    @extend_schema(
        operation_id="organizations_domains_destroy",
        tags=["organizations"],
        summary="Remove an email domain (moderators)",
        description="Badges already granted stay until they expire or are revoked.",
        responses={204: None},
    )
    def delete(self, request, slug: str, domain: str):
        organisation = queries.get_organisation(slug)
        organisation_services.remove_domain(actor=request.user, organisation=organisation, domain=domain)
        return Response(status=204)
