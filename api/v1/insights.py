"""HR insights ("veille"): the dashboard's figures for the app, with the
page's scoping (forum.permissions.can_view_insights, insight_organisations)
and numbers (forum.insights). Read-only.

The API spells it "organization" and calls a question a "thread", as
everywhere in the public contract. Durations are seconds, shares ratios
from 0 to 1, null when there is nothing to divide."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import UtcDateTimeField, WebUrlField, parse
from forum import permissions
from forum.exceptions import NotAllowed
from forum.insights.dashboard import dashboard, organisation_dashboard
from forum.insights.period import parse_period
from forum.models import Organisation


class PeriodSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    bucket = serializers.ChoiceField(choices=["day", "week"], help_text="The size of `questions.buckets`.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword: declared here.
        self.fields["from"] = serializers.DateField(source="first_day", help_text="First day (Europe/Paris).")
        self.fields["to"] = serializers.DateField(source="last_day", help_text="Last day, included.")


class BucketSerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The day, or the Monday of the week (Europe/Paris).")
    asked = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Of those asked, with a published answer now.")
    solved = serializers.IntegerField(help_text="Of those asked, with an accepted answer now.")


class VolumeSerializer(serializers.Serializer):
    asked = serializers.IntegerField()
    answered = serializers.IntegerField()
    solved = serializers.IntegerField()
    answered_share = serializers.FloatField(allow_null=True)
    solved_share = serializers.FloatField(allow_null=True)
    buckets = BucketSerializer(many=True, help_text="Every day (or week) of the period, empty ones included.")


class TagTrendSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    questions = serializers.IntegerField(help_text="Threads asked in the period with this tag.")
    previous = serializers.IntegerField(help_text="The same in the previous period of the same length.")
    growth = serializers.FloatField(allow_null=True, help_text="(questions - previous) / previous; null when new.")


class TagTrendsSerializer(serializers.Serializer):
    top = TagTrendSerializer(many=True)
    rising = TagTrendSerializer(many=True, help_text="More threads than before, by threads gained.")


class FacetShareSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The facet's value; empty for threads that did not say.")
    label = serializers.CharField()
    questions = serializers.IntegerField()


class FacetBreakdownSerializer(serializers.Serializer):
    facet = serializers.ChoiceField(choices=["diploma", "region"])
    total = serializers.IntegerField()
    shares = FacetShareSerializer(many=True)


class WaitSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Threads that got one.")
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)


class ResponseTimesSerializer(serializers.Serializer):
    asked = serializers.IntegerField()
    first_answer = WaitSerializer(help_text="A published answer by someone other than the asker.")
    first_verified_answer = WaitSerializer(help_text="The same, by an HR or school-staff verified member.")
    verified_share = serializers.FloatField(allow_null=True, help_text="Of answered threads, verified-answered.")
    community_share = serializers.FloatField(allow_null=True)


class ThreadRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = UtcDateTimeField()
    web_url = WebUrlField()


class PopularThreadSerializer(serializers.Serializer):
    thread = ThreadRefSerializer(source="question")
    count = serializers.IntegerField(help_text="Views, or followers who neither asked nor answered.")


class UnansweredSerializer(serializers.Serializer):
    followed_tags_only = serializers.BooleanField(help_text="False when the member follows no tag: every tag.")
    threads = ThreadRefSerializer(source="questions", many=True, help_text="Oldest first; not bound to the period.")


class OrganizationRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class OrganizationFiguresSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer(source="organisation")
    addressed = serializers.IntegerField(help_text="Threads addressed to it during the period.")
    responded = serializers.IntegerField(help_text="Of those, answered by one of its verified members.")
    response_rate = serializers.FloatField(allow_null=True)
    response = WaitSerializer(help_text="From the addressing to its members' first answer.")
    accepted_answers = serializers.IntegerField(help_text="Its members' answers of the period that were accepted.")


class InsightsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    questions = VolumeSerializer(source="volume")
    tags = TagTrendsSerializer()
    facets = FacetBreakdownSerializer(many=True)
    response_times = ResponseTimesSerializer()
    most_viewed = PopularThreadSerializer(many=True)
    most_followed = PopularThreadSerializer(
        many=True, help_text="Followers who neither asked nor answered: the forum's 'me too'."
    )
    unanswered = UnansweredSerializer()
    organizations = OrganizationRefSerializer(
        source="organisations", many=True, help_text="Organisations whose figures this member may read."
    )
    organization = OrganizationFiguresSerializer(source="organisation", allow_null=True)


class OrganizationInsightsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    figures = OrganizationFiguresSerializer()


class InsightsParams(serializers.Serializer):
    """Presence and lengths (forum.limits) only: forum.insights.period judges the values."""

    period = serializers.CharField(required=False, allow_blank=True)
    organization = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = serializers.DateField(required=False)
        self.fields["to"] = serializers.DateField(required=False)


def _period(request):
    params = parse(InsightsParams, request.query_params)
    # forum.insights.period reads what a page's query string holds: text.
    return parse_period({name: str(value) for name, value in params.items()}), params


PERIOD_PARAMETERS = [
    OpenApiParameter("period", str, required=False, description="`7`, `30` (default), `90` or `custom`."),
    OpenApiParameter("from", OpenApiTypes.DATE, required=False, description="With `custom`: first day."),
    OpenApiParameter("to", OpenApiTypes.DATE, required=False, description="With `custom`: last day, included."),
]


class InsightsView(GenericAPIView):
    serializer_class = InsightsSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="insights_retrieve",
        tags=["insights"],
        summary="The insights dashboard (verified HR and school staff, moderators)",
        description="Public community figures of the period (aggregates and public threads only), and one "
        "organization's own figures: by default a staff member's first organization, for moderators none "
        "unless `organization` names one. Others get 403, as does an organization the member does not "
        "belong to. Days are Europe/Paris days.",
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("organization", str, required=False, description="An organization's slug."),
        ],
        responses=InsightsSerializer,
    )
    def get(self, request):
        # Refused before the period is read: a student learns nothing from a 400.
        permissions.check_can_view_insights(request.user)
        period, params = _period(request)
        board = dashboard(request.user, period, organisation_slug=params.get("organization") or None)
        return Response(InsightsSerializer(board, context={"request": request}).data)


class OrganizationInsightsView(GenericAPIView):
    serializer_class = OrganizationInsightsSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="insights_organization_retrieve",
        tags=["insights"],
        summary="One organization's figures (its verified staff, moderators)",
        parameters=PERIOD_PARAMETERS,
        responses=OrganizationInsightsSerializer,
    )
    def get(self, request, slug: str):
        permissions.check_can_view_insights(request.user)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            # Same answer as a real organisation of someone else: a 403
            # must not reveal which slugs exist.
            raise NotAllowed()
        period, _params = _period(request)
        figures = organisation_dashboard(request.user, organisation, period)
        return Response(OrganizationInsightsSerializer({"period": period, "figures": figures}).data)
