"""Spotting personal data in a post before it is published.

Students post under their real names and often paste their contact details
("appelle-moi au 06…") or someone else's. The detector errs on the side of
asking: a match only triggers a warning the author can dismiss, and a post
published anyway waits for a moderator. Patterns, precisely:

- email: `local@domain.tld`;
- phone: what Google's libphonenumber (`phonenumbers`) finds in free text and
  judges a *valid* number, French by default (`06 12 34 56 78`, `+33 6…`,
  `0033…`, `+33 (0)6…`) or international with its `+` prefix; slashes,
  underscores, bullets and dashes between digit groups count as spaces (the
  library reads `06/12/34/56/78` as a date). Dates, years (`BTS 2025-2027`),
  amounts (`1 200 €`), SIRET and postcodes are not valid numbers and pass;
- postal address: a street number (optionally bis/ter/quater), then a street
  type (rue, avenue, boulevard, place, allée, impasse, chemin, route, quai,
  cours, square, passage, faubourg, …) followed by a name; "place" and the
  other everyday words count only when followed by de/du/des/d'/la/le or a
  capitalised name (so "1 place en BTS" is no address), and a 5-digit
  postcode right after is included in the match;
- French social security number (NIR): 13 digits (sex 1/2, year, month,
  department incl. 2A/2B, commune, order) and its 2-digit key, with or
  without spaces; the key must be valid (97 - number mod 97), which rules out
  most long numbers that only look alike.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

import nh3
import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.markdown import render_markdown

KIND_LABELS = {
    "email": gettext_lazy("an email address"),
    "phone": gettext_lazy("a phone number"),
    "address": gettext_lazy("a postal address"),
    "social_security": gettext_lazy("a social security number"),
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")

# Separators the phone matcher does not read as such between digit groups.
_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[^\S\n]*[/_|·•‧∙⋅–—~\\][^\S\n]*(?=\d)")
_HREF = re.compile(r'href="([^"]*)"')

_STREET_TYPES_CLEAR = (
    r"rue|avenue|av\.|bd|boulevard|all[ée]e|impasse|quai|faubourg|fbg|rond-point|chauss[ée]e|"
    r"esplanade|promenade|r[ée]sidence|lotissement|lieu-dit|sentier|parvis"
)
# Everyday words that are also street types ("2 cours de maths", "1 place en
# BTS"): they count only before a capitalised name.
_STREET_TYPES_AMBIGUOUS = r"place|chemin|route|cours|square|passage|villa|cit[ée]|hameau|clos|domaine"
_NUMBER = r"(?<![\w,.])\d{1,4}(?:\s?(?i:bis|ter|quater))?,?\s+"
_PARTICLE = r"(?i:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])"
_NAME = r"[A-ZÀ-Ý][\w'’-]*"
_WORD = r"[\w'’-]+"
_TAIL = rf"(?:[ \t]+(?:{_PARTICLE}|{_NAME}))*(?:,?[ \t]+\d{{5}}(?![\d])(?:[ \t]+{_NAME})?)?"
_ADDRESS = re.compile(
    rf"{_NUMBER}(?:"
    rf"(?i:{_STREET_TYPES_CLEAR})\s+(?:{_PARTICLE}\s*)?{_WORD}"
    rf"|(?i:{_STREET_TYPES_AMBIGUOUS})\s+(?:{_PARTICLE}\s*)?{_NAME}"
    rf"){_TAIL}"
)

_NIR = re.compile(
    r"(?<![\d])"
    r"(?P<sex>[12])\s?(?P<year>\d{2})\s?(?P<month>0[1-9]|1[0-2]|[2-4]\d|50|99)\s?"
    r"(?P<dept>\d{2}|2[AaBb])\s?(?P<commune>\d{3})\s?(?P<order>\d{3})\s?(?P<key>\d{2})"
    r"(?![\d])"
)


@dataclass(frozen=True)
class Match:
    kind: str
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


def _nir_key_is_valid(match: re.Match) -> bool:
    dept = match["dept"].upper()
    # Corsica: 2A and 2B count as 19 and 18 in the key computation.
    dept = {"2A": "19", "2B": "18"}.get(dept, dept)
    number = int(match["sex"] + match["year"] + match["month"] + dept + match["commune"] + match["order"])
    return 97 - number % 97 == int(match["key"])


def reader_text(source: str, *, markdown: bool = True) -> str:
    """What a reader sees of `source`: the Markdown rendered as on the page
    (escapes such as `\\@` and entities such as `&#64;` decoded, `**bold**`
    markup between digits gone), link targets included (a `mailto:` is data
    too), then NFKC-normalised (full-width digits, non-breaking spaces) and
    without invisible format characters (zero-width spaces and joiners)."""
    if markdown:
        rendered = render_markdown(source)
        links = " ".join(unquote(html.unescape(href)) for href in _HREF.findall(rendered))
        text = html.unescape(nh3.clean(rendered, tags=set())) + ("\n" + links if links else "")
    else:
        text = source
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _phones(text: str) -> list[tuple[int, int, str]]:
    text = _DIGIT_SEPARATORS.sub(lambda m: " " * len(m.group(0)), text)
    matcher = phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID)
    return [(match.start, match.end, "phone") for match in matcher]


def _find(text: str) -> list[Match]:
    spans: list[tuple[int, int, str]] = []
    spans += [(*m.span(), "email") for m in _EMAIL.finditer(text)]
    spans += [(*m.span(), "social_security") for m in _NIR.finditer(text) if _nir_key_is_valid(m)]
    spans += _phones(text)
    spans += [(*m.span(), "address") for m in _ADDRESS.finditer(text)]
    # A phone-like run inside a social security number is the same data, once.
    kept = [
        (start, end, kind)
        for start, end, kind in spans
        if not any(
            o_start <= start and end <= o_end and (o_start, o_end) != (start, end) for o_start, o_end, _ in spans
        )
    ]
    return [Match(kind, text[start:end].strip()) for start, end, kind in sorted(kept)]


def find_personal_data(text: str, *, markdown: bool = True) -> list[Match]:
    """Every piece of apparent personal data in `text`, as readers see it
    (`reader_text`) and as written (a source-only form would be no safer).
    `markdown=False` for plain-text fields (profile, tags)."""
    if not text:
        return []
    found: list[Match] = []
    for variant in (reader_text(text, markdown=markdown), reader_text(text, markdown=False)):
        for match in _find(variant):
            if match not in found and not any(match.text in other.text for other in found):
                found.append(match)
    return found


def describe(matches: list[Match]) -> str:
    """'an email address (a@b.fr) and a phone number (06 12 34 56 78)'."""
    parts = [f"{KIND_LABELS[m.kind]} ({m.text})" for m in matches]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
