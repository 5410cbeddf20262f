"""Members report a post to the moderators, and appeal the hiding of their
own post. `kind` is "question" or "answer" (frontend/urls.py maps the French
slugs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum import permissions
from forum.exceptions import ForumError, InvalidInput
from forum.models import CharterClause
from forum.services import flags as flag_services
from forum.services import moderation as moderation_services
from frontend.forms import add_service_errors
from frontend.moderation_forms import AppealForm, FlagForm
from frontend.views.common import refuse, see_other, status_for, visible_post, with_retry_after


def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = visible_post(request, kind, pk)
    back = post.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    template = "frontend/moderation/flag.html"
    context = {"post": post, "kind": kind, "question": post if kind == "question" else post.question}
    if request.method != "POST":
        try:
            permissions.check_can_flag(request.user, post)
        except ForumError as exc:
            return refuse(request, exc, back)
        return render(request, template, context | {"form": FlagForm()})
    form = FlagForm(request.POST)
    form.is_valid()
    try:
        flag_services.flag_post(
            user=request.user,
            post=post,
            reason=form.cleaned_data.get("reason", ""),
            text=form.cleaned_data.get("text", ""),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, context | {"form": form}, status=400)
    except ForumError as exc:
        if status_for(exc) == 429:
            form.add_error(None, exc.message)
            return with_retry_after(render(request, template, context | {"form": form}, status=429), exc)
        return refuse(request, exc, back)
    messages.success(request, _("Thank you: the moderators will look at this post."))
    return see_other(back)


@login_required
def appeal(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    post = visible_post(request, kind, pk)
    back = post.get_absolute_url()
    template = "frontend/moderation/appeal.html"
    context = {
        "post": post,
        "kind": kind,
        "question": post if kind == "question" else post.question,
        "clause_text": CharterClause(post.moderation_reason).label
        if post.moderation_reason in CharterClause.values
        else "",
    }
    if request.method != "POST":
        try:
            permissions.check_can_appeal(request.user, post)
        except ForumError as exc:
            return refuse(request, exc, back)
        return render(request, template, context | {"form": AppealForm()})
    form = AppealForm(request.POST)
    form.is_valid()
    try:
        moderation_services.appeal(user=request.user, post=post, text=form.cleaned_data.get("text", ""))
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, context | {"form": form}, status=400)
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, _("Your appeal is sent: another moderator will review your post."))
    return see_other(back)
