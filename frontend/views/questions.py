"""Question lists, the thread page, asking and editing a question."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from taggit.models import Tag

from forum import charter, events, legal_dates, permissions, queries, search
from forum.exceptions import ForumError, InvalidInput
from forum.models import Answer, Question, Visibility
from forum.models.organisations import STAFF_ROLES
from forum.presenters import badges_for
from forum.services import notifications as notification_services
from forum.services import questions as question_services
from forum.services import screening
from forum.services import tags as tag_services
from forum.thread_filters import ThreadFilters
from forum.validation import clean_tags, normalise_tag
from frontend.feeds import feed_links
from frontend.forms import (
    AnswerForm,
    AskerEditForm,
    AskForm,
    FacetFilterForm,
    ListFilterForm,
    QuestionForm,
    TagDescriptionForm,
    add_service_errors,
)
from frontend.page_cache import (
    META_ATTRIBUTE,
    answer_cards,
    post_fragments,
    shared_page,
    shared_value,
)
from frontend.structured_data import (
    plain_text,
    share_meta,
    thread_json_ld,
    thread_share_card,
    thread_share_image_url,
)
from frontend.templatetags.forum_ui import author as author_context
from frontend.templatetags.forum_ui import reltime
from frontend.views.common import (
    live,
    moderator_only,
    paginate,
    raise_for_page,
    see_other,
    status_for,
    viewer_of,
    with_retry_after,
)
from frontend.views.search import redirect_to_search
from frontend.views.thread_moderation import announce_post, thread_moderation_context

POPULAR_TAGS_SHOWN = 12


# --- Lists --------------------------------------------------------------------


def _question_list_page(
    request: HttpRequest, *, tag: Tag | None = None, status: str | None = None, ordering: str = "activity"
) -> dict:
    """A list page's questions, with the status tabs (unless `status` is
    fixed, as on the discovery lists) and the alternance facets: the facet
    form on top and the facet counts below the list."""
    form_status, search = ListFilterForm(request.GET).values()
    # Lenient like ListFilterForm: a shared link with a stale value still shows a list.
    filters = ThreadFilters.parse(request.GET, lenient=True)
    unfaceted = queries.question_list(
        request.user,
        status=status or form_status,
        tag=tag.slug if tag else None,
        search=search,
        ordering=ordering,
    ).defer("body_html")  # rows show an excerpt of the source, never the rendered text
    # The rows come from the shared cache ({% question_rows %}), which loads
    # tags and badges for the rows it renders only.
    unfaceted = unfaceted.prefetch_related(None)
    return {
        "page": paginate(filters.apply(unfaceted), request.GET.get("page")),
        "status_filter": status or form_status,
        "status_choices": [] if status else ListFilterForm.STATUS_CHOICES,
        "search_query": search,
        "filters": filters,
        "facet_form": FacetFilterForm(initial=filters.active),
        # Shared between readers (forum.list_cache): counted on the public list.
        "facet_counts": queries.public_facet_counts(
            filters,
            status=status or form_status,
            tag=tag.slug if tag else None,
            search=search,
            ordering=ordering,
        ),
    }


# The discovery lists: a fixed status and order each (French URLs in frontend/urls.py).
DISCOVERY_LISTS = {
    "unanswered": {
        "status": "unanswered",
        "ordering": "oldest",
        "title": gettext_lazy("Unanswered questions"),
        "lead": gettext_lazy("Waiting longest first: the questions nobody has answered yet. Can you help?"),
    },
    "hot": {
        "status": "all",
        "ordering": "hot",
        "title": gettext_lazy("Popular this week"),
        "lead": gettext_lazy("The questions with the most answers and helpful votes in the last 7 days."),
    },
    "solved_by_verified": {
        "status": "solved_by_verified",
        "ordering": "activity",
        "title": gettext_lazy("Solved by a verified HR"),
        "lead": gettext_lazy("Questions whose accepted answer was written by a verified HR or school staff member."),
    },
}


def _calendar_banner(tags: list[str] | None = None) -> dict | None:
    """The active calendar window a list page mentions (no query once the
    windows are cached, forum.queries.calendar_windows)."""
    found = queries.calendar_banner(tags=tags)
    if found is None:
        return None
    window, occurrence = found
    return {"name": window.name(get_language()), "ends_on": occurrence.end}


def _calendar_boost(request: HttpRequest) -> dict:
    """The boosted section of the unanswered list, for verified staff and
    moderators during a window: one query for the questions."""
    active = queries.active_calendar()
    if not active or not permissions.can_see_calendar_boost(request.user):
        return {}
    language = get_language()
    return {
        "boost_windows": [{"name": window.name(language)} for window, _occurrence in active],
        "calendar_boost": queries.boosted_questions(request.user, active=active),
    }


@shared_page(lambda list_name: ["feed"], members=True)
def discovery(request: HttpRequest, list_name: str) -> HttpResponse:
    spec = DISCOVERY_LISTS[list_name]
    context = _question_list_page(request, status=spec["status"], ordering=spec["ordering"])
    context |= {"discovery": list_name, "list_title": spec["title"], "list_lead": spec["lead"]}
    if list_name == "unanswered" and context["page"].number == 1:
        # Anonymous pages are shared (shared_page), and they never show the boost.
        context |= _calendar_boost(request)
    return render(request, "frontend/questions/discovery.html", context)


@shared_page(lambda: ["feed"], members=True)
def home(request: HttpRequest) -> HttpResponse:
    if redirect := redirect_to_search(request):
        return redirect
    live_context = live("feed")
    context = _question_list_page(request) | live_context
    context["popular_tags"] = queries.public_tag_counts()[:POPULAR_TAGS_SHOWN]
    if context["page"].number == 1 and not context["search_query"] and context["status_filter"] == "all":
        context["pinned_questions"] = queries.pinned_questions()
    context["feeds"] = feed_links((_("Newest questions"), reverse("frontend:feed_questions")))
    context["calendar_banner"] = _calendar_banner()
    return render(request, "frontend/questions/home.html", context)


def tag_index(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/tags/index.html", {"tags": queries.public_tag_counts()})


SUGGEST_QUERY_MAX_LENGTH = 100
SUGGEST_TAGS_MAX_LENGTH = 300


def tag_suggest(request: HttpRequest) -> JsonResponse:
    """For forms.js: `q` (the tag being typed) gives the existing tags it may
    mean, synonyms included (the API has the same list at /api/v1/tags/?q=);
    `tags` (the whole field) gives what will be saved, each marked when new."""
    query, typed = request.GET.get("q", ""), request.GET.get("tags", "")
    errors = {}
    for name, value, limit in (("q", query, SUGGEST_QUERY_MAX_LENGTH), ("tags", typed, SUGGEST_TAGS_MAX_LENGTH)):
        if len(value) > limit:
            errors[name] = [
                ngettext("At most %(max)d character.", "At most %(max)d characters.", limit) % {"max": limit}
            ]
    if errors:
        return JsonResponse({"errors": errors}, status=400)
    preview = _tag_preview(request.user, typed) if typed.strip() else []
    return JsonResponse(
        {
            "results": queries.tag_suggestions(request.user, query) if query.strip() else [],
            "tags": preview,
        }
    )


def _tag_reader(request: HttpRequest, slug: str) -> tuple | None:
    """A members' shared tag page is keyed on the follower count and whether
    this member follows the tag (following publishes no event)."""
    if not queries.sees_lists_as_any_member(request.user):
        return None
    return queries.tag_follow_state(request.user, slug)


def _tag_edge(request: HttpRequest, slug: str) -> list[str]:
    """The HTTP cache's record of a member and a tag page is kept under the
    tag's topic too: anyone's follow changes the count it names."""
    return [events.tag_topic(slug)]


# Answer counts and statuses in the list come from `thread.activity`, which only `feed` carries.
@shared_page(lambda slug: [f"tag:{slug}", "feed"], members=_tag_reader, edge=_tag_edge)
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    canonical = normalise_tag(slug)
    if canonical != slug and canonical:
        # /tags/BTS/ is /tags/bts/: one address per tag, for people and search engines.
        url = reverse("frontend:tag", args=[canonical])
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(url)
    try:
        tag = queries.get_visible_tag(request.user, slug)
    except ForumError as exc:
        raise_for_page(exc)
    if redirect := redirect_to_search(request, tag=tag.slug):
        return redirect
    live_context = live(f"tag:{tag.slug}")
    context = _question_list_page(request, tag=tag) | live_context
    context["tag"] = tag
    context |= queries.tag_page_details(request.user, tag)
    context["can_describe_tag"] = permissions.can_moderate(request.user)
    context["calendar_banner"] = _calendar_banner(tags=[tag.slug])
    context["feeds"] = feed_links(
        (_("Questions tagged %(tag)s") % {"tag": tag.name}, reverse("frontend:feed_tag", args=[tag.slug])),
        (
            _("Unanswered questions tagged %(tag)s") % {"tag": tag.name},
            reverse("frontend:feed_tag_unanswered", args=[tag.slug]),
        ),
    )
    context["share"] = share_meta(
        title=_("Questions tagged %(tag)s") % {"tag": tag.name},
        description=_("Questions and answers about %(tag)s in work-study, from students and verified recruiters.")
        % {"tag": tag.name},
        path=request.path,
    )
    return render(request, "frontend/tags/detail.html", context)


@login_required
def describe_tag(request: HttpRequest, slug: str) -> HttpResponse:
    """Moderators write what a tag's page says about its subject."""
    moderator_only(request)
    try:
        tag = queries.get_visible_tag(request.user, slug)
    except ForumError as exc:
        raise_for_page(exc)
    template = "frontend/tags/describe.html"
    if request.method != "POST":
        form = TagDescriptionForm(initial={"description": queries.tag_page_details(request.user, tag)["description"]})
        return render(request, template, {"tag": tag, "form": form})
    form = TagDescriptionForm(request.POST)
    form.is_valid()
    try:
        tag_services.set_tag_description(moderator=request.user, tag=tag, text=form.cleaned_data.get("description", ""))
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return render(request, template, {"tag": tag, "form": form}, status=400)
    except ForumError as exc:
        raise_for_page(exc)
    messages.success(request, _("The description of the tag was saved."))
    return see_other(reverse("frontend:tag", args=[tag.slug]))


