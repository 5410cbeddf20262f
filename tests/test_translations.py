"""The French catalogue is complete, compiled, and covers every string in the code."""

import ast
import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
FRENCH_PO = ROOT / "locale/fr/LC_MESSAGES/django.po"
FRENCH_MO = ROOT / "locale/fr/LC_MESSAGES/django.mo"


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), flags."""
    entries, entry, key = [], None, None

    def close():
        if entry and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        if not line.strip():
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr["):
                key = ("msgstr", int(keyword[7:-1]))
                entry["msgstr"][key[1]] = value
            elif keyword == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                key = keyword
                entry[key] = value
    close()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(FRENCH_PO)
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    with FRENCH_MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in read_po(FRENCH_PO):
        if "msgid_plural" in entry:
            got = (
                catalogue.npgettext(entry["msgctxt"], entry["msgid"], entry["msgid_plural"], 1)
                if "msgctxt" in entry
                else catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            )
        elif "msgctxt" in entry:
            got = catalogue.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            got = catalogue.gettext(entry["msgid"])
        if got != entry["msgstr"][0]:
            stale.append(entry["msgid"])
    assert stale == [], "run: manage.py compilemessages"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    # makemessages writes into a `locale` folder under the current directory
    # whatever LOCALE_PATHS says, so it runs on a copy of the code.
    for folder in ("config", "forum", "api", "frontend", "locale"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
            call_command("makemessages", locale=["fr"], verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = {(e.get("msgctxt"), e["msgid"]) for e in read_po(tmp_path / "locale/fr/LC_MESSAGES/django.po")}
    committed = {(e.get("msgctxt"), e["msgid"]) for e in read_po(FRENCH_PO)}
    assert sorted(fresh - committed, key=str) == [], "run: manage.py makemessages -l fr, translate, compilemessages"


@pytest.mark.django_db
def test_pages_speak_french_by_default_and_english_on_request(client):
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fr"' in french
    assert "Poser une question" in french
    assert 'lang="en"' in english
    assert "Ask a question" in english
