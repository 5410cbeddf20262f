"""Forms of the moderation pages, the report and appeal forms, the sign-up
honeypot and the personal-data confirmation. As elsewhere, forms parse and
render; the rules (reasons, clauses, lengths, who may) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import CharterClause, FlagReason
from frontend.journal import action_choices


class HoneypotInput(forms.TextInput):
    """A text field people never meet (off-screen, out of the tab order,
    hidden from screen readers) but that form-filling bots fill in. Rendered
    with the form's hidden fields, so layouts print no label or help for it."""

    template_name = "frontend/moderation/honeypot_widget.html"
    is_hidden = True

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "tabindex": "-1", **(attrs or {})})


class HoneypotForm(forms.Form):
    """Mixed into the sign-up form: an account whose `website` is filled in was
    created by a bot, and is refused with a message that teaches it nothing."""

    website = forms.CharField(label=_("Website (leave this empty)"), required=False, widget=HoneypotInput)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            # Not tied to the field: an error on a hidden field would go unseen.
            raise forms.ValidationError(_("Your sign-up could not be completed. Please try again."))
        return cleaned_data


class PersonalDataConfirmForm(forms.Form):
    """Mixed into the question and answer forms. Shown (by the
    `_confirm_personal_data.html` partial) only after the service warned that
    the text looks like it contains personal data."""

    confirm_personal_data = forms.BooleanField(
        label=_("Publish anyway: a moderator will check my post before it is published."),
        required=False,
    )

    # Set by frontend.forms.add_service_errors from a PersonalDataWarning.
    personal_data_matches: list[dict] | None = None


CLAUSE_CHOICES = [("", "—"), *CharterClause.choices]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=_("Details for the moderators"),
        required=False,
        strip=False,
        help_text=_("Optional, except for “Other”. At most 500 characters. The author does not see who reported."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should your post be published again?"),
        required=False,
        strip=False,
        help_text=_("Another moderator will read your post and your explanation. You can appeal once."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
    )


class DecisionForm(forms.Form):
    decision = forms.CharField(required=False)
    clause = forms.ChoiceField(label=_("Charter clause"), choices=CLAUSE_CHOICES, required=False)
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        strip=False,
        help_text=_("Explain kindly what to change; the author reads it with the clause."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )


class EditApproveForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, strip=False)
    body = forms.CharField(label=_("Text"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        strip=False,
        help_text=_("What you changed and why."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )


class SanctionForm(forms.Form):
    """The action is the submit button pressed (warn, suspend, ban, unsuspend, unban)."""

    clause = forms.ChoiceField(label=_("Charter clause"), choices=CLAUSE_CHOICES, required=False)
    days = forms.IntegerField(label=_("Days"), required=False, min_value=1, max_value=365, initial=7)
    # Banning deactivates the account: the moderator ticks this first (checked
    # by the view, so it holds without JavaScript).
    confirm_ban = forms.BooleanField(
        label=_("I confirm: deactivate this account and sign the member out everywhere."), required=False
    )
    message = forms.CharField(
        label=_("Message to the member"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class AuditSearchForm(forms.Form):
    """Query parameters of the audit log page; anything invalid is ignored."""

    # A list to choose from (labels, not codes); an unknown value is ignored like any invalid filter.
    action = forms.ChoiceField(label=_("Action"), required=False, choices=())
    actor = forms.CharField(label=_("Moderator"), required=False, max_length=150)
    target = forms.CharField(
        label=_("Target"), required=False, max_length=200, help_text=_("answer:12, user, or words of its name")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *action_choices()]

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "action": data.get("action") or "",
            "actor": data.get("actor") or "",
            "target": data.get("target") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
