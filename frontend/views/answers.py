"""Answer actions from the thread page: each is a plain form POST, so the page
works without JavaScript; each calls one service and comes back to the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from forum import permissions, queries
from forum.exceptions import ForumError, InvalidInput
from forum.models import Answer
from forum.services import answers as answer_services
from forum.services import votes as vote_services
from frontend.forms import AnswerForm, add_service_errors
from frontend.views.common import raise_for_page, refuse, see_other, status_for, with_retry_after
from frontend.views.questions import render_thread
from frontend.views.thread_moderation import announce_post


def _get_answer(request: HttpRequest, pk: int) -> Answer:
    try:
        return queries.get_visible_answer(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)


def post_answer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        question = queries.get_visible_question(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)
    if request.method != "POST":
        return see_other(question.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(question.get_absolute_url() + "#answer-form")

    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        answer = answer_services.post_answer(
            author=request.user,
            question=question,
            body=form.cleaned_data.get("body", ""),
            confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
            **form.dating(),
        )
    except InvalidInput as exc:
        # The thread again, with the text kept and the reason next to it.
        add_service_errors(form, exc)
        return render_thread(request, question, answer_form=form, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        return with_retry_after(render_thread(request, question, answer_form=form, status=status_for(exc)), exc)
    announce_post(request, answer, _("Thank you! Your answer is published."))
    return see_other(answer.get_absolute_url())


def toggle_vote(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    if request.method != "POST":
        return see_other(answer.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(answer.get_absolute_url())
    try:
        _answer, voted = vote_services.toggle_vote(user=request.user, answer=answer)
    except ForumError as exc:
        return refuse(request, exc, answer.get_absolute_url())
    if voted:
        messages.success(request, _("Thanks: your vote tells others this answer helped."))
    else:
        messages.info(request, _("Your vote was withdrawn."))
    return see_other(answer.get_absolute_url())


def accept(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    if request.method != "POST":
        return see_other(answer.get_absolute_url())
    try:
        answer_services.accept_answer(user=request.user, answer=answer)
    except ForumError as exc:
        return refuse(request, exc, answer.get_absolute_url())
    messages.success(request, _("Answer accepted: your question is marked as solved."))
    return see_other(answer.get_absolute_url())


def unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    if request.method != "POST":
        return see_other(answer.get_absolute_url())
    try:
        answer_services.unaccept_answer(user=request.user, answer=answer)
    except ForumError as exc:
        return refuse(request, exc, answer.get_absolute_url())
    messages.info(request, _("This answer is no longer marked as accepted."))
    return see_other(answer.get_absolute_url())


@login_required
def edit_answer(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    try:
        permissions.check_can_edit(request.user, answer)
    except ForumError as exc:
        raise_for_page(exc)
    template = "frontend/answers/edit.html"
    if request.method != "POST":
        form = AnswerForm.for_answer(answer)
        context = {"form": form, "answer": answer, "question": answer.question}
        return render(request, template, context)

    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        answer = answer_services.edit_answer(
            editor=request.user,
            answer=answer,
            body=form.cleaned_data.get("body", ""),
            confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
            **form.dating(),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        context = {"form": form, "answer": answer, "question": answer.question}
        return render(request, template, context, status=400)
    except ForumError as exc:
        form.add_error(None, exc.message)
        context = {"form": form, "answer": answer, "question": answer.question}
        return with_retry_after(render(request, template, context, status=status_for(exc)), exc)
    announce_post(request, answer, _("Your answer was updated. The previous version is kept in its history."))
    return see_other(answer.get_absolute_url())


@login_required
def withdraw_answer(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    try:
        permissions.check_can_withdraw(request.user, answer)
    except ForumError as exc:
        raise_for_page(exc)
    if request.method != "POST":
        return render(request, "frontend/answers/withdraw.html", {"answer": answer, "question": answer.question})
    try:
        answer_services.withdraw_answer(user=request.user, answer=answer)
    except ForumError as exc:
        return refuse(request, exc, answer.question.get_absolute_url())
    messages.success(request, _("Your answer was withdrawn. It is no longer shown in the thread."))
    return see_other(answer.question.get_absolute_url())


def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    answer = _get_answer(request, pk)
    context = {"answer": answer, "question": answer.question, "revisions": queries.post_revisions(answer)}
    return render(request, "frontend/answers/history.html", context)
