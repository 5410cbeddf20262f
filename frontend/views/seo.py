"""What search engines fetch besides pages: robots.txt and the sitemaps."""

import functools

from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from forum import queries
from frontend.canonical import absolute
from frontend.sitemaps import SITEMAPS

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
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


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
