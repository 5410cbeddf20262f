"""Words in thread URLs: `/questions/<id>/<slug>/`.

The id finds the thread; the slug is only for people and search engines, so it
is derived from the current title on every call and never stored: a title edit
changes the canonical URL, and every older slug (or none) answers with a
permanent redirect to it (frontend.views.questions.thread).
"""

import re
import unicodedata

SLUG_MAX_LENGTH = 60
# Letters NFKD does not decompose, so ASCII folding would drop them: "cœur" must
# read "coeur", not "cur".
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"))
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# Path segments of a thread that are not slugs (frontend/urls.py): a title
# slugified to one of them gets a suffix, so the thread URL never hits a tool.
RESERVED = frozenset({"modifier", "historique", "repondre", "reponses", "suivre"})
FALLBACK = "question"


def slugify_title(title: str) -> str:
    """ "L'alternance en BTS : rémunération ?" -> "l-alternance-en-bts-remuneration".

    Accents folded (é -> e, ç -> c, œ -> oe), apostrophes and any other
    non-alphanumeric run become one hyphen, cut at a word boundary within
    SLUG_MAX_LENGTH characters."""
    text = title.lower()
    if not text.isascii():  # ASCII titles skip the Unicode work (a sitemap page slugifies 50,000)
        for letter, replacement in _LIGATURES:
            text = text.replace(letter, replacement)
        # Drop the accents (combining marks) only: any other non-ASCII
        # character, such as a typographic apostrophe, separates words.
        text = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    slug = _SEPARATORS.sub("-", text).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        cut = slug[: SLUG_MAX_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:SLUG_MAX_LENGTH]
        slug = slug.strip("-")
    if not slug:
        return FALLBACK
    if slug in RESERVED:
        return f"{slug}-{FALLBACK}"
    return slug