# --- Thread -------------------------------------------------------------------


@dataclass
class AnswerRow:
    """An answer and what the viewer may do with it, decided by the policy."""

    answer: Answer
    is_accepted: bool
    voted: bool
    can_vote: bool
    can_accept: bool
    can_edit: bool
    can_withdraw: bool
    is_own: bool
    # "Still valid today" on a dated legal answer that needs checking.
    can_confirm_validity: bool = False
    # The author block, shared by every reader (frontend.page_cache.post_fragments).
    author_html: str = ""
    # The whole card, when shared by the readers who read it the same
    # (frontend.page_cache.answer_cards); else _answers.html renders it.
    card_html: str = ""


def _get_question(request: HttpRequest, pk: int) -> Question:
    try:
        return queries.get_visible_question(request.user, pk)
    except ForumError as exc:
        raise_for_page(exc)


def _author_block(post) -> str:
    return render_to_string("frontend/partials/author.html", author_context(post.author))


def thread_answers_context(request: HttpRequest, question: Question) -> dict:
    """What the answers section shows to this viewer: the rows in the server's
    order with the viewer's controls, and the reports/appeals/tools context.
    The thread page and its live fragment both use it, so a live update and a
    reload cannot disagree.

    Per-viewer parts cost two queries whatever the number of answers: the
    viewer's votes and reports in one (`queries.viewer_marks`), and their
    badges loaded with everyone else's on the page (`queries.with_badges`)."""
    user = request.user
    answers = list(queries.thread_answers(user, question, badges=False))
    viewer = getattr(user, "_wrapped", user) if user.is_authenticated else None
    queries.with_badges([question.author, viewer, *(answer.author for answer in answers)])
    voted, flagged = queries.viewer_marks(
        user, question=question, answer_ids=[a.pk for a in answers], reports=permissions.can_participate(user)
    )
    # The shared author blocks are the real ones: an answer whose author this
    # reader may not see (discreet mode) is rendered for them, masked.
    masked = {answer.pk for answer in answers if not permissions.can_see_author(user, answer, question)}
    authors = post_fragments("answer", [a for a in answers if a.pk not in masked], _author_block)
    rows = [
        AnswerRow(
            answer=answer,
            is_accepted=answer.pk == question.accepted_answer_id,
            voted=answer.pk in voted,
            can_vote=permissions.can_vote(user, answer),
            can_accept=permissions.can_accept(user, answer),
            can_edit=permissions.can_edit(user, answer),
            can_withdraw=permissions.can_withdraw(user, answer),
            is_own=user.is_authenticated and answer.author_id == user.pk,
            can_confirm_validity=permissions.can_confirm_validity(user, answer),
            author_html=authors.get(answer.pk, ""),
        )
        for answer in answers
    ]
    context = {
        "question": question,
        "answers": rows,
        "is_asker": user.is_authenticated and question.author_id == user.pk,
        **thread_moderation_context(request, question, answers, flagged=flagged),
    }
    cards = answer_cards(request, context, reltime)
    for row in rows:
        row.card_html = cards.get(row.answer.pk, "")
    return context


