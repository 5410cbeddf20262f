"""What the layout tells search engines: canonical address, language
alternates, indexing, share cards (docs/seo.md)."""

import json

from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from frontend.canonical import absolute
from frontend.middleware import LANGUAGE_QUERY_PARAMETER

register = template.Library()

# Pages worth a search engine's index, by URL name; anything else (moderation,
# accounts, forms, badges, errors) is `noindex`. An allowlist, so that a page
# added later stays out of the index until someone decides otherwise.
INDEXABLE = frozenset(
    {
        "home",
        "thread",
        "tag_index",
        "tag",
        "profile",
        "organisations",
        "organisation",
        "charter",
        "markdown_help",
        "help_discreet",
        "live_sessions",
        "live_session",
        "live_transcript",
    }
)
# Query parameters that make another page of the same list; anything else (a
# search, a status filter) is a view of it that is not indexed.
KEPT_PARAMETERS = ("page", LANGUAGE_QUERY_PARAMETER)


def _request(context):
    return context.get("request")


def is_indexable(context) -> bool:
    request = _request(context)
    if request is None or context.get("noindex"):
        return False
    match = request.resolver_match
    if match is None or match.namespace != "frontend" or match.url_name not in INDEXABLE:
        return False
    return all(key in KEPT_PARAMETERS for key in request.GET)


def _absolute(path: str, params: dict) -> str:
    query = QueryDict(mutable=True)
    query.update({key: value for key, value in params.items() if value})
    return absolute(path) + (f"?{query.urlencode()}" if query else "")


@register.simple_tag(takes_context=True)
def seo_head(context) -> str:
    """`<meta name="robots">`, `<link rel="canonical">` and the hreflang
    alternates of this page. The canonical keeps only the page number and an
    explicit language, so filters and tracking parameters fold into one URL."""
    request = _request(context)
    if request is None:
        return ""
    if not is_indexable(context):
        return mark_safe('<meta name="robots" content="noindex">')
    page = request.GET.get("page", "")
    if page == "1":
        page = ""
    lang = request.GET.get(LANGUAGE_QUERY_PARAMETER, "")
    if lang not in dict(settings.LANGUAGES):
        lang = ""
    canonical = _absolute(request.path, {"page": page, LANGUAGE_QUERY_PARAMETER: lang})
    alternates = [
        (code, _absolute(request.path, {"page": page, LANGUAGE_QUERY_PARAMETER: code}))
        for code, _name in settings.LANGUAGES
    ]
    alternates.append(("x-default", _absolute(request.path, {"page": page})))
    return format_html('<link rel="canonical" href="{}">', canonical) + format_html_join(
        "", '\n  <link rel="alternate" hreflang="{}" href="{}">', alternates
    )


@register.simple_tag
def json_ld(data) -> str:
    """A schema.org block. Escaped like json_script (<, >, & as \\u escapes),
    so a title containing "</script>" cannot close the element. No CSP nonce:
    a data block is never executed, so script-src does not apply to it, and a
    nonce would make the page uncacheable (it changes per response)."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
