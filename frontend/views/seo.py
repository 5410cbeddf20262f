"""What search engines fetch besides pages: robots.txt and the sitemaps."""

import functools

from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from forum import queries
from forum.exceptions import ForumError
from frontend import share_image
from frontend.canonical import absolute
from frontend.sitemaps import SITEMAPS, urlset_xml
from frontend.structured_data import ANONYMOUS, thread_share_card

# A backstop for what changes without an event (a new organisation, a renamed
# member): the cursor key below handles everything that publishes one.
SITEMAP_CACHE_SECONDS = 60 * 60


def cached_by_cursor(view):
    """Serve the rendered response from the cache, keyed by the latest event
    cursor: any new event (a thread asked, hidden, edited, answered) changes
    the key, so a stale sitemap lives at most until the next event. One cheap
    query (the cursor) on a hit instead of tens of thousands of rows."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = ":".join(
            [
                "seo",
                view.__name__,
                request.scheme,
                request.get_host(),
                *(str(v) for v in kwargs.values()),
                request.GET.get("p", "1")[:10],
                queries.latest_cursor(),
            ]
        )
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), SITEMAP_CACHE_SECONDS)
        return response

    return wrapper


@require_safe
@cached_by_cursor
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="frontend:sitemap_section")


@require_safe
@cached_by_cursor
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404
    sitemap = SITEMAPS[section]()
    # The Sites framework's domain (SITE_URL's, migration 0008), like the index.
    base = f"{sitemap.get_protocol()}://{sitemap.get_domain(get_current_site(request))}"
    try:
        xml = urlset_xml(sitemap.entries(page=request.GET.get("p", 1), base=base))
    except (EmptyPage, PageNotAnInteger):
        raise Http404 from None
    return HttpResponse(xml, content_type="application/xml")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read everything public; the private and moderation areas
    and the API are off their path (their pages also say noindex)."""
    sitemap = absolute(reverse("frontend:sitemap_index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /comptes/",
        "Disallow: /moderation/",
        "Disallow: /badges/",
        "Disallow: /mon-profil/",
        "Disallow: /mes-avertissements/",
        "Disallow: /signaler/",
        "Disallow: /recours/",
        "",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


SHARE_IMAGE_CACHE_SECONDS = 7 * 24 * 60 * 60


@require_safe
def thread_share_image(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread's 1200×630 share image, as an anonymous reader would see the
    thread (404 otherwise, like the page). Drawing costs tens of milliseconds,
    so the PNG is cached under the card's version (a hash of what it shows):
    a title edit, a tag change or a verified answer make a new image, and the
    page links `?v=<version>` so that social networks fetch it again."""
    try:
        question = queries.get_visible_question(ANONYMOUS, pk)
    except ForumError:
        raise Http404 from None
    card = thread_share_card(question, list(queries.thread_answers(ANONYMOUS, question)), list(question.tags.all()))
    key = f"share-image:{question.pk}:{card.version}"
    png = cache.get(key)
    if png is None:
        png = share_image.render(card)
        cache.set(key, png, SHARE_IMAGE_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    # Not per viewer: the same bytes for everyone, and the URL changes with them.
    response["Cache-Control"] = "public, max-age=86400"
    return response
