"""Members and sanctions: a member's moderation record and the sanction form
(moderators), and every member's own warnings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from forum import permissions, queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import ReviewItem
from forum.services import sanctions as sanction_services
from frontend.forms import add_service_errors
from frontend.moderation_forms import SanctionForm
from frontend.views.common import moderator_only, refuse, see_other


@login_required
def member(request: HttpRequest, username: str) -> HttpResponse:
    moderator_only(request)
    target = get_user_model().objects.filter(username=username).first()
    if target is None:
        raise Http404()
    form = SanctionForm(request.POST or None)
    if request.method == "POST":
        response = _sanction(request, target, form)
        if response is not None:
            return response
    context = {
        "member": queries.member_with_history(target),
        "sanctions": queries.member_sanctions(target),
        "form": form,
        "can_sanction": permissions.can_sanction(request.user, target),
        "is_suspended": permissions.is_suspended(target),
        "recent_items": ReviewItem.objects.filter(author=target)
        .select_related("question", "answer", "answer__question", "decided_by")
        .order_by("-created_at")[:20],
    }
    return render(request, "frontend/moderation/member.html", context, status=400 if form.errors else 200)


def _sanction(request: HttpRequest, target, form: SanctionForm) -> HttpResponse | None:
    """Apply the sanction form; None means "show the page again with errors"."""
    form.is_valid()
    data = form.cleaned_data
    action = request.POST.get("action", "")
    back = reverse("frontend:moderation_member", kwargs={"username": target.username})
    user = request.user
    try:
        if action == "warn":
            sanction_services.warn_member(
                moderator=user, member=target, clause=data.get("clause", ""), message=data.get("message", "")
            )
            done = _("Warning sent.")
        elif action == "suspend":
            sanction_services.suspend_member(
                moderator=user,
                member=target,
                days=request.POST.get("days", ""),
                clause=data.get("clause", ""),
                message=data.get("message", ""),
            )
            done = _("Member suspended.")
        elif action == "ban" and not data.get("confirm_ban"):
            form.add_error("confirm_ban", _("Tick the box to confirm the ban."))
            return None
        elif action == "ban":
            sanction_services.ban_member(
                moderator=user, member=target, clause=data.get("clause", ""), message=data.get("message", "")
            )
            done = _("Account deactivated.")
        elif action == "unsuspend":
            sanction_services.lift_suspension(moderator=user, member=target, note=data.get("message", ""))
            done = _("Suspension lifted.")
        elif action == "unban":
            sanction_services.unban_member(moderator=user, member=target, note=data.get("message", ""))
            done = _("Account reactivated.")
        else:
            form.add_error(None, _("Choose an action."))
            return None
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return None
    except ForumError as exc:
        return refuse(request, exc, back)
    messages.success(request, done)
    return see_other(back)


@login_required
def my_warnings(request: HttpRequest) -> HttpResponse:
    sanctions = list(queries.member_sanctions(request.user))
    unseen = {s.pk for s in sanctions if s.seen_at is None}
    sanction_services.mark_warnings_seen(user=request.user)
    context = {
        "sanctions": sanctions,
        "unseen": unseen,
        "is_suspended": permissions.is_suspended(request.user),
    }
    return render(request, "frontend/moderation/warnings.html", context)
