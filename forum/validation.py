"""Input rules shared by every front door. Each function returns the cleaned
value or adds French/English messages to an error dict keyed by field."""

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.exceptions import InvalidInput
from forum.models.facets import FACETS
from forum.services.personal_data import find_personal_data

Errors = dict[str, list[str]]


def _rules() -> dict:
    return settings.FORUM


def strip_controls(text: str) -> str:
    # NUL bytes break PostgreSQL text columns; other control characters are noise.
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " " or ch == "\r").replace("\r\n", "\n")


def clean_title(value, errors: Errors, field: str = "title") -> str:
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("A title is required."))
        return ""
    title = " ".join(strip_controls(value).split())
    rules = _rules()
    if not title:
        errors.setdefault(field, []).append(_("A title is required."))
    elif len(title) < rules["TITLE_MIN"]:
        errors.setdefault(field, []).append(
            _("The title is too short: at least %(min)d characters, so that others understand your question.")
            % {"min": rules["TITLE_MIN"]}
        )
    elif len(title) > rules["TITLE_MAX"]:
        errors.setdefault(field, []).append(
            _("The title is too long: at most %(max)d characters.") % {"max": rules["TITLE_MAX"]}
        )
    return title


def clean_body(value, errors: Errors, field: str = "body") -> str:
    if not isinstance(value, str):
        errors.setdefault(field, []).append(_("The text is required."))
        return ""
    body = strip_controls(value).strip()
    rules = _rules()
    if not body:
        errors.setdefault(field, []).append(_("The text is required."))
    elif len(body) < rules["BODY_MIN"]:
        errors.setdefault(field, []).append(
            _("The text is too short: at least %(min)d characters.") % {"min": rules["BODY_MIN"]}
        )
    elif len(body) > rules["BODY_MAX"]:
        errors.setdefault(field, []).append(
            _("The text is too long: at most %(max)d characters (yours has %(length)d).")
            % {"max": rules["BODY_MAX"], "length": len(body)}
        )
    return body


def split_tag_input(value: str) -> list[str]:
    """Web tag input: tags separated by commas (spaces inside a tag become hyphens)."""
    return [part for part in value.replace(";", ",").split(",") if part.strip()]


# French elision ("d'", "l'", "qu'") says nothing in a tag: "contrat d'apprentissage"
# and "contrat apprentissage" must be the same tag.
_ELISION = re.compile(r"\b(?:d|l|j|qu|n|s)['’]", re.IGNORECASE)


def normalise_tag(raw: str) -> str:
    """'Contrat d'apprentissage' -> 'contrat-apprentissage'; 'BTS ' -> 'bts'.
    Never shortened: clean_tags refuses a tag over TAG_MAX_LENGTH (cutting it
    would save a tag its author never wrote)."""
    text = _ELISION.sub(" ", str(raw))
    return slugify(" ".join(text.split())).strip("-")


def _is_contact_detail(raw: str, tag: str) -> bool:
    return any(
        match.kind in {"phone", "email"}
        for text in (raw, tag.replace("-", " "))
        for match in find_personal_data(text, markdown=False)
    )


def clean_tags(value, errors: Errors, field: str = "tags") -> list[str]:
    if isinstance(value, str):
        value = split_tag_input(value)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.setdefault(field, []).append(_("Tags must be a list of words."))
        return []
    tags: list[str] = []
    rules = _rules()
    for raw in value:
        tag = normalise_tag(raw)
        if tag and _is_contact_detail(raw, tag):
            # Tags are public, listed and never reviewed: no phone numbers or emails.
            errors.setdefault(field, []).append(_("A tag cannot be a phone number or an email address."))
            return []
        if len(tag) > rules["TAG_MAX_LENGTH"]:
            errors.setdefault(field, []).append(
                _("“%(tag)s” is too long: a tag has at most %(max)d characters.")
                % {"tag": f"{tag[:20]}…", "max": rules["TAG_MAX_LENGTH"]}
            )
            continue
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) < rules["TAGS_MIN"]:
        errors.setdefault(field, []).append(
            _("Add at least one tag (for example: bts, contrat-apprentissage, rythme).")
        )
    elif len(tags) > rules["TAGS_MAX"]:
        errors.setdefault(field, []).append(
            ngettext(
                "At most %(max)d tag.",
                "At most %(max)d tags: remove %(extra)d.",
                rules["TAGS_MAX"],
            )
            % {"max": rules["TAGS_MAX"], "extra": len(tags) - rules["TAGS_MAX"]}
        )
    return tags


def clean_facets(values: dict, errors: Errors) -> dict[str, str]:
    """The alternance facets given in `values` (forum/models/facets.py), each
    "" (not said) or one of its choices; facets missing from `values` or None
    are left out of the result, so an edit keeps them."""
    cleaned = {}
    for name, choices in FACETS.items():
        value = values.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or (value and value not in choices.values):
            errors.setdefault(name, []).append(_("Choose one of the proposed values."))
            continue
        cleaned[name] = value
    return cleaned


def raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(fields=errors)


# --- Dated legal answers (forum/legal_dates.py) ------------------------------------

SOURCES_MAX = 3
SOURCE_URL_MAX = 300
# Older than this many years, a "valid as of" date is a typo, not a check.
VALID_AS_OF_MAX_YEARS = 10


def clean_valid_as_of(value, errors: Errors, *, today: date, field: str = "valid_as_of") -> date | None:
    """None (no date), a date, or an ISO string; not after `today` (Paris) and
    not absurdly old."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip()[:10]) if len(value) <= 10 else None
        except ValueError:
            value = None
    if not isinstance(value, date) or isinstance(value, datetime):
        errors.setdefault(field, []).append(_("Enter a valid date."))
        return None
    earliest = date(today.year - VALID_AS_OF_MAX_YEARS, 1, 1)
    if value > today:
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    elif value < earliest:
        errors.setdefault(field, []).append(
            _("The date is too old: %(date)s at the earliest.") % {"date": date_format(earliest, "DATE_FORMAT")}
        )
    return value


def _is_https_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
        credentials = parts.username is not None or parts.password is not None
    except ValueError:  # "https://[oops": urlsplit refuses some hosts by raising
        return False
    return (
        parts.scheme == "https"
        and bool(host)
        and "." in host
        and not credentials
        and not any(ch.isspace() or ch < " " for ch in url)
    )


def clean_sources(value, errors: Errors, field: str = "sources") -> list[str]:
    """Up to SOURCES_MAX https links, each at most SOURCE_URL_MAX characters,
    duplicates dropped. A list (API) or one link per line (web form)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        errors.setdefault(field, []).append(_("Give a list of links."))
        return []
    links: list[str] = []
    for raw in value:
        url = raw.strip()
        if not url:
            continue
        if len(url) > SOURCE_URL_MAX:
            errors.setdefault(field, []).append(
                _("A link is too long: at most %(max)d characters.") % {"max": SOURCE_URL_MAX}
            )
            continue
        if not _is_https_link(url):
            errors.setdefault(field, []).append(_("“%(url)s” is not a valid https:// link.") % {"url": url[:80]})
            continue
        if url not in links:
            links.append(url)
    if len(links) > SOURCES_MAX:
        errors.setdefault(field, []).append(
            ngettext("At most %(max)d source.", "At most %(max)d sources.", SOURCES_MAX) % {"max": SOURCES_MAX}
        )
    return links[:SOURCES_MAX]