def render_thread(
    request: HttpRequest,
    question: Question,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    live_context: dict | None = None,
) -> HttpResponse:
    """The thread page; also re-rendered by the answer view when an answer is refused."""
    live_context = live_context or live(f"thread:{question.pk}")
    user = request.user
    # First: it loads the badges of everyone on the page, the viewer's included.
    answers_context = thread_answers_context(request, question)
    can_answer = permissions.can_answer(user, question)
    context = {
        "tags": list(question.tags.all()),
        "answer_form": answer_form or AnswerForm(),
        "can_answer": can_answer,
        "charter_hints": charter.hints_for(user, context="answer") if can_answer else charter.NO_HINTS,
        "answer_refusal": permissions.answer_refusal(user, question) if user.is_authenticated else None,
        "first_posts_held": user.is_authenticated and screening.first_posts_held(user),
        # HR and school staff learn before posting that their answer carries their badge.
        "answer_badges": [badge for badge in badges_for(user) if badge["role"] in STAFF_ROLES]
        if user.is_authenticated
        else [],
        "can_edit_question": permissions.can_edit(user, question),
        "author_masked": not permissions.can_see_author(user, question),
        "discreet_organisations": queries.discreet_organisations(question)
        if permissions.can_see_discretion(user, question)
        else [],
        "discreet_everywhere": question.discreet_everywhere and permissions.can_see_discretion(user, question),
        # Public threads only: a pending question's title is its author's draft.
        "related_questions": search.related_questions(question) if question.visibility == Visibility.PUBLISHED else [],
        # A pending or hidden thread is shown to its author and moderators only.
        "noindex": question.visibility != Visibility.PUBLISHED,
        "following_thread": user.is_authenticated and queries.follows_thread(user, question),
        **live_context,
        **answers_context,
    }
    # Verified staff answering on a pay or aid thread see the dating fields unfolded.
    context["dating_open"] = bool(context["answer_badges"]) and any(
        legal_dates.is_legal_tag(tag.name) for tag in context["tags"]
    )
    public_answers = [row.answer for row in context["answers"]]
    context["structured_data"] = _structured_data(question, public_answers, context["tags"])
    if context["structured_data"]:  # a thread anyone may open: worth sharing
        card = thread_share_card(question, public_answers, context["tags"])
        context["share"] = share_meta(
            title=question.title,
            description=plain_text(question.body_html)[:200],
            path=question.get_absolute_url(),
            image=thread_share_image_url(question, card),
            type="article",
        )
    return render(request, "frontend/questions/thread.html", context, status=status)


