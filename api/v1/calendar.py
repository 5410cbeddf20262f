"""The alternance calendar for the app: its windows (which are active now)
and, for verified staff and moderators, the unanswered questions boosted by
the active windows; moderators keep the windows here as on the site
(/moderation/calendrier/), through forum.services.calendar."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from api.permissions import Authenticated, IsModerator
from api.v1.common import UtcDateTimeField, parse
from api.v1.threads import ThreadSummarySerializer
from forum import permissions, queries
from forum.alternance_calendar import current_or_next, reminder_from
from forum.exceptions import InvalidInput
from forum.models import CalendarWindow, WindowKind
from forum.services import calendar as calendar_services

BOOSTED_LIMIT = 20


class OccurrenceSerializer(serializers.Serializer):
    starts_on = serializers.DateField(source="start", help_text="First day (Europe/Paris), included.")
    ends_on = serializers.DateField(source="end", help_text="Last day (Europe/Paris), included.")


class CalendarWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="In the language of the request (`Accept-Language`).")
    name_fr = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.ChoiceField(choices=WindowKind.choices)
    start = serializers.CharField(help_text="Month and day, `MM-DD`, every year.")
    end = serializers.CharField(help_text="Month and day, `MM-DD`, included; before `start` when crossing 31 Dec.")
    tags = serializers.ListField(child=serializers.CharField(), help_text="Tag slugs whose questions are boosted.")
    reminder_tags = serializers.ListField(
        child=serializers.CharField(), help_text="Tag slugs whose askers get the reminder before the end."
    )
    reminder_days = serializers.IntegerField(
        allow_null=True, help_text="The reminder goes this many days before the end day; null: no reminder."
    )
    active = serializers.BooleanField(help_text="Active now (Europe/Paris).")
    occurrence = OccurrenceSerializer(help_text="The current occurrence if active, else the next one.")
    reminder_from = UtcDateTimeField(allow_null=True, help_text="When this occurrence's reminder is due.")


class CalendarSerializer(serializers.Serializer):
    now = UtcDateTimeField()
    windows = CalendarWindowSerializer(many=True, help_text="The enabled windows, in calendar order.")


class BoostWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=WindowKind.choices)
    ends_on = serializers.DateField()


class BoostedThreadSerializer(ThreadSummarySerializer):
    boosted = serializers.BooleanField(help_text="Always true here.")
    boost_window = BoostWindowSerializer(help_text="The active window whose tags the thread has.")


class BoostedThreadsSerializer(serializers.Serializer):
    results = BoostedThreadSerializer(many=True)


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


def window_data(window: CalendarWindow, now, language: str) -> dict:
    occurrence = current_or_next(window, now)
    return {
        "id": window.pk,
        "name": window.name(language),
        "name_fr": window.name_fr,
        "name_en": window.name_en,
        "kind": window.kind,
        "start": f"{window.start_month:02d}-{window.start_day:02d}",
        "end": f"{window.end_month:02d}-{window.end_day:02d}",
        "tags": window.tags,
        "reminder_tags": window.reminder_tags,
        "reminder_days": window.reminder_days,
        "active": occurrence.starts_at <= now < occurrence.ends_at,
        "occurrence": occurrence,
        "reminder_from": reminder_from(occurrence, window.reminder_days) if window.reminder_days is not None else None,
    }


MONTH_DAY = r"^[0-9]{2}-[0-9]{2}$"


class CalendarWindowInput(serializers.Serializer):
    name_fr = serializers.CharField(max_length=80)
    name_en = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=WindowKind.choices)
    start = serializers.RegexField(MONTH_DAY, max_length=5, help_text="`MM-DD`, Europe/Paris, every year.")
    end = serializers.RegexField(MONTH_DAY, max_length=5, help_text="`MM-DD`, included; before `start` crosses 31 Dec.")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), max_length=20)
    reminder_tags = serializers.ListField(child=serializers.CharField(max_length=50), max_length=20, required=False)
    reminder_days = serializers.IntegerField(required=False, allow_null=True)
    enabled = serializers.BooleanField(required=False, default=True)


def _save(request, pk: int | None) -> CalendarWindow:
    # The body first: a bad body is a 400 whichever window it names.
    data = parse(CalendarWindowInput, request.data)
    window = get_object_or_404(CalendarWindow, pk=pk) if pk is not None else None
    (start_month, start_day), (end_month, end_day) = (
        (int(data[key][:2]), int(data[key][3:])) for key in ("start", "end")
    )
    try:
        return calendar_services.save_window(
            moderator=request.user,
            window=window,
            name_fr=data["name_fr"],
            name_en=data["name_en"],
            kind=data["kind"],
            start_month=start_month,
            start_day=start_day,
            end_month=end_month,
            end_day=end_day,
            tags=data["tags"],
            reminder_tags=data.get("reminder_tags", []),
            reminder_days=data.get("reminder_days"),
            enabled=data["enabled"],
        )
    except InvalidInput as exc:
        # The service names the day fields of the site's form; here they are `start` and `end`.
        renamed = {"start_day": "start", "end_day": "end"}
        raise InvalidInput(exc.message, fields={renamed.get(k, k): v for k, v in exc.fields.items()}) from None


class CalendarView(GenericAPIView):
    serializer_class = CalendarSerializer
    pagination_class = None

    @extend_schema(
        operation_id="calendar_retrieve",
        tags=["calendar"],
        summary="The alternance calendar",
        description="Yearly windows (school start, contract signing deadline) in Europe/Paris time: a window is "
        "active from 00:00 on its start day to the end of its end day. Public.",
        responses=CalendarSerializer,
    )
    def get(self, request):
        now = timezone.now()
        language = _language()
        windows = [window_data(w, now, language) for w in queries.calendar_windows() if w.enabled]
        return Response(CalendarSerializer({"now": now, "windows": windows}).data)


class CalendarWindowCreateView(GenericAPIView):
    serializer_class = CalendarWindowSerializer
    permission_classes = [Authenticated, IsModerator]
    pagination_class = None

    @extend_schema(
        operation_id="calendar_windows_create",
        tags=["calendar"],
        summary="Add a calendar window (moderators)",
        description="Same rules as the site's form: days that exist every year, at least one tag, a reminder "
        "needs reminder tags. Audited; pages showing the calendar are refreshed.",
        request=CalendarWindowInput,
        responses={201: CalendarWindowSerializer},
    )
    def post(self, request):
        window = _save(request, None)
        return Response(CalendarWindowSerializer(window_data(window, timezone.now(), _language())).data, status=201)


class CalendarWindowView(GenericAPIView):
    serializer_class = CalendarWindowSerializer
    permission_classes = [Authenticated, IsModerator]
    pagination_class = None

    @extend_schema(
        operation_id="calendar_windows_update",
        tags=["calendar"],
        summary="Replace a calendar window (moderators)",
        request=CalendarWindowInput,
        responses=CalendarWindowSerializer,
    )
    def put(self, request, pk: int):
        window = _save(request, pk)
        return Response(CalendarWindowSerializer(window_data(window, timezone.now(), _language())).data)

    @extend_schema(
        operation_id="calendar_windows_destroy",
        tags=["calendar"],
        summary="Delete a calendar window (moderators)",
        description="Its reminder records go with it.",
        responses={204: None},
    )
    def delete(self, request, pk: int):
        calendar_services.delete_window(moderator=request.user, window=get_object_or_404(CalendarWindow, pk=pk))
        return Response(status=204)


class BoostedThreadsView(GenericAPIView):
    serializer_class = BoostedThreadsSerializer
    pagination_class = None
    permission_classes = [Authenticated]

    @extend_schema(
        operation_id="threads_boosted",
        tags=["threads"],
        summary="Unanswered threads boosted by the calendar (verified staff, moderators)",
        description="During an active calendar window, the unanswered threads in its tags, oldest first (at most "
        f"{BOOSTED_LIMIT}). Empty outside the windows. For verified HR and school staff and moderators; others "
        "get 403.",
        responses=BoostedThreadsSerializer,
    )
    def get(self, request):
        permissions.check_can_see_calendar_boost(request.user)
        boosted = queries.boosted_questions(request.user, limit=BOOSTED_LIMIT)
        rows = queries.question_list(request.user, status="unanswered").filter(pk__in=[b.pk for b in boosted])
        by_pk = {question.pk: question for question in rows.defer("body", "body_html")}
        language = _language()
        results = []
        for item in boosted:
            question = by_pk.get(item.pk)
            if question is None:
                continue
            question.boosted = True
            question.boost_window = {
                "id": item.window.pk,
                "name": item.window.name(language),
                "kind": item.window.kind,
                "ends_on": item.occurrence.end,
            }
            results.append(question)
        context = self.get_serializer_context()
        return Response({"results": BoostedThreadSerializer(results, many=True, context=context).data})
