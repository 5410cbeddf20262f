"""Input rules shared by every front door. Each function returns the cleaned
value or adds French/English messages to an error dict keyed by field."""

import re

from django.conf import settings
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
