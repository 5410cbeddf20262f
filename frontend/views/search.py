"""The search page: a thin front door over forum.search."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from forum import page_versions, queries, search
from forum.exceptions import InvalidInput
from forum.models import Question
from forum.thread_filters import ThreadFilters
from frontend.forms import FacetFilterForm, SearchForm, add_service_errors
from frontend.page_cache import shared_page

FACET_SAMPLE = 1000


# Results may show any thread: anonymous readers share the page per version of
# the whole forum (any event, or the page generation, gives a fresh search).
@shared_page(lambda: page_versions.EVERY_TOPIC)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # Lenient like the lists' facet selects: a stale value in a shared link is dropped.
    facets = ThreadFilters.parse(request.GET, lenient=True)
    context: dict = {
        "form": form,
        "page": None,
        "query": "",
        "filters": facets,
        "facet_form": FacetFilterForm(initial=facets.active),
    }
    if not form.is_valid():
        return render(request, "frontend/search/results.html", context, status=400)
    data = form.cleaned_data
    query = data["q"].strip()
    context["query"] = query
    if not query:
        return render(request, "frontend/search/results.html", context)
    filters = search.SearchFilters(
        tag=data["tag"] or None,
        status=data["filter"] or "all",
        since=data["since"],
        until=data["until"],
        extra=[facets],
    )
    try:
        context["page"] = search.search(
            query,
            viewer=request.user,
            filters=filters,
            sort=data["sort"] or "relevance",
            cursor=request.GET.get("cursor"),
        )
    except InvalidInput as exc:
        # The page's own fields carry the errors ("filter" is the status here).
        exc.fields = {("filter" if name == "status" else name): msgs for name, msgs in exc.fields.items()}
        add_service_errors(form, exc)
        return render(request, "frontend/search/results.html", context, status=400)
    if context["page"].matches is not None:
        # Below the results, like the lists: how many matches have each facet
        # value, among the first FACET_SAMPLE matches (a common word matches
        # most of the forum, and counting all of it is a full scan).
        sample = context["page"].matches.order_by().values("pk")[:FACET_SAMPLE]
        context["facet_counts"] = facets.facet_counts(Question.objects.filter(pk__in=sample))
    context["first_page_url"] = reverse("frontend:search") + "?" + _without(request, "cursor")
    if not request.GET.get("cursor"):
        # Answers given in live sessions (issue 13), on the first page only.
        context["live_hits"] = queries.search_live_transcripts(query)
    return render(request, "frontend/search/results.html", context)


def _without(request: HttpRequest, name: str) -> str:
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


def redirect_to_search(request: HttpRequest, *, tag: str | None = None) -> HttpResponse | None:
    """`/?q=` (and a tag page's `?q=`) now search: the old links keep working."""
    if not request.GET.get("q", "").strip():
        return None
    params = request.GET.copy()
    params.pop("page", None)
    if tag:
        params["tag"] = tag
    return HttpResponseRedirect(reverse("frontend:search") + "?" + params.urlencode())


@require_safe
def similar_fragment(request: HttpRequest) -> HttpResponse:
    """The ask form's list of similar questions for the title being typed,
    as HTML rendered by the same partial as the page (forms.js swaps it in):
    the server decides what it says, in the page's language."""
    title = request.GET.get("title", "")
    response = render(
        request,
        "frontend/search/_similar.html",
        {"similar_questions": search.similar(title, viewer=request.user)},
    )
    patch_vary_headers(response, ["Accept-Language"])
    return response
