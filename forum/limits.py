"""The maximum length of every string a client can send, in one table.

A string nobody bounded reaches a query or a regular expression whole: a
50,000-character `?q=` made SQLite refuse its LIKE pattern ("pattern too
complex") and the request end in a 500. So every string input has a limit, by
name, and the front doors enforce this table before anything else runs:

- the API: `api.v1.common.parse()` puts the limit on every CharField of the
  input serializer (query parameters and bodies), `api.schema` documents it as
  `maxLength`, `api.v1.urls` checks the string path parameters;
- the pages: `frontend.urls` checks every query parameter and string path
  parameter (a 400 page beyond the limit).

The services keep their own, often tighter, rules with their own messages
(a title of 10 to 150 characters): this table only guarantees that nothing
unbounded gets that far. A name missing here gets DEFAULT_MAX_LENGTH.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.utils.translation import ngettext

RULES = settings.FORUM

# The longest free text a member may write that is not a post body.
DEFAULT_MAX_LENGTH = 1000

MAX_LENGTH: dict[str, int] = {
    # Searches and filters.
    "q": 200,
    # Tags as typed, before normalisation ("Contrat d'apprentissage"); the
    # service then refuses a normalised tag over TAG_MAX_LENGTH.
    "tag": 100,
    "tags": 100,
    "author": 150,
    "actor": 150,
    "target": 200,
    "action": 60,
    # Opaque positions in a list (api.pagination: a few ordering values in base64).
    "cursor": 500,
    # A page number; a nonsense one of sensible length still shows the first page.
    "page": 50,
    # Names of things.
    "username": 150,
    "slug": 80,
    "organization": 80,
    "addressed_to": 80,
    "discreet_from": 80,
    "a": 80,
    "domain": 253,
    "domains": 253,
    "name": 120,
    "device_name": 100,
    "work_email": 254,
    "email": 254,
    "website": 200,
    "logo_url": 200,
    "description": 300,
    # Credentials: Django hashes at most 4096 characters of password.
    "password": 4096,
    "token": 200,
    "next": 2000,
    # Posts.
    "title": RULES["TITLE_MAX"],
    "body": RULES["BODY_MAX"],
}


def max_length_for(name: str) -> int:
    return MAX_LENGTH.get(name, DEFAULT_MAX_LENGTH)


def too_long_message(limit: int) -> str:
    return ngettext(
        "At most %(max)d character.",
        "At most %(max)d characters.",
        limit,
    ) % {"max": limit}


def check_lengths(items: Iterable[tuple[str, object]]) -> dict[str, list[str]]:
    """Field errors for the strings among `items` (name, value) that are over
    their limit; empty when all fit. Names are limited too: a parameter name is
    as much client input as its value."""
    errors: dict[str, list[str]] = {}
    for name, value in items:
        if len(name) > DEFAULT_MAX_LENGTH:
            errors.setdefault(name[:40], [too_long_message(DEFAULT_MAX_LENGTH)])
            continue
        limit = max_length_for(name)
        if isinstance(value, str) and len(value) > limit:
            errors.setdefault(name, [too_long_message(limit)])
    return errors


def query_items(params: Mapping) -> list[tuple[str, object]]:
    """Every (name, value) of a QueryDict, repeated names included."""
    return [(name, value) for name in params for value in params.getlist(name)]
