"""Dated legal answers (forum/legal_dates.py): the lists of answers to check,
"still valid as of today" in one click, and the help page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from forum import legal_dates, queries
from forum.exceptions import ForumError
from forum.services import answers as answer_services
from forum.validation import normalise_tag
from frontend.views.common import moderator_only, paginate, raise_for_page, refuse, safe_next_url, see_other
from frontend.views.pages import prose_page


def help_dated_answers(request: HttpRequest) -> HttpResponse:
    context = {
        "tags": sorted(settings.LEGAL_ANSWER_TAGS),
        "official_domains": settings.OFFICIAL_SOURCE_DOMAINS,
        "reference_date": legal_dates.current_reference_date(),
    }
    return prose_page(request, "frontend/pages/help_dated_answers", context)


def confirm_validity(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        answer = queries.get_visible_answer(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)
    # Back to where the click came from: the thread or the list to check.
    next_url = safe_next_url(request, answer.get_absolute_url())
    if request.method != "POST" or not request.user.is_authenticated:
        return see_other(next_url)
    try:
        answer = answer_services.confirm_answer_validity(user=request.user, answer=answer)
    except ForumError as exc:
        return refuse(request, exc, next_url)
    messages.success(request, _("Thank you: the answer is marked as still valid today."))
    return see_other(next_url)


def _list(request: HttpRequest, answers, template: str, **context) -> HttpResponse:
    page = paginate(answers, request.GET.get("page"))
    context |= {
        "page": page,
        "answers": page.items,
        "reference_date": legal_dates.current_reference_date(),
        "next_url": request.get_full_path(),
    }
    return render(request, template, context)


@login_required
def my_answers_to_check(request: HttpRequest) -> HttpResponse:
    answers = queries.answers_to_check(request.user, author=request.user)
    return _list(request, answers, "frontend/answers/to_check.html", moderation=False)


@login_required
def moderation_answers_to_check(request: HttpRequest) -> HttpResponse:
    moderator_only(request)
    tag = normalise_tag(request.GET.get("tag", ""))
    if tag and not legal_dates.is_legal_tag(tag):
        tag = ""
    answers = queries.answers_to_check(request.user, tag=tag)
    return _list(
        request,
        answers,
        "frontend/answers/to_check.html",
        moderation=True,
        tag=tag,
        legal_tags=sorted(settings.LEGAL_ANSWER_TAGS),
        list_url=reverse("frontend:moderation_answers_to_check"),
    )
