"""The search page: a thin front door over forum.search."""

from dataclasses import replace

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from forum import page_versions, queries, search
from forum.exceptions import InvalidInput
from forum.thread_filters import ThreadFilters
from frontend.forms import SearchForm, add_service_errors
from frontend.page_cache import shared_page


# Results may show any thread: anonymous readers share the page per version of
# the whole forum (any event, or the page generation, gives a fresh search), and
# so do the members whose lists are anyone's: a member's search finds public text
# only, plus, with a filter, their own held questions, which such members have none of.
@shared_page(lambda: page_versions.EVERY_TOPIC, members=True)
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    # Lenient like the lists' facet selects: a stale value in a shared link is dropped.
    facets = ThreadFilters.parse(request.GET, lenient=True)
    context: dict = {
        "form": form,
        "page": None,
        "query": "",
        "filters": facets,
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
            # The rows load what they render for those not in the fragment cache ({% search_rows %}).
            prefetch=False,
        )
    except InvalidInput as exc:
        # The page's own fields carry the errors ("filter" is the status here).
        exc.fields = {("filter" if name == "status" else name): msgs for name, msgs in exc.fields.items()}
        add_service_errors(form, exc)
        return render(request, "frontend/search/results.html", context, status=400)
    page = context["page"]
    if page.matches is not None:
        # Below the results, like the lists: how many of the newest matches
        # (search.MATCH_SAMPLE) have each facet value, given the other facets,
        # so the sample is of the matches before the facets narrow them. A
        # plain search's ranking already read it; otherwise one query takes it.
        sample = page.sample
        if sample is None or not facets.is_empty:
            sample = search.newest_matches(
                page.did_you_mean if page.corrected else query,
                viewer=request.user,
                filters=replace(filters, extra=()),
            )
        context["facet_counts"] = facets.present_counts(facets.count_among(sample))
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
