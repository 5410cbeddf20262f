"""Forms parse and render; the rules live in `forum.validation` and the
services, which raise InvalidInput with per-field messages that the views add
back onto these forms. So most fields here are optional on purpose: an empty
title reaches the service and gets its message, not Django's generic one."""

from django import forms
from django.contrib import messages
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum import legal_dates, permissions
from forum.exceptions import InvalidInput, PersonalDataWarning
from forum.models import FACETS, UserRole
from forum.models.facets import FACET_LABELS
from forum.services.profiles import PROFILE_LIMITS, complete_signup
from frontend.moderation_forms import HoneypotForm, PersonalDataConfirmForm
from frontend.widgets import CheckboxSelectMultiple, Select


def add_service_errors(form: forms.Form, exc: InvalidInput) -> None:
    """Put a service's field errors next to the matching fields (the others on
    top of the form), keeping everything the person typed."""
    if isinstance(exc, PersonalDataWarning):
        # The form then offers "publish anyway" (moderation/_confirm_personal_data.html).
        form.personal_data_matches = exc.matches
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for field, field_messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def _facet_field(name: str, **kwargs) -> forms.CharField:
    # A select that the form does not check: the service's rule gives the
    # message (forum.validation.clean_facets), as for the other fields.
    return forms.CharField(
        label=FACET_LABELS[name],
        required=False,
        widget=Select(choices=[("", _("Not specified")), *FACETS[name].choices]),
        **kwargs,
    )


def _editor_attrs(rows: int) -> dict:
    """A post body's textarea: mentions.js reads its endpoint and labels from
    these, so the autocomplete follows the body wherever a template puts it."""
    return {
        "rows": rows,
        "required": True,
        "data-mention-url": reverse_lazy("frontend:mention_suggest"),
        "data-mention-label": _("Members to mention"),
    }


class QuestionForm(PersonalDataConfirmForm):
    title = forms.CharField(
        label=_("Your question in one sentence"),
        required=False,
        strip=False,
        help_text=_("Be specific: “Can my employer change my schedule during a BTS apprenticeship?”"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "required": True}),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        strip=False,
        help_text=_("Your situation, what you already tried, what you want to know. Markdown is welcome."),
        widget=forms.Textarea(attrs=_editor_attrs(rows=10)),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("1 to 5 tags separated by commas, for example: bts, contrat-apprentissage, rythme."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-tag-input": True, "required": True}),
    )
    # The alternance facets, all optional (forum/models/facets.py).
    diploma = _facet_field("diploma")
    contract = _facet_field("contract")
    sector = _facet_field("sector")
    region = _facet_field("region")

    FACET_FIELDS = ("diploma", "contract", "sector", "region")

    def facet_values(self) -> dict[str, str]:
        """The facets as sent, for the service to check."""
        return {name: (self.data.get(name) or "") for name in self.FACET_FIELDS}


def _discreet_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Hide my identity from these organisations"),
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_(
            "Their verified members (HR, school staff, employees) will see “An apprentice” instead of your name, "
            "picture and profile, on your question and on everything you write in this thread. Moderators still see "
            "who you are. What you write can still identify you: leave out names, dates, places and details only "
            "you would know. At most 5."
        ),
    )


def _everywhere_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Hide my identity from everyone"),
        required=False,
        help_text=_("Every reader, signed in or not, sees “An apprentice”; only moderators see who you are."),
    )


class AskForm(QuestionForm):
    """The ask form can also address the question to organisations (their
    verified members will be notified once notifications exist)."""

    addressed_to = forms.MultipleChoiceField(
        label=_("Ask an organisation (optional)"),
        required=False,
        widget=CheckboxSelectMultiple,
        help_text=_("Its verified HR, school staff and ambassadors will see that the question is for them."),
    )

    discreet_from = _discreet_field()
    discreet_everywhere = _everywhere_field()

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].choices = [(o.slug, o.name) for o in organisations]
        self.fields["discreet_from"].choices = [(o.slug, o.name) for o in organisations]


class AskerEditForm(QuestionForm):
    """The edit form as the asker sees it: they may also change discreet mode."""

    discreet_from = _discreet_field()
    discreet_everywhere = _everywhere_field()

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discreet_from"].choices = [(o.slug, o.name) for o in organisations]


