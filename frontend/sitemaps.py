"""Sitemaps (django.contrib.sitemaps): every page an anonymous reader can open
and a search engine should list, in pages of at most 50,000 URLs.

Each section reads plain tuples in one query per page (forum.queries.sitemap_*)
and builds its URLs by string formatting, not reverse() per row: a full page
costs two queries (count, rows) and no model instance. A page is written by
`urlset_xml`, not Django's sitemap.xml template: the template loop took about
30 s for 50,000 URLs on the development machine (docs/benchmarks.md). The
views cache the XML under the event-log cursor (frontend/views/seo.py)."""

from collections.abc import Iterator
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from forum import queries
from forum.models import LiveSession
from forum.slugs import slugify_title

# The scheme of the canonical site (SITE_URL): behind a TLS proxy the request
# may arrive as http while every public URL is https.
PROTOCOL = urlsplit(settings.SITE_URL).scheme or "https"


# What reverse() leaves unquoted in a path (django.urls.resolvers), so that a
# formatted URL equals the reversed one.
_PATH_SAFE = "/:@&=+$,!*'()~-._"


class _Section(Sitemap):
    """A section whose URLs are `<prefix><value>/`: the prefix is reversed once
    per request, not once per URL."""

    protocol = PROTOCOL
    limit = 50_000
    url_name = ""

    def __init__(self):
        placeholder = "sitemap-placeholder"
        url = reverse(self.url_name, args=[placeholder])
        self._prefix = url[: url.index(placeholder)]

    def location(self, item) -> str:
        return f"{self._prefix}{quote(item, safe=_PATH_SAFE)}/"

    def entries(self, *, page, base: str) -> Iterator[str]:
        """The <url> elements of one page (Django's paginator: EmptyPage and
        PageNotAnInteger for a bad `page`), with `base` the scheme and host."""
        changefreq = f"<changefreq>{self.changefreq}</changefreq>" if self.changefreq else ""
        lastmod = getattr(self, "lastmod", None)
        for item in self.paginator.page(page).object_list:
            when = lastmod(item) if lastmod else None
            stamp = f"<lastmod>{when.date().isoformat()}</lastmod>" if when else ""
            yield f"<url><loc>{escape(base + self.location(item))}</loc>{stamp}{changefreq}</url>"

    def get_latest_lastmod(self):
        # Django's default takes the max over every item of the section, all
        # 100,000 of them, for the index alone.
        return None


class ThreadSitemap(_Section):
    changefreq = "daily"
    url_name = "frontend:thread_by_id"

    def items(self):
        return queries.sitemap_threads()

    def location(self, item) -> str:
        pk, title, _last_activity = item
        return f"{self._prefix}{pk}/{slugify_title(title)}/"

    def lastmod(self, item):
        return item[2]

    def get_latest_lastmod(self):
        return queries.sitemap_threads_latest_activity()

    def __init__(self):
        placeholder = 987654321
        url = reverse(self.url_name, args=[placeholder])
        self._prefix = url[: url.index(str(placeholder))]


class TagSitemap(_Section):
    changefreq = "daily"
    url_name = "frontend:tag"

    def items(self):
        return queries.sitemap_tags()

    def location(self, item) -> str:
        return super().location(item[0])

    def lastmod(self, item):
        return item[1]


class OrganisationSitemap(_Section):
    changefreq = "weekly"
    url_name = "frontend:organisation"

    def items(self):
        return queries.sitemap_organisations()


class MemberSitemap(_Section):
    changefreq = "weekly"
    url_name = "frontend:profile"

    def items(self):
        return queries.sitemap_members()


class LiveSessionSitemap(_Section):
    """Transcripts of past sessions (what search engines should find), pages
    of upcoming ones."""

    changefreq = "daily"
    url_name = "frontend:live_session_by_id"

    def __init__(self):
        placeholder = 987654321
        url = reverse(self.url_name, args=[placeholder])
        self._prefix = url[: url.index(str(placeholder))]
        self._now = timezone.now()

    def items(self):
        return queries.sitemap_live_sessions()

    def location(self, item) -> str:
        pk, title, ends_at = item
        # The model's slug rule (reserved sub-paths), without loading the row.
        path = f"{self._prefix}{pk}/{LiveSession(title=title).slug}/"
        return f"{path}transcription/" if ends_at <= self._now else path


def urlset_xml(entries: Iterator[str]) -> str:
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
            *entries,
            "\n</urlset>\n",
        ]
    )


SITEMAPS = {
    "questions": ThreadSitemap,
    "tags": TagSitemap,
    "organisations": OrganisationSitemap,
    "membres": MemberSitemap,
    "chats-conseil": LiveSessionSitemap,
}
