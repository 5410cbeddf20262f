"""The search page's form, rendered once per language and filters.

Its fourteen fields went through Django's form rendering on every search
(about a quarter of a computed search page's CPU), though only the words
typed change from one search to the next. The form is rendered once with a
placeholder for those words, per process, for each language (and script
prefix) and set of the other fields' values; each page writes the escaped words in. A form with
errors, or with no words, is rendered as before.
"""

import functools

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from forum.thread_filters import ThreadFilters
from frontend.forms import FacetFilterForm, SearchForm

TEMPLATE = "frontend/search/_form.html"
# A private-use character: escaping leaves it alone, and no request can slip
# it into the frame (a form whose values hold it is rendered as before).
PLACEHOLDER = "\ue000"
# The other fields' values a frame is made for: free-text tags and dates make
# this unbounded, so only the most recent are kept.
FRAMES = 512
OTHER_FIELDS = ("filter", "tag", "since", "until", "sort")


def render(form: SearchForm, facets: ThreadFilters) -> SafeString:
    """The form as `TEMPLATE` renders it for `form` (bound to the request's
    query) and the facets in use."""
    words = form.data.get("q", "")
    others = tuple(form.data.get(name) for name in OTHER_FIELDS)
    if not words or form.errors or any(PLACEHOLDER in (value or "") for value in (words, *others)):
        return _render(form, facets)
    before, after = _frame(get_language(), get_script_prefix(), others, tuple(facets.active.items()))
    return mark_safe(before + conditional_escape(words) + after)  # noqa: S308 (escaped here; the frame is ours)


def _render(form: SearchForm, facets: ThreadFilters) -> SafeString:
    context = {"form": form, "filters": facets, "facet_form": FacetFilterForm(initial=facets.active)}
    return render_to_string(TEMPLATE, context)


@functools.lru_cache(maxsize=FRAMES)
def _frame(language: str, script_prefix: str, others: tuple, active: tuple) -> tuple[str, str]:
    # `language` and `script_prefix` are only keys (the form's action is a
    # reversed URL): the frame is rendered with the active ones.
    data = QueryDict(mutable=True)
    data.update({name: value for name, value in zip(OTHER_FIELDS, others, strict=True) if value is not None})
    data["q"] = PLACEHOLDER
    form = SearchForm(data)
    form.is_valid()
    html = _render(form, ThreadFilters(**dict(active)))
    before, placeholder, after = html.partition(PLACEHOLDER)
    if not placeholder or PLACEHOLDER in after:
        raise AssertionError("the search form writes the words typed once, as the q field's value")
    return before, after