class AnswerForm(PersonalDataConfirmForm):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=_editor_attrs(rows=8)),
    )
    # A legal answer's dating (forum/legal_dates.py): judged by the service,
    # which words the messages for the web and the API alike.
    valid_as_of = forms.CharField(
        label=_("Valid as of"),
        required=False,
        help_text=_("The day you checked the figures (pay, aid amounts). Optional."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        help_text=_(
            "Up to 3 https:// links, one per line. Official sites (service-public.fr, legifrance.gouv.fr, "
            "urssaf.fr…) are marked as such."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's date picker stops at today in Paris, as the service does.
        self.fields["valid_as_of"].widget.attrs["max"] = legal_dates.today().isoformat()

    @classmethod
    def for_answer(cls, answer) -> "AnswerForm":
        return cls(
            initial={
                "body": answer.body,
                "valid_as_of": answer.valid_as_of.isoformat() if answer.valid_as_of else "",
                "sources": "\n".join(answer.sources or []),
            }
        )

    def dating(self) -> dict:
        """The service's `valid_as_of` and `sources`, as typed."""
        data = getattr(self, "cleaned_data", {})
        return {"valid_as_of": data.get("valid_as_of", ""), "sources": data.get("sources", "")}


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        help_text=_("The name shown on your questions and answers. A first name is enough."),
    )
    role = forms.ChoiceField(label=_("Who I am"), choices=UserRole.choices)
    school = forms.CharField(
        label=_("School or training"), required=False, help_text=_("For example: BTS MCO, IUT de Lyon, CFA du BTP.")
    )
    region = forms.CharField(label=_("Region"), required=False)
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Never write your phone number or address here."),
    )


class SignupProfileForm(HoneypotForm):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth saves the user *before* calling `signup()`, outside a transaction,
    so everything must be known valid by then: the limits below are the
    service's own (PROFILE_LIMITS, UserRole), checked while the form validates.
    """

    field_order = [
        "display_name",
        "email",
        "username",
        "password1",
        "password2",
        "role",
        "school",
        "region",
        "charter",
    ]

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=PROFILE_LIMITS["display_name"],
        required=False,
        help_text=_("Shown on your posts. A first name is enough; you can change it later."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    role = forms.ChoiceField(label=_("Who I am"), choices=UserRole.choices, initial=UserRole.STUDENT)
    school = forms.CharField(
        label=_("School or training"),
        max_length=PROFILE_LIMITS["school"],
        required=False,
        help_text=_("Optional. For example: BTS MCO, IUT de Lyon, CFA du BTP."),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=PROFILE_LIMITS["region"],
        required=False,
        help_text=_("Optional. For example: Auvergne-Rhône-Alpes."),
    )
    charter = forms.BooleanField(
        required=True,
        error_messages={"required": _("You must accept the community charter to join.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the label holds a link and must follow the language.
        self.fields["charter"].label = format_html(
            gettext(
                'I have read and I accept the <a href="{url}" target="_blank" rel="noopener">community charter</a>'
                " (opens in a new tab)."
            ),
            url=reverse("frontend:charter"),
        )

    def _clean_name_field(self, field: str) -> str:
        # The service's rule, checked here because allauth saves the user first.
        value = " ".join(self.cleaned_data.get(field, "").split())
        refusal = permissions.name_refusal(None, value, field=field)
        if refusal:
            raise forms.ValidationError(refusal)
        return value

    def clean_display_name(self) -> str:
        return self._clean_name_field("display_name")

    def clean_school(self) -> str:
        return self._clean_name_field("school")

    def clean_region(self) -> str:
        return self._clean_name_field("region")

    def signup(self, request, user) -> None:
        profile = {
            "display_name": self.cleaned_data.get("display_name", ""),
            "school": self.cleaned_data.get("school", ""),
            "region": self.cleaned_data.get("region", ""),
        }
        role = self.cleaned_data.get("role") or UserRole.STUDENT
        charter = bool(self.cleaned_data.get("charter"))
        try:
            complete_signup(user=user, role=role, charter_accepted=charter, **profile)
        except InvalidInput:
            # The account already exists at this point (allauth saved it), so a
            # profile rule the form could not foresee must not end in an error
            # page: keep the account, drop the profile details, say so.
            complete_signup(user=user, role=role, charter_accepted=charter, display_name="", school="", region="")
            messages.warning(
                request, gettext("Some profile details could not be saved: you can complete them on your profile.")
            )


class ListFilterForm(forms.Form):
    """Query parameters of question lists. Anything unknown falls back to the
    default instead of failing: a shared link with a stale filter still works."""

    STATUS_CHOICES = [
        ("all", _("All")),
        ("unanswered", _("Unanswered")),
        ("solved", _("Solved")),
        # Answered by a verified HR or school staff member.
        ("verified", _("Verified HR")),
    ]

    filter = forms.ChoiceField(choices=STATUS_CHOICES, required=False, widget=Select)
    q = forms.CharField(max_length=200, required=False)

    def values(self) -> tuple[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("filter") or "all", (data.get("q") or "").strip()


class SearchForm(forms.Form):
    """The search page's query parameters. Unlike list filters, a bad value is
    shown as an error: the reader typed it into this form."""

    SORT_CHOICES = [("relevance", _("Most relevant")), ("recency", _("Newest"))]

    q = forms.CharField(label=_("Words to find"), max_length=200, required=False)
    filter = forms.ChoiceField(label=_("Status"), choices=ListFilterForm.STATUS_CHOICES, required=False, widget=Select)
    tag = forms.CharField(label=_("Tag"), max_length=100, required=False)
    since = forms.DateField(label=_("Asked from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Asked until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False, widget=Select)


class FacetFilterForm(forms.Form):
    """The facet selects above a question list (GET, works without JS); the
    values are checked by forum.thread_filters, which drops unknown ones."""

    diploma = _facet_field("diploma")
    contract = _facet_field("contract")
    sector = _facet_field("sector")
    region = _facet_field("region")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.choices = [("", _("All")), *field.widget.choices[1:]]


class TagDescriptionForm(forms.Form):
    description = forms.CharField(
        label=_("Description of the tag"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Two or three sentences on what the tag is about. Leave empty to remove it."),
    )