def _structured_data(question: Question, answers: list, tags: list) -> list[dict]:
    """thread_json_ld, the same for every reader (search engines are anonymous
    readers): built once per state of what it says, names and badges being
    the generation's."""
    parts = (
        question.pk,
        question.title,
        question.body_html,
        question.created_at,
        question.edited_at,
        question.visibility,
        question.author_id,
        question.is_discreet,
        question.accepted_answer_id,
        [(tag.slug, tag.name) for tag in tags[:1]],
        [(a.pk, a.body_html, a.created_at, a.edited_at, a.vote_count, a.author_id, a.visibility) for a in answers],
    )
    return shared_value("ld", parts, lambda: thread_json_ld(question, answers, tags))


def _count_cached_view(request: HttpRequest, meta: dict) -> None:
    """A shared copy's reader counts as the view counts them, and reads the
    thread's notifications (a member's shared copy), before the menu counts
    the unread ones. The count read with the member first: a member with
    nothing unread (most hits) has nothing to mark read."""
    question_services.record_view_of(
        question_id=meta["question_id"], created_at=meta["created_at"], viewer=viewer_of(request)
    )
    if not request.user.is_authenticated:
        return
    if queries.current_unread_count(request.user):
        notification_services.mark_thread_read(user=request.user, question_id=meta["question_id"])


def _thread_reader(request: HttpRequest, pk: int, slug: str = "") -> tuple | None:
    """What a member's thread page shows of them, for the members' shared copy
    (frontend/page_cache.py), or None when the page is theirs alone: their
    lists are not anyone's or they took part in the thread. The composer's
    hints and notice depend on their own posts and account's age, with no
    event. One query (`queries.thread_page_reader`)."""
    reader = queries.thread_page_reader(request.user, pk)
    if reader is None:
        return None
    hints = reader.hints
    return (
        reader.following,
        hints.role,
        hints.reason,
        tuple(hint.key for hint in hints.hints),
        screening.first_posts_held(request.user),
    )


