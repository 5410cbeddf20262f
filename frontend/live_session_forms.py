"""Forms of the live session pages. As elsewhere (frontend/forms.py), they
parse and render; the rules are the service's (forum.services.live_sessions),
whose field errors come back onto these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.exceptions import InvalidInput
from forum.models import Organisation, User


class LiveQuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 20000}),
        help_text=_("Others can vote for it; the most wanted questions are answered first."),
    )
    confirm_personal_data = forms.BooleanField(required=False)


class LiveAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 20000})
    )


class LiveMergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into question no."), min_value=1)


class LiveScheduleForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5, "maxlength": 5000})
    )
    starts_at = forms.DateTimeField(
        label=_("Start (Paris time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=10, max_value=480, initial=60
    )
    hosts = forms.CharField(
        label=_("Hosts"),
        required=False,
        help_text=_("Usernames separated by commas; hosts need a verified HR or school-staff badge."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation (optional)"), queryset=Organisation.objects.all(), required=False
    )

    def named_hosts(self) -> list[User]:
        """The named members, or InvalidInput naming those who match nobody."""
        hosts, unknown = self.host_users()
        if unknown:
            raise InvalidInput(
                fields={"hosts": [_("Nobody is called %(names)s here.") % {"names": ", ".join(unknown)}]}
            )
        return hosts

    def host_users(self) -> tuple[list[User], list[str]]:
        """The named members, and the names that match nobody."""
        names = [name.strip().lstrip("@") for name in (self.cleaned_data.get("hosts") or "").split(",")]
        names = [name for name in names if name]
        found = {user.username.lower(): user for user in User.objects.filter(username__in=names)}
        return [found[n.lower()] for n in names if n.lower() in found], [n for n in names if n.lower() not in found]
