"""What a name looks like, as opposed to which code points it is made of.

Impersonation on a forum is visual: `dеmo-hr` with a Cyrillic "е", `ᴍᴏᴅᴇʀᴀᴛᴏʀ`
in small capitals, `ꓣꓧ` in Lisu or `ᎡᎻ` in Cherokee all read as a Latin name.
This module turns text into a comparison key that is the same for strings a
reader cannot tell apart, following Unicode's UTS #39 (security mechanisms):

    key(s) = strip_accents(casefold(skeleton(casefold(prototypes_of_non_ascii(fold(s))))))

- NFKC folds compatibility forms (full-width `ＲＨ`, mathematical `𝐑𝐇`, ligatures);
- `fold` turns invisible format characters (zero-width spaces, joiners,
  bidirectional marks) into spaces and maps Latin small capitals (`ᴍ`, `ʀ`, `ᴛ`), which
  neither NFKC nor the confusables data bring back to their letter;
- `skeleton` is UTS #39's: NFD, then every character replaced by its prototype
  from Unicode's confusables.txt (as shipped by the `confusable-homoglyphs`
  package), then NFD again. Non-ASCII characters are mapped before case
  folding because confusables are case-sensitive (Greek capital `Μ` is Latin
  `M`, its small form `μ` is not `m`), ASCII ones after (so that `I`, which
  looks like `l`, still folds to `i` first);
- accents are stripped last: "Modération" and "Moderation" are the same name
  to a reader skimming a thread.

The data ships as a symmetric graph (each pair is listed both ways). UTS #39's
mapping is a set of stars, each source pointing at one prototype that is never
itself a source, so the prototype is the neighbour a source has alone, or the
centre of a star with several sources; the few pairs that are isolated are
ambiguous and both sides map to the smaller code point. Keys are compared only
with other keys, so any consistent representative is correct.
"""

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import categories, confusables

# Scripts that appear together in ordinary writing (UTS #39 "highly
# restrictive" profile): Japanese, Chinese and Korean mix Han with their own
# scripts, and all may mix with Latin. Common (digits, punctuation) and
# Inherited (combining accents) go with anything.
_NEUTRAL_SCRIPTS = {"COMMON", "INHERITED"}
_ALLOWED_SCRIPT_SETS = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)

# Symbols that read as a verification badge next to a name. Matched on the
# Unicode name so that every variant (heavy, ballot box with, emoji) is caught,
# and through the confusables data for their look-alikes.
_BADGE_SYMBOL_WORDS = ("CHECK MARK", "BALLOT BOX WITH", "SQUARE ROOT", "CUBE ROOT", "FOURTH ROOT", "SHIELD")


def _strip_bidi(text: str) -> str:
    # The package wraps right-to-left characters in LEFT-TO-RIGHT MARKs for display.
    return text.replace("\u200e", "").replace("\u200f", "")


@cache
def _prototypes() -> dict[str, str]:
    graph = {
        _strip_bidi(source): [_strip_bidi(entry["c"]) for entry in entries]
        for source, entries in confusables.confusables_data.items()
    }
    mapping: dict[str, str] = {}
    for char, neighbours in graph.items():
        if len(char) != 1 or len(neighbours) != 1:
            continue  # a prototype (several sources point at it) maps to itself
        target = neighbours[0]
        if len(target) != 1 or len(graph.get(target, ())) > 1:
            mapping[char] = target
        elif target != char:
            mapping[char] = min(char, target)
    return mapping


def _small_capital(char: str) -> str:
    name = unicodedata.name(char, "")
    match = re.fullmatch(r"LATIN LETTER SMALL CAPITAL ([A-Z])", name)
    return match[1].lower() if match else char


def fold(text: str) -> str:
    """NFKC, without invisible characters, small capitals as plain letters."""
    text = unicodedata.normalize("NFKC", text)
    # An invisible character reads as nothing, but may hide a word boundary
    # ("Claire\u200bRH"): it becomes a space, which compact keys drop anyway.
    return "".join(" " if unicodedata.category(ch) == "Cf" else _small_capital(ch) for ch in text)


def skeleton(text: str) -> str:
    """UTS #39 skeleton of `text` (no folding: see `key`)."""
    mapping = _prototypes()
    text = unicodedata.normalize("NFD", text)
    # The data is meant to be idempotent; a couple of rounds make sure a
    # multi-character prototype is itself in its final form.
    for _ in range(3):
        mapped = unicodedata.normalize("NFD", "".join(mapping.get(ch, ch) for ch in text))
        if mapped == text:
            break
        text = mapped
    return text


def key(text: str) -> str:
    """The comparison key: equal for strings a reader cannot tell apart."""
    mapping = _prototypes()
    # Non-ASCII look-alikes first, in their own case (Greek capital "Μ" is
    # "M", small "μ" is not "m"); then case is folded before ASCII's own
    # confusables, so that "SOCIETE" and "societe" agree ("I" looks like "l").
    text = unicodedata.normalize("NFD", fold(text))
    text = "".join(ch if ch.isascii() else mapping.get(ch, ch) for ch in text)
    text = skeleton(text.casefold()).casefold()
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def compact_key(text: str) -> str:
    """`key` without separators: "RH.Banque_Horizon" == "rh-banque-horizon"."""
    return "".join(re.findall(r"[^\W_]+", key(text)))


def scripts(text: str) -> set[str]:
    return set(categories.unique_aliases(fold(text))) - _NEUTRAL_SCRIPTS


def is_mixed_script(text: str) -> bool:
    """Whether `text` mixes writing systems in a way ordinary names do not
    (Latin with Cyrillic, Greek, Cherokee, Lisu…)."""
    found = scripts(text)
    return len(found) > 1 and not any(found <= allowed for allowed in _ALLOWED_SCRIPT_SETS)


def mixed_script_words(text: str) -> list[str]:
    """The words of a free text that mix scripts (for bios: a Cyrillic
    sentence is fine, a Latin word with one Cyrillic letter is not)."""
    return [word for word in re.findall(r"[^\W_]+", text) if is_mixed_script(word)]


@cache
def _is_badge_symbol(char: str) -> bool:
    names = [unicodedata.name(char, "")]
    prototype = _prototypes().get(char)
    if prototype and len(prototype) == 1:
        names.append(unicodedata.name(prototype, ""))
    return any(word in name for name in names for word in _BADGE_SYMBOL_WORDS)


def badge_symbols(text: str) -> list[str]:
    return [ch for ch in unicodedata.normalize("NFKC", text) if _is_badge_symbol(ch)]
