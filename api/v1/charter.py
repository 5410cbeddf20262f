"""The charter that teaches, for the mobile app: the composer hints of the
member's first posts (and putting them away), and a moderation decision
explained (the same words as the web pages: forum.charter)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated
from api.v1.common import UtcDateTimeField, absolute, parse
from forum import charter
from forum.services import charter as charter_services


class ClauseExampleSerializer(serializers.Serializer):
    good = serializers.CharField(help_text="What the clause asks, as a short example to follow.")
    bad = serializers.CharField(help_text="The same situation written against the clause.")


class HintSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Stable identifier of the hint (`privacy`, `no_recruiting`, …).")
    text = serializers.CharField(help_text="The hint, in the request's language.")
    clause = serializers.ChoiceField(choices=list(charter.CLAUSES), help_text="The charter clause it teaches.")
    clause_title = serializers.CharField()
    clause_url = serializers.CharField(help_text="The clause's anchor on the charter page (absolute URL).")


class ComposerHintsSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=[charter.ROLE_STUDENT, charter.ROLE_STAFF],
        allow_null=True,
        help_text="`student` (every member but verified HR/school staff), `staff`, or null when no hint shows.",
    )
    reason = serializers.ChoiceField(
        choices=["first_posts", "recent_hide"],
        allow_null=True,
        help_text="`first_posts`: one of the member's first posts; `recent_hide`: a post of theirs was hidden lately.",
    )
    hints = HintSerializer(many=True, help_text="Empty once dismissed, after the first posts, and for moderators.")


class ComposerHintsQuery(serializers.Serializer):
    context = serializers.ChoiceField(choices=list(charter.CONTEXTS))


class DismissalSerializer(serializers.Serializer):
    dismissed_at = UtcDateTimeField()


def _absolute_urls(request, data: dict, *names: str) -> dict:
    for name in names:
        if data.get(name):
            data[name] = absolute(request, data[name])
    return data


class ComposerHintsView(GenericAPIView):
    serializer_class = ComposerHintsSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="me_composer_hints",
        tags=["me"],
        summary="The charter hints for my next post",
        description="Show them above the composer, as the site does: 2 or 3 short role-specific hints, "
        "each linking its charter clause. Dismiss them with `POST /me/composer-hints/dismiss/`.",
        parameters=[
            OpenApiParameter("context", str, enum=list(charter.CONTEXTS), required=True, description="The composer.")
        ],
    )
    def get(self, request):
        query = parse(ComposerHintsQuery, request.query_params)
        data = charter.hints_data(charter.hints_for(request.user, context=query["context"]))
        for hint in data["hints"]:
            _absolute_urls(request, hint, "clause_url")
        return Response(self.get_serializer(data).data)


class ComposerHintsDismissView(GenericAPIView):
    serializer_class = DismissalSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="me_composer_hints_dismiss",
        tags=["me"],
        summary="Put the charter hints away (“Compris”)",
        description="Stored on the server: the hints stop showing on every device. A post of yours hidden "
        "afterwards brings them back once.",
        request=None,
    )
    def post(self, request):
        dismissal = charter_services.dismiss_hints(member=request.user)
        return Response(self.get_serializer(dismissal).data)


class ModerationOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The decision (review item) id, as in `moderation.decision` frames.")
    decision = serializers.ChoiceField(choices=["approve", "hide", "edit_approve", "restore"])
    decided_at = UtcDateTimeField(allow_null=True)
    post_type = serializers.ChoiceField(choices=["question", "answer"])
    post_id = serializers.IntegerField()
    question_id = serializers.IntegerField()
    title = serializers.CharField(help_text="The thread's title.")
    excerpt = serializers.CharField(help_text="The start of the post's text (Markdown source, 200 characters).")
    visibility = serializers.CharField(help_text="The post's visibility now.")
    note = serializers.CharField(allow_blank=True, help_text="The moderator's note to the author.")
    clause = serializers.CharField(allow_blank=True, help_text="The charter clause, empty when none was named.")
    clause_title = serializers.CharField(allow_null=True)
    clause_why = serializers.CharField(allow_null=True)
    clause_example = ClauseExampleSerializer(allow_null=True)
    clause_url = serializers.CharField(allow_null=True, help_text="The clause's anchor on the charter page.")
    can_edit = serializers.BooleanField()
    can_appeal = serializers.BooleanField(help_text="`POST /threads/<id>/appeal/` or `/answers/<id>/appeal/` is open.")
    appealed = serializers.BooleanField()
    outcome_url = serializers.CharField(help_text="The same explanation on the site.")
    web_url = serializers.CharField()


class ModerationOutcomeView(GenericAPIView):
    serializer_class = ModerationOutcomeSerializer
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="moderation_decision_retrieve",
        tags=["moderation"],
        summary="A moderation decision explained",
        description="For the author of the post and for moderators; 404 for anyone else. The clause in plain "
        "words with a good and a bad example, the moderator's note, and what the author can do next.",
    )
    def get(self, request, pk: int):
        data = charter.outcome_data(charter.get_outcome(request.user, pk))
        return Response(self.get_serializer(_absolute_urls(request, data, "clause_url", "outcome_url", "web_url")).data)
