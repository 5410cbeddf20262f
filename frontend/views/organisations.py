"""Organisation pages: the directory, an organisation's public page (its
verified members and their recent answers), and the moderators' tools to
create one, edit it and manage its email domains."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum import permissions, queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import BadgeRole, Organisation
from forum.services import organisations as organisation_services
from frontend.feeds import feed_links
from frontend.forms import add_service_errors
from frontend.structured_data import share_meta
from frontend.templatetags.forum_ui import badge_explanation
from frontend.views.common import raise_for_page, refuse, see_other, status_for

RECENT_ANSWERS_SHOWN = 10


class OrganisationForm(forms.Form):
    # The service validates; these fields only carry what was typed.
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=120)
    kind = forms.CharField(
        label=gettext_lazy("Kind"),
        required=False,
        widget=forms.RadioSelect(choices=Organisation.Kind.choices),
    )
    website = forms.CharField(
        label=gettext_lazy("Website"), required=False, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    logo_url = forms.CharField(
        label=gettext_lazy("Logo address"),
        required=False,
        help_text=gettext_lazy("The address of an image on the organisation's own site."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(
        label=gettext_lazy("Short description"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    auto_approve_ambassadors = forms.BooleanField(
        label=gettext_lazy("Approve employee/apprentice ambassadors once their work email is confirmed"),
        required=False,
        help_text=gettext_lazy("HR and school staff are always reviewed by a moderator."),
    )


class NewOrganisationForm(OrganisationForm):
    domains = forms.CharField(
        label=gettext_lazy("Email domains"),
        required=False,
        help_text=gettext_lazy("Separated by commas, for example: groupe-exemple.fr, exemple.com"),
    )


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=gettext_lazy("Add an email domain"),
        required=False,
        max_length=253,
        widget=forms.TextInput(attrs={"placeholder": "groupe-exemple.fr", "spellcheck": "false"}),
    )


def _require_manager(request: HttpRequest) -> None:
    try:
        permissions.check_can_manage_organisations(request.user)
    except ForumError as exc:
        raise_for_page(exc)


def _get(slug: str) -> Organisation:
    try:
        return queries.get_organisation(slug)
    except ForumError as exc:
        raise_for_page(exc)


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/organisations/list.html",
        {
            "organisations": list(queries.organisation_list()),
            "can_manage": permissions.can_manage_organisations(request.user),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get(slug)
    members = list(queries.organisation_members(organisation))
    can_manage = permissions.can_manage_organisations(request.user)
    return render(
        request,
        "frontend/organisations/detail.html",
        {
            "organisation": organisation,
            "members": members,
            "domains": [d.domain for d in organisation.domains.all()],
            "recent_answers": queries.organisation_recent_answers(
                request.user, organisation, limit=RECENT_ANSWERS_SHOWN
            ),
            "can_manage": can_manage,
            "feeds": feed_links(
                (
                    _("%(name)s: questions and answers") % {"name": organisation.name},
                    reverse("frontend:feed_organisation", args=[organisation.slug]),
                )
            ),
            "share": share_meta(
                title=organisation.name,
                description=organisation.description
                or _("Verified members of %(name)s and their answers about alternance.") % {"name": organisation.name},
                path=request.path,
            ),
            "can_request": permissions.can_request_badge(request.user) or not request.user.is_authenticated,
            # The same words as the badge itself says when tapped.
            "badge_meanings": [
                (label, badge_explanation(role, organisation.name)) for role, label in BadgeRole.choices
            ],
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = NewOrganisationForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "frontend/organisations/form.html", {"form": form, "creating": True})
    form.is_valid()
    data = form.cleaned_data
    try:
        organisation = organisation_services.create_organisation(
            actor=request.user,
            name=data.get("name", ""),
            kind=data.get("kind") or Organisation.Kind.COMPANY,
            website=data.get("website", ""),
            logo_url=data.get("logo_url", ""),
            description=data.get("description", ""),
            auto_approve_ambassadors=data.get("auto_approve_ambassadors", False),
            domains=[d for d in data.get("domains", "").replace(";", ",").split(",") if d.strip()],
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, "frontend/organisations/form.html", {"form": form, "creating": True}, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        return render(
            request, "frontend/organisations/form.html", {"form": form, "creating": True}, status=status_for(exc)
        )
    messages.success(request, _("%(name)s is created.") % {"name": organisation.name})
    return see_other(reverse("frontend:organisation_manage", kwargs={"slug": organisation.slug}))


@login_required
def organisation_manage(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get(slug)
    _require_manager(request)
    status = 200
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            organisation = organisation_services.update_organisation(
                actor=request.user,
                organisation=organisation,
                name=data.get("name", ""),
                kind=data.get("kind") or organisation.kind,
                website=data.get("website", ""),
                logo_url=data.get("logo_url", ""),
                description=data.get("description", ""),
                auto_approve_ambassadors=data.get("auto_approve_ambassadors", False),
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
            status = 400
        except ForumError as exc:
            form.add_error(None, exc.message)
            status = status_for(exc)
        else:
            messages.success(request, _("Changes saved."))
            return see_other(reverse("frontend:organisation_manage", kwargs={"slug": organisation.slug}))
    else:
        form = _form_for(organisation)
    return _render_manage(request, organisation, form=form, status=status)


def _render_manage(request, organisation, *, form=None, domain_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "frontend/organisations/manage.html",
        {
            "organisation": organisation,
            "form": form,
            "domain_form": domain_form or DomainForm(),
            "domains": list(organisation.domains.all()),
            "members": list(queries.organisation_members(organisation)),
        },
        status=status,
    )


@login_required
@require_POST
def domain_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get(slug)
    domain_form = DomainForm(request.POST)
    domain_form.is_valid()
    try:
        entry = organisation_services.add_domain(
            actor=request.user, organisation=organisation, domain=domain_form.cleaned_data.get("domain", "")
        )
    except InvalidInput as exc:
        add_service_errors(domain_form, exc)
        return _render_manage(request, organisation, form=_form_for(organisation), domain_form=domain_form, status=400)
    except ForumError as exc:
        return refuse(request, exc, reverse("frontend:organisation_manage", kwargs={"slug": slug}))
    messages.success(request, _("Addresses at %(domain)s now prove membership.") % {"domain": entry.domain})
    return see_other(reverse("frontend:organisation_manage", kwargs={"slug": slug}))


@login_required
@require_POST
def domain_remove(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _get(slug)
    next_url = reverse("frontend:organisation_manage", kwargs={"slug": slug})
    try:
        organisation_services.remove_domain(
            actor=request.user, organisation=organisation, domain=request.POST.get("domain", "")
        )
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("Domain removed. Badges already granted stay until they expire or are revoked."))
    return see_other(next_url)


def _form_for(organisation: Organisation) -> OrganisationForm:
    return OrganisationForm(
        initial={
            "name": organisation.name,
            "kind": organisation.kind,
            "website": organisation.website,
            "logo_url": organisation.logo_url,
            "description": organisation.description,
            "auto_approve_ambassadors": organisation.auto_approve_ambassadors,
        }
    )