def _thread_edge(request: HttpRequest, pk: int, slug: str = "") -> list[str] | None:
    """What opening the thread does for a member the HTTP cache answers from
    the members' copy (`_count_cached_view`), when it asks about them: once
    per member and thread until an event on their topic (a notification
    about it: read at their next look) or HTTP_CACHE's READER_SECONDS."""
    try:
        question = queries.get_visible_question(request.user, pk)
    except ForumError:
        return None
    _count_cached_view(request, {"question_id": question.pk, "created_at": question.created_at.timestamp()})
    return []


@shared_page(lambda pk, slug="": [f"thread:{pk}"], on_hit=_count_cached_view, members=_thread_reader, edge=_thread_edge)
def thread(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    live_context = live(f"thread:{pk}")
    question = _get_question(request, pk)
    if slug != question.slug:
        # After the visibility check: a redirect must not reveal the title of
        # a thread this reader may not open.
        url = question.get_absolute_url()
        if request.META.get("QUERY_STRING"):
            url += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(url)
    if question_services.record_view(question=question, viewer=viewer_of(request)):
        question.view_count += 1
    # Reading the thread reads its notifications (the header count follows live).
    notification_services.mark_thread_read(user=request.user, question_id=question.pk)
    response = render_thread(request, question, live_context=live_context)
    # A page served from the cache still counts its reader.
    setattr(response, META_ATTRIBUTE, {"question_id": question.pk, "created_at": question.created_at.timestamp()})
    return response


@csrf_exempt  # a view count, nothing a forged request could do harm with
@require_POST
def thread_viewed(request: HttpRequest, pk: int) -> HttpResponse:
    """An anonymous reader's view of a thread page, sent by live.js once the
    page is shown: a page the HTTP cache answered never reached Python to be
    counted (forum/http_cache.py). Counted once per reader and period like
    any view, so a page that was rendered here and also sends this counts once."""
    if not request.user.is_authenticated:
        try:
            question = queries.get_visible_question(request.user, pk)
        except ForumError:
            return HttpResponse(status=204)
        question_services.record_view(question=question, viewer=viewer_of(request))
    return HttpResponse(status=204)


@require_safe
def thread_answers(request: HttpRequest, pk: int) -> HttpResponse:
    # The watchers of a busy thread all fetch this after each burst of events:
    # one render per version serves every anonymous one, and one every member
    # who took no part in the thread (as the thread page).
    response = _thread_answers(request, pk=pk)
    # Never stored by the browser or a proxy: the shared copy is the server's.
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _live_parts_reader(request: HttpRequest, pk: int) -> tuple | None:
    """The live parts show no composer: what they show of a member who took
    no part in the thread is their part in it (`queries.thread_reader_state`)
    alone, without `_thread_reader`'s hints and notice queries, which every
    watcher would pay after each change."""
    return queries.thread_reader_state(request.user, pk)


@shared_page(lambda pk: [f"thread:{pk}"], members=_live_parts_reader, member_menu=False)
def _thread_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The live parts of a thread (status, answers section) for this viewer,
    rendered by the very partials of the thread page: live.js fetches it when
    an event says the thread changed, so what a live page shows is what a
    reload would show, controls included. Same visibility as the page (404
    for a question this viewer may not see); no view is counted."""
    question = _get_question(request, pk)
    return render(request, "frontend/questions/_live_parts.html", thread_answers_context(request, question))


# --- Asking and editing ---------------------------------------------------------


def _tag_preview(user, raw: str) -> list[dict]:
    """What the tags typed will be saved as (synonyms replaced by their tag),
    shown beside the field, each marked when it would create a new tag."""
    names = queries.canonical_tags(clean_tags(raw or "", {}))
    existing = queries.existing_tag_names(user, names)
    return [{"name": name, "is_new": name not in existing} for name in names]


def posting_notices(user) -> dict:
    """What a member is told before typing, asked of the policy: why they may
    not post at all (suspension), or that their post will wait for a moderator;
    and, for their first posts, the charter's hints for their role."""
    refusal = permissions.participation_refusal(user)
    return {
        "posting_refusal": refusal,
        "first_posts_held": refusal is None and screening.first_posts_held(user),
        "charter_hints": charter.hints_for(user, context="question") if refusal is None else charter.NO_HINTS,
    }


def _question_form_page(
    request, template: str, form: QuestionForm, *, status: int = 200, similar: bool = False, **context
) -> HttpResponse:
    """`similar`: list existing questions like the title (asking only), filled
    here when the form comes back with a title and by forms.js as one types."""
    context.update(
        form=form,
        tag_preview=_tag_preview(request.user, form["tags"].value()),
        popular_tags=queries.public_tag_counts()[:POPULAR_TAGS_SHOWN],
    )
    if similar:
        title = form["title"].value() or ""
        context["similar_url"] = reverse("frontend:similar_questions")
        context["similar_questions"] = search.similar(title, viewer=request.user) if title else []
    return render(request, template, context, status=status)


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    template = "frontend/questions/ask.html"
    organisations = list(queries.organisation_list())
    if request.method != "POST":
        initial = {"tags": request.GET.get("tag", "")[:40], "addressed_to": request.GET.getlist("a")[:3]}
        form = AskForm(initial=initial, organisations=organisations)
        return _question_form_page(request, template, form, similar=True, **posting_notices(request.user))

    form = AskForm(request.POST, organisations=organisations)
    form.is_valid()
    try:
        question = question_services.ask_question(
            author=request.user,
            title=form.cleaned_data.get("title", ""),
            body=form.cleaned_data.get("body", ""),
            tags=form.cleaned_data.get("tags", ""),
            addressed_to=request.POST.getlist("addressed_to")[:10],
            discreet_from=request.POST.getlist("discreet_from")[:10],
            discreet_everywhere=form.cleaned_data.get("discreet_everywhere", False),
            confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
            **form.facet_values(),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return _question_form_page(request, template, form, status=400, similar=True, **posting_notices(request.user))
    except ForumError as exc:
        form.add_error(None, exc.message)
        response = _question_form_page(
            request, template, form, status=status_for(exc), similar=True, **posting_notices(request.user)
        )
        return with_retry_after(response, exc)
    announce_post(request, question, _("Your question is online. You will see answers here as they come."))
    return see_other(question.get_absolute_url())


@login_required
def edit_question(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    try:
        permissions.check_can_edit(request.user, question)
    except ForumError as exc:
        raise_for_page(exc)
    template = "frontend/questions/edit.html"
    # Discreet mode is the asker's choice alone (an editing moderator does not see it).
    is_asker = question.author_id == request.user.pk
    organisations = list(queries.organisation_list()) if is_asker else []

    def make_form(*args, **kwargs) -> QuestionForm:
        if is_asker:
            return AskerEditForm(*args, organisations=organisations, **kwargs)
        return QuestionForm(*args, **kwargs)

    if request.method != "POST":
        initial = {"title": question.title, "body": question.body, "tags": ", ".join(question.tags.names())}
        initial |= {name: getattr(question, name) for name in QuestionForm.FACET_FIELDS}
        if is_asker:
            hidden = set(question.discreet_from)
            initial["discreet_from"] = [o.slug for o in organisations if o.pk in hidden]
            initial["discreet_everywhere"] = question.discreet_everywhere
        return _question_form_page(request, template, make_form(initial=initial), question=question)

    form = make_form(request.POST)
    form.is_valid()
    discretion = (
        {
            "discreet_from": request.POST.getlist("discreet_from")[:10],
            "discreet_everywhere": form.cleaned_data.get("discreet_everywhere", False),
        }
        if is_asker and request.POST.get("discreet_shown")
        else {}
    )
    try:
        question = question_services.edit_question(
            editor=request.user,
            question=question,
            title=form.cleaned_data.get("title", ""),
            body=form.cleaned_data.get("body", ""),
            tags=form.cleaned_data.get("tags", ""),
            **discretion,
            confirm_personal_data=form.cleaned_data.get("confirm_personal_data", False),
            **form.facet_values(),
        )
    except InvalidInput as exc:
        add_service_errors(form, exc)
        return _question_form_page(request, template, form, status=400, question=question)
    except ForumError as exc:
        form.add_error(None, exc.message)
        response = _question_form_page(request, template, form, status=status_for(exc), question=question)
        return with_retry_after(response, exc)
    announce_post(request, question, _("Your question was updated. The previous version is kept in its history."))
    return see_other(question.get_absolute_url())


def question_history(request: HttpRequest, pk: int) -> HttpResponse:
    question = _get_question(request, pk)
    context = {"question": question, "revisions": queries.post_revisions(question)}
    return render(request, "frontend/questions/history.html", context)
