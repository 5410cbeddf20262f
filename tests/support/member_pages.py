"""Helpers for the tests of pages shared between members
(frontend/page_cache.py, `members=`)."""

import re

from django.test import Client
from django.test.utils import override_settings

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def rendered_fresh(client: Client, url: str):
    """`url` as the view renders it for this client, with the page cache off:
    what a shared copy must equal."""
    with override_settings(PAGE_CACHE_ENABLED=False):
        return client.get(url)


def assert_nothing_of_who_stored_it(shared, *, reader: str, storer: str, storer_name: str) -> None:
    """`shared`, a members' shared copy served to `reader` (a username), names
    them in its menu and holds nothing of the member who stored it, no
    placeholder left, and nothing a browser or proxy would keep."""
    page = shared.content.decode()
    assert f"@{reader}" in page
    assert storer not in page
    assert storer_name not in page
    assert "\x00" not in page
    assert shared["Cache-Control"] == "private, no-cache"
    assert "ETag" not in shared
