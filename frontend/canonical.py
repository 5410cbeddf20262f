"""The one origin search engines and share cards see: SITE_URL.

Canonical links, hreflang alternates, sitemaps (through the Sites framework,
whose domain migration 0008 takes from SITE_URL), robots.txt, JSON-LD, feeds
and share tags all name it, whatever Host a request came in on, so an index
never splits one page across two hosts (www/bare, an IP, a proxy's name)."""

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL + path
