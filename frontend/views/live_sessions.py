"""Live Q&A sessions ("chats conseil"): the list, a session's page (which
works without JavaScript: every control is a form, a reload shows the current
state), its live parts for live-sessions.js, its transcript, its calendar file,
and the forms that call forum.services.live_sessions."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from forum import charter, permissions, queries
from forum.exceptions import ForumError, InvalidInput, NotAllowed, NotFound
from forum.models import LiveQuestion, LiveSession, Phase
from forum.services import live_sessions as services
from forum.validation import split_tag_input
from frontend.forms import add_service_errors
from frontend.live_calendar import session_ics
from frontend.live_session_forms import LiveAnswerForm, LiveMergeForm, LiveQuestionForm, LiveScheduleForm
from frontend.views.common import live, raise_for_page, refuse, see_other, status_for, with_retry_after


def _session(pk: int) -> LiveSession:
    try:
        session = queries.get_live_session(pk)
    except ForumError as exc:
        raise_for_page(exc)
    # Starting or ending is announced by the first reader after the time
    # (and by the worker's minute sweep); the page itself reads the times.
    services.announce_phase(session)
    return session


def session_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming = list(queries.live_sessions(when="upcoming")[:30])
    past = list(queries.live_sessions(when="past")[:30])
    return render(
        request,
        "frontend/live_sessions/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "now": now,
            "can_schedule": permissions.can_schedule_live(request.user),
        },
    )


def schedule(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_can_schedule_live(request.user)
    except ForumError as exc:
        raise_for_page(exc)
    form = LiveScheduleForm(request.POST or None, initial={"hosts": request.user.username})
    status = 200
    if request.method == "POST":
        form.is_valid()
        starts_at = form.cleaned_data.get("starts_at")
        duration = form.cleaned_data.get("duration") or 60
        try:
            hosts = form.named_hosts()
            session = services.schedule_session(
                organiser=request.user,
                title=form.cleaned_data.get("title", ""),
                description=form.cleaned_data.get("description", ""),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=duration) if starts_at else None,
                hosts=hosts,
                tags=split_tag_input(form.cleaned_data.get("tags") or ""),
                organisation=form.cleaned_data.get("organisation"),
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
            status = 400
        except ForumError as exc:
            form.add_error(None, exc.message)
            status = status_for(exc)
        else:
            messages.success(request, _("The session is scheduled. Share its page so that students send questions."))
            return see_other(session.get_absolute_url())
    return render(request, "frontend/live_sessions/schedule.html", {"form": form}, status=status)


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a session (its organiser, a host, a moderator) until it ends: the
    scheduling form, filled in."""
    session = _session(pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_can_edit_live_session(request.user, session)
    except ForumError as exc:
        raise_for_page(exc)
    starts_at = timezone.localtime(session.starts_at)
    initial = {
        "title": session.title,
        "description": session.description,
        "starts_at": starts_at.replace(tzinfo=None),
        "duration": int((session.ends_at - session.starts_at).total_seconds() // 60),
        "hosts": ", ".join(host.username for host in session.hosts.all()),
        "tags": ", ".join(sorted(tag.name for tag in session.tags.all())),
        "organisation": session.organisation,
    }
    form = LiveScheduleForm(request.POST or None, initial=initial)
    # The organisation says who runs the session: fixed once it is announced.
    del form.fields["organisation"]
    status = 200
    if request.method == "POST":
        form.is_valid()
        new_start = form.cleaned_data.get("starts_at")
        duration = form.cleaned_data.get("duration") or 60
        try:
            hosts = form.named_hosts()
            # An unchanged start (to the minute the form shows) is the stored one, seconds included.
            if new_start is not None and new_start == starts_at.replace(second=0, microsecond=0):
                new_start = session.starts_at
            services.update_session(
                user=request.user,
                session=session,
                title=form.cleaned_data.get("title", ""),
                description=form.cleaned_data.get("description", ""),
                starts_at=new_start,
                ends_at=(new_start or session.starts_at) + timedelta(minutes=duration),
                hosts=hosts,
                tags=split_tag_input(form.cleaned_data.get("tags") or ""),
            )
        except InvalidInput as exc:
            add_service_errors(form, exc)
            status = 400
        except ForumError as exc:
            form.add_error(None, exc.message)
            status = status_for(exc)
        else:
            messages.success(request, _("The session is updated. Its followers are told if the start moved."))
            return see_other(session.get_absolute_url())
    return render(
        request,
        "frontend/live_sessions/schedule.html",
        {"form": form, "session": session, "phase": session.phase()},
        status=status,
    )


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (works without JavaScript); POST: cancel."""
    session = _session(pk)
    url = session.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        permissions.check_can_edit_live_session(request.user, session)
    except ForumError as exc:
        raise_for_page(exc)
    error, status = None, 200
    if request.method == "POST":
        try:
            services.cancel_session(user=request.user, session=session, note=request.POST.get("note", ""))
        except ForumError as exc:
            error = exc.fields.get("note", [exc.message])[0] if isinstance(exc, InvalidInput) else exc.message
            status = status_for(exc)
        else:
            messages.success(
                request, _("The session is cancelled. Its followers and the students who sent a question are told.")
            )
            return see_other(url)
    return render(
        request,
        "frontend/live_sessions/cancel.html",
        {"session": session, "error": error, "note": request.POST.get("note", "")[:500]},
        status=status,
    )


def session_page(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    live_context = live(f"live:{pk}")
    session = _session(pk)
    if slug != session.slug:
        return HttpResponsePermanentRedirect(session.get_absolute_url())
    context = live_context | session_context(request, session)
    return render(request, "frontend/live_sessions/session.html", context)


@require_safe
def session_parts(request: HttpRequest, pk: int) -> HttpResponse:
    """The live parts of the page for this viewer (phase, queue, answers),
    rendered by the page's own partials: what live-sessions.js swaps in after a
    resync, so the page shows what a reload would."""
    session = _session(pk)
    response = render(request, "frontend/live_sessions/_parts.html", session_context(request, session))
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def session_context(request: HttpRequest, session: LiveSession, **forms) -> dict:
    user = request.user
    order = request.GET.get("ordre") if request.GET.get("ordre") in ("votes", "time") else "votes"
    queue = list(queries.live_questions(user, session, order=order, answered=False))
    answered = list(queries.live_questions(user, session, order="answered", answered=True))
    answered.reverse()  # newest answer first while it is live
    for question in queue:
        # The answer form that came back with errors, next to its question.
        question.answer_form = forms.get("answer_forms", {}).get(question.pk)
    phase = session.phase()
    is_moderator = permissions.is_moderator(user)
    can_submit = permissions.can_submit_live_question(user, session)
    return {
        "session": session,
        "phase": phase,
        "hosts": list(session.hosts.all()),
        "queue": queue,
        "answered": answered,
        "order": order,
        "my_votes": queries.live_votes_of(user, [q.pk for q in queue]),
        "is_host": permissions.can_host(user, session),
        "is_named_host": permissions.is_host(user, session),
        "is_moderator": is_moderator,
        "can_edit": permissions.can_edit_live_session(user, session),
        "can_submit": can_submit,
        "charter_hints": charter.hints_for(user, context="question") if can_submit else charter.NO_HINTS,
        "can_convert": phase == Phase.CLOSED and (is_moderator or permissions.is_host(user, session)),
        "following": queries.follows_live_session(user, session),
        "question_form": forms.get("question_form") or LiveQuestionForm(),
        "answer_form": LiveAnswerForm(),
        "live_texts_extra": live_session_texts(),
    }


def live_session_texts() -> dict:
    """What live-sessions.js writes, translated here (it holds no strings and no plural rule)."""
    return {
        "votes": {
            "zero": ngettext("%(count)s vote", "%(count)s votes", 0),
            "one": ngettext("%(count)s vote", "%(count)s votes", 1),
            "other": ngettext("%(count)s vote", "%(count)s votes", 2),
        },
        "viewers": {
            "zero": ngettext("%(count)s person watching", "%(count)s people watching", 0),
            "one": ngettext("%(count)s person watching", "%(count)s people watching", 1),
            "other": ngettext("%(count)s person watching", "%(count)s people watching", 2),
        },
        "answering": _("Being answered by %(name)s"),
        "answeredBy": _("Answered by %(name)s"),
        "newQuestion": _("New question in the queue"),
        "newAnswer": _("A question was just answered"),
        "phaseChanged": _("The session has changed: reload to see it."),
        "countdown": _("%(hours)s h %(minutes)s min %(seconds)s s"),
    }


def transcript(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    session = _session(pk)
    if session.phase() == Phase.CANCELLED:
        # Nothing was answered: the page says it was cancelled, and why.
        return redirect(session.get_absolute_url())
    if slug != session.slug:
        return HttpResponsePermanentRedirect(session.get_transcript_url())
    answered = list(queries.live_questions(request.user, session, order="answered", answered=True))
    unanswered = (
        list(queries.live_questions(request.user, session, order="votes", answered=False))
        if session.phase() == Phase.CLOSED
        else []
    )
    return render(
        request,
        "frontend/live_sessions/transcript.html",
        {
            "session": session,
            "phase": session.phase(),
            "hosts": list(session.hosts.all()),
            "answered": answered,
            "unanswered": unanswered,
            "can_convert_any": permissions.is_moderator(request.user) or permissions.is_host(request.user, session),
        },
    )


@require_safe
def calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    response = HttpResponse(session_ics(session, request.build_absolute_uri(session.get_absolute_url())))
    response["Content-Type"] = "text/calendar; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="chat-conseil-{session.pk}.ics"'
    return response


# --- Actions (POST, then back to the page: 303) ----------------------------------------------------


def _post_only(request: HttpRequest, url: str) -> HttpResponse | None:
    if request.method != "POST":
        return see_other(url)
    if not request.user.is_authenticated:
        return redirect_to_login(url)
    return None


def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: follow the session (notified at its start), or stop following it."""
    session = _session(pk)
    url = session.get_absolute_url()
    if early := _post_only(request, url):
        return early
    try:
        if queries.follows_live_session(request.user, session):
            services.unfollow_session(user=request.user, session=session)
            messages.info(request, _("You no longer follow this session."))
        else:
            services.follow_session(user=request.user, session=session)
            messages.success(request, _("You will be notified when the session starts."))
    except ForumError as exc:
        return refuse(request, exc, url)
    return see_other(url)


def submit_question(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    url = session.get_absolute_url()
    if early := _post_only(request, url + "#live-question-form"):
        return early
    form = LiveQuestionForm(request.POST)
    form.is_valid()
    try:
        question = services.submit_question(
            author=request.user,
            session=session,
            body=form.cleaned_data.get("body", ""),
            confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
        )
    except ForumError as exc:
        if isinstance(exc, InvalidInput):
            add_service_errors(form, exc)
        else:
            form.add_error(None, exc.message)
        context = live(f"live:{pk}") | session_context(request, session, question_form=form)
        response = render(request, "frontend/live_sessions/session.html", context, status=status_for(exc))
        return with_retry_after(response, exc)
    if question.visibility == "pending":
        messages.info(request, _("Your question will appear once a moderator has checked it."))
    else:
        messages.success(request, _("Your question is in the queue. Vote for the others you want answered too."))
    return see_other(f"{url}#live-question-{question.pk}")


def _question(request: HttpRequest, question_pk: int) -> LiveQuestion:
    question = LiveQuestion.objects.filter(pk=question_pk).only("session_id").first()
    if question is None:
        raise_for_page(NotFound())
    session = _session(question.session_id)
    try:
        return queries.get_live_question(request.user, session, question_pk)
    except ForumError as exc:
        raise_for_page(exc)


def _act(request: HttpRequest, question_pk: int, action, success: str | None) -> HttpResponse:
    question = _question(request, question_pk)
    url = f"{question.session.get_absolute_url()}#live-question-{question.pk}"
    if early := _post_only(request, url):
        return early
    try:
        action(question)
    except ForumError as exc:
        return refuse(request, exc, url)
    if success:
        messages.success(request, success)
    return see_other(url)


def vote(request: HttpRequest, question_pk: int) -> HttpResponse:
    if request.method == "POST" and request.headers.get("X-Requested-With") == "fetch":
        # live-sessions.js votes without leaving the page: the outcome as JSON.
        question = _question(request, question_pk)
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Log in to vote.")}, status=401)
        try:
            question, voted = services.toggle_vote(user=request.user, question=question)
        except ForumError as exc:
            return JsonResponse({"error": exc.message}, status=403 if isinstance(exc, NotAllowed) else 400)
        return JsonResponse({"voted": voted, "vote_count": question.vote_count})
    return _act(request, question_pk, lambda q: services.toggle_vote(user=request.user, question=q), None)


def pick(request: HttpRequest, question_pk: int) -> HttpResponse:
    """POST, hosts: everyone sees the question marked "being answered"."""
    return _act(request, question_pk, lambda q: services.start_answering(host=request.user, question=q), None)


def answer(request: HttpRequest, question_pk: int) -> HttpResponse:
    question = _question(request, question_pk)
    session = question.session
    url = f"{session.get_absolute_url()}#live-question-{question.pk}"
    if early := _post_only(request, url):
        return early
    form = LiveAnswerForm(request.POST)
    form.is_valid()
    try:
        services.answer_question(host=request.user, question=question, answer=form.cleaned_data.get("answer", ""))
    except InvalidInput as exc:
        add_service_errors(form, exc)
        context = live(f"live:{session.pk}") | session_context(request, session, answer_forms={question.pk: form})
        return render(request, "frontend/live_sessions/session.html", context, status=400)
    except ForumError as exc:
        return refuse(request, exc, url)
    messages.success(request, _("Answer published: everyone on the page sees it."))
    return see_other(url)


def hide(request: HttpRequest, question_pk: int) -> HttpResponse:
    """POST, moderators."""
    return _act(
        request,
        question_pk,
        lambda q: services.hide_question(moderator=request.user, question=q, note=request.POST.get("note", "")[:500]),
        _("The question is hidden."),
    )


def approve(request: HttpRequest, question_pk: int) -> HttpResponse:
    """POST, moderators: a held or hidden question is published."""
    return _act(
        request,
        question_pk,
        lambda q: services.approve_question(moderator=request.user, question=q),
        _("The question is published."),
    )


def merge(request: HttpRequest, question_pk: int) -> HttpResponse:
    """POST, moderators: `into` is the question that stays."""

    def act(question: LiveQuestion) -> None:
        form = LiveMergeForm(request.POST)
        if not form.is_valid():
            raise InvalidInput(_("Give the number of the question to merge into."))
        into = queries.get_live_question(request.user, question.session, form.cleaned_data["into"])
        services.merge_questions(moderator=request.user, question=question, into=into)

    return _act(request, question_pk, act, _("The questions are merged: their votes now count for one."))


def convert(request: HttpRequest, question_pk: int) -> HttpResponse:
    """POST: the question (and its answer) becomes a forum thread; to the thread."""
    question = _question(request, question_pk)
    url = question.session.get_transcript_url()
    if early := _post_only(request, url):
        return early
    try:
        thread = services.convert_to_thread(user=request.user, question=question)
    except ForumError as exc:
        return refuse(request, exc, url)
    messages.success(request, _("The question is now a forum thread, linked to this session."))
    return see_other(thread.get_absolute_url())


def session_by_id(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponsePermanentRedirect(_session(pk).get_absolute_url())


def transcript_path(session: LiveSession) -> str:
    return reverse("frontend:live_transcript", kwargs={"pk": session.pk, "slug": session.slug})
