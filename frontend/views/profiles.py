"""Public profiles and "edit my profile"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum import queries
from forum.exceptions import ForumError, InvalidInput, NotFound
from forum.services.profiles import update_profile
from frontend.forms import ProfileForm, add_service_errors
from frontend.structured_data import share_meta
from frontend.views.common import see_other, status_for

ACTIVITY_SHOWN = 20


def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        member = queries.get_member(username)
    except NotFound:
        raise Http404(_("No member has this name.")) from None
    questions, answers = queries.user_activity(request.user, member)
    is_me = request.user.is_authenticated and request.user.pk == member.pk
    context = {
        # One count, on one's own profile only: the link to the answers to refresh.
        "answers_to_check": queries.answers_to_check(request.user, author=member).count() if is_me else 0,
        "member": member,
        "questions": list(questions[:ACTIVITY_SHOWN]),
        "answers": list(answers[:ACTIVITY_SHOWN]),
        "is_me": is_me,
        "share": share_meta(
            title=member.public_name,
            description=_("Questions and answers of %(name)s about work-study on Alternance Q&A.")
            % {"name": member.public_name},
            path=request.path,
            type="profile",
        ),
    }
    return render(request, "frontend/profiles/profile.html", context)


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    template = "frontend/profiles/edit.html"
    if request.method != "POST":
        initial = {f: getattr(user, f) for f in ("display_name", "role", "school", "region", "bio")}
        return render(request, template, {"form": ProfileForm(initial=initial)})

    form = ProfileForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        update_profile(user=user, **form.cleaned_data)
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, {"form": form}, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        return render(request, template, {"form": form}, status=status_for(exc))
    messages.success(request, _("Your profile was updated."))
    return see_other(user.get_absolute_url())
