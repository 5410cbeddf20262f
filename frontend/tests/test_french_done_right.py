"""French done right (issue 19): counts agree with their number, dates use
the site's named formats, decisions taken read as participles."""

import re
from pathlib import Path

import pytest
from django.utils import timezone

from forum.models import ReviewItem
from forum.services.moderation import decide
from tests.factories import make_answer, make_question, make_user

TEMPLATES = Path(__file__).resolve().parents[2]
# Singular counts followed by a plural noun or participle, in French and English.
WRONG_PLURAL = re.compile(
    r"(?<![\d.,])1\s+(?:<[^>]+>\s*)*(questions|réponses|answers|views|vues|votes|membres|members|tags|nouvelles)\b"
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_of_anything_is_never_followed_by_a_plural(client, student, other_student, language):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    single = make_question(author=student, tags=("rupture-contrat",))
    make_answer(author=other_student, question=single)
    pages = ["/", "/tags/", single.get_absolute_url(), f"/membres/{student.username}/", "/tags/rupture-contrat/"]
    for url in pages:
        text = _text(client.get(url).content.decode())
        assert not WRONG_PLURAL.search(text), (url, WRONG_PLURAL.search(text))

    # Two of each: the plural forms are used.
    second = make_question(author=other_student, tags=("rupture-contrat",))
    make_answer(author=student, question=single)
    make_answer(author=student, question=second)
    text = _text(client.get("/tags/").content.decode())
    assert "2 questions" in text
    assert not WRONG_PLURAL.search(text)


def test_templates_format_dates_only_with_the_sites_named_formats():
    """No ad-hoc `|date:"j M Y"` (it gave "2 déc. 2026" here, "2 décembre 2026" there):
    the named formats follow the language; "c" is the machine-readable one."""
    allowed = {
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "YEAR_MONTH_FORMAT",
        "MONTH_DAY_FORMAT",
        "c",
    }
    used = set()
    for path in list(TEMPLATES.glob("frontend/templates/**/*.html")) + list(TEMPLATES.glob("forum/templates/**/*.txt")):
        for match in re.finditer(r"\|date(?::[\"']([^\"']*)[\"'])?", path.read_text(encoding="utf-8")):
            used.add((path.name, match.group(1)))
    wrong = {(name, fmt) for name, fmt in used if fmt not in allowed}
    assert not wrong


def test_a_decision_taken_reads_as_a_participle_not_a_verb(french_client, moderator):
    newcomer = make_user(username="nina", date_joined=timezone.now())
    question = make_question(author=newcomer)
    item = ReviewItem.objects.get(question=question)
    decide(moderator=moderator, item=item, decision=ReviewItem.Decision.APPROVE)
    french_client.force_login(moderator)
    html = french_client.get(f"/moderation/membres/{newcomer.username}/").content.decode()
    assert "Approuvé (@modo)" in html
    assert "Approuver (@modo)" not in html
