"""The moderators' form for a calendar window. It parses and renders; the
rules are forum.services.calendar's, whose field errors come back here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import WindowKind

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]
DAYS = [(day, str(day)) for day in range(1, 32)]


class CalendarWindowForm(forms.Form):
    name_fr = forms.CharField(label=_("Name in French"), max_length=80, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=WindowKind.choices)
    start_day = forms.TypedChoiceField(label=_("Start day"), choices=DAYS, coerce=int)
    start_month = forms.TypedChoiceField(label=_("Start month"), choices=MONTHS, coerce=int)
    end_day = forms.TypedChoiceField(
        label=_("End day (included)"),
        choices=DAYS,
        coerce=int,
        help_text=_("Europe/Paris time. An end before the start crosses the new year."),
    )
    end_month = forms.TypedChoiceField(label=_("End month"), choices=MONTHS, coerce=int)
    tags = forms.CharField(
        label=_("Boosted tags"),
        required=False,
        max_length=1000,
        help_text=_("Unanswered questions with one of these tags are shown first to verified staff."),
    )
    reminder_tags = forms.CharField(
        label=_("Reminder tags"),
        required=False,
        max_length=1000,
        help_text=_("The askers of questions with these tags get one reminder before the end of the window."),
    )
    reminder_days = forms.IntegerField(
        label=_("Reminder, days before the end"), required=False, min_value=1, max_value=90
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    @classmethod
    def for_window(cls, window) -> "CalendarWindowForm":
        return cls(
            initial={
                "name_fr": window.name_fr,
                "name_en": window.name_en,
                "kind": window.kind,
                "start_day": window.start_day,
                "start_month": window.start_month,
                "end_day": window.end_day,
                "end_month": window.end_month,
                "tags": ", ".join(window.tags),
                "reminder_tags": ", ".join(window.reminder_tags),
                "reminder_days": window.reminder_days,
                "enabled": window.enabled,
            }
        )
