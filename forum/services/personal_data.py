"""Spotting personal data in a post before it is published.

Students post under their real names and often paste their contact details
("appelle-moi au 06…") or someone else's. The detector errs on the side of
asking: a match only triggers a warning the author can dismiss, and a post
published anyway waits for a moderator. Patterns, precisely:

- email: `local@domain.tld`;
- French phone: `0X XX XX XX XX` (X from 1 to 9) or `+33 X XX XX XX XX` /
  `0033 …`, with spaces, dots or dashes between groups, optionally
  `+33 (0)X …`; not inside a longer number;
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

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_LABELS = {
    "email": gettext_lazy("an email address"),
    "phone": gettext_lazy("a phone number"),
    "address": gettext_lazy("a postal address"),
    "social_security": gettext_lazy("a social security number"),
}

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")

_PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:(?:\+|00)\s?33[\s.-]?(?:\(0\)[\s.-]?)?|0)"
    r"[1-9](?:[\s.-]?\d{2}){4}"
    r"(?!\d)"
)

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


def find_personal_data(text: str) -> list[Match]:
    """Every piece of apparent personal data in `text`."""
    if not text:
        return []
    spans: list[tuple[int, int, str]] = []
    spans += [(*m.span(), "email") for m in _EMAIL.finditer(text)]
    spans += [(*m.span(), "social_security") for m in _NIR.finditer(text) if _nir_key_is_valid(m)]
    spans += [(*m.span(), "phone") for m in _PHONE.finditer(text)]
    spans += [(*m.span(), "address") for m in _ADDRESS.finditer(text)]
    # A phone-like run inside a social security number is the same data, once.
    kept = [
        (start, end, kind)
        for start, end, kind in spans
        if not any(
            o_start <= start and end <= o_end and (o_start, o_end) != (start, end) for o_start, o_end, _ in spans
        )
    ]
    return [Match(kind, text[start:end].strip()) for start, end, kind in kept]


def describe(matches: list[Match]) -> str:
    """'an email address (a@b.fr) and a phone number (06 12 34 56 78)'."""
    parts = [f"{KIND_LABELS[m.kind]} ({m.text})" for m in matches]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}
