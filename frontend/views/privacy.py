"""A member's RGPD rights on the site: download all their data, delete their
account; a moderator answering a data-access request; the privacy policy and
legal notice. The writes are forum.services.account_deletion and
data_export, the same as the API's."""

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum.exceptions import ForumError, InvalidInput, NotFound
from forum.models import Answer, Question, Visibility
from forum.services import account_deletion, audit_retention, data_export, event_log
from frontend.forms import add_service_errors
from frontend.views.common import moderator_only, see_other, status_for
from frontend.views.pages import prose_page
from frontend.widgets import CheckboxSelectMultiple

# Posts listed for removal on the page; a member with more removes them all
# (or through the API, which takes any number of ids).
POSTS_LISTED = 200


def _download(export: dict, username: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="alternance-qa-{username}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/privacy/my_data.html")


@login_required
def download_my_data(request: HttpRequest) -> HttpResponse:
    try:
        export = data_export.export_my_data(member=request.user)
    except NotFound:
        raise Http404() from None
    return _download(export, request.user.username)


class DeleteAccountForm(forms.Form):
    KEEP, ALL, CHOSEN = "keep", "all", "chosen"
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("To confirm that it is really you."),
    )
    posts = forms.ChoiceField(
        label=gettext_lazy("Your questions and answers"),
        widget=forms.RadioSelect,
        initial=KEEP,
        choices=[
            (KEEP, gettext_lazy("Keep them, signed “Deleted member”, so that the threads stay readable")),
            (ALL, gettext_lazy("Remove them all")),
            (CHOSEN, gettext_lazy("Remove only the ones I tick below")),
        ],
    )
    question_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Questions to remove"), required=False, coerce=int, widget=CheckboxSelectMultiple
    )
    answer_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Answers to remove"), required=False, coerce=int, widget=CheckboxSelectMultiple
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        shown = ~Q(visibility=Visibility.WITHDRAWN)
        questions = Question.objects.filter(shown, author=member).order_by("-created_at")[:POSTS_LISTED]
        answers = (Answer.objects.filter(shown, author=member).select_related("question").order_by("-created_at"))[
            :POSTS_LISTED
        ]
        self.fields["question_ids"].choices = [(q.pk, q.title) for q in questions]
        self.fields["answer_ids"].choices = [
            (a.pk, _("Answer to: %(title)s") % {"title": a.question.title}) for a in answers
        ]

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            "remove_all_posts": data["posts"] == self.ALL,
            "question_ids": data["question_ids"] if data["posts"] == self.CHOSEN else [],
            "answer_ids": data["answer_ids"] if data["posts"] == self.CHOSEN else [],
        }


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    template = "frontend/privacy/delete_account.html"
    member = request.user
    if request.method != "POST":
        return render(request, template, {"form": DeleteAccountForm(member=member)})
    form = DeleteAccountForm(request.POST, member=member)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        account_deletion.delete_account(member=member, password=form.cleaned_data["password"], **form.choices())
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, {"form": form}, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        return render(request, template, {"form": form}, status=status_for(exc))
    logout(request)
    messages.success(request, _("Your account is deleted. Thank you for your help to the community."))
    return see_other(reverse("frontend:home"))


@require_POST
def moderation_member_export(request: HttpRequest, username: str) -> HttpResponse:
    moderator_only(request)
    member = get_user_model().objects.filter(username=username).first()
    if member is None:
        raise Http404()
    reason = request.POST.get("reason", "")[:1000]
    try:
        export = data_export.answer_access_request(moderator=request.user, member=member, reason=reason)
    except NotFound:
        raise Http404() from None
    return _download(export, member.username)


def _operator() -> dict:
    """What the policy and the notice state that depends on the instance:
    who runs it, and the retention periods as configured."""
    return {
        "publisher": settings.LEGAL_PUBLISHER,
        "address": settings.LEGAL_ADDRESS,
        "director": settings.LEGAL_PUBLICATION_DIRECTOR,
        "host": settings.LEGAL_HOST,
        "contact": settings.PRIVACY_CONTACT_EMAIL,
        "audit_days": audit_retention.retention().days,
        "event_days": event_log.DEFAULT_RETENTION.days,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "token_days": settings.API_TOKEN_TTL.days,
        "login_window_minutes": settings.FORUM.get("LOGIN_ATTEMPT_WINDOW_MINUTES", 15),
    }


def privacy_policy(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/privacy", _operator())


def legal_notice(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/legal", _operator())
