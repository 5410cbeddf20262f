"""The personal-data guard reads what readers see. Generated variants of a
few emails and phone numbers (escapes, entities, markup between digits,
separators, full-width digits, invisible characters, +33 forms) must all be
caught; ordinary alternance text (dates, school years, salaries, SIRET,
postcodes) must not be, since false positives hold students' posts."""

import pytest

from forum.exceptions import InvalidInput, PersonalDataWarning
from forum.services import profiles
from forum.services.personal_data import find_personal_data
from forum.validation import clean_tags
from tests.factories import make_question

EMAILS = ["jean.dupont@gmail.com", "lea-martin@orange.fr", "rh.recrutement@banque-exemple.fr"]
PHONES = ["0612345678", "0142685300", "0756781234"]  # mobile, Paris landline, mobile 07


def email_variants(address: str) -> list[str]:
    local, domain = address.split("@")
    return [
        address,
        f"{local}\\@{domain}",  # Markdown escape
        f"{local}&#64;{domain}",  # decimal entity
        f"{local}&#x40;{domain}",  # hex entity
        f"{local}&commat;{domain}",  # named entity
        f"{local}＠{domain}",  # full-width at sign
        f"{local}\u200b@{domain}",  # zero-width space
        f"[écris-moi](mailto:{local}%40{domain})",  # only in the link target
        f"`{address}`",
    ]


def phone_variants(digits: str) -> list[str]:
    pairs = [digits[i : i + 2] for i in range(0, 10, 2)]
    national = digits[1:]
    out = [digits]
    for sep in [" ", ".", "-", "/", "\u00a0", " / ", "_", "\u202f"]:
        out.append(sep.join(pairs))
    out += [
        "&#32;".join(pairs),  # entity spaces
        " ".join(f"&#{ord(c)};" for c in digits),  # every digit an entity
        f"{pairs[0]} **{pairs[1]}** {pairs[2]} *{pairs[3]}* {pairs[4]}",  # markup between digits
        " ".join(pairs).translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width
        "\u200b".join(digits),  # zero-width between digits
        "\u2060".join(pairs),  # word joiner
        f"+33 {national[0]} {' '.join(national[i : i + 2] for i in range(1, 9, 2))}",
        f"+33 (0){national}",
        f"0033{national}",
        f"+33{national}",
        f"+33.{national[0]}.{'.'.join(national[i : i + 2] for i in range(1, 9, 2))}",
        f"appelle-moi au {' '.join(pairs)} après 18h",
    ]
    return out


CAUGHT = [(kind, v) for e in EMAILS for kind, v in [("email", x) for x in email_variants(e)]] + [
    ("phone", v) for p in PHONES for v in phone_variants(p)
]


def test_the_generator_covers_the_review_s_examples():
    texts = {text for _, text in CAUGHT}
    assert "jean.dupont\\@gmail.com" in texts
    assert "06&#32;12&#32;34&#32;56&#32;78" in texts
    assert "06 **12** 34 *56* 78" in texts
    assert "06/12/34/56/78" in texts
    assert len(CAUGHT) > 80


@pytest.mark.parametrize(("kind", "text"), CAUGHT)
def test_it_finds_contact_details_in_every_disguise(kind, text):
    found = find_personal_data(f"Bonjour, {text} merci !")
    assert kind in {match.kind for match in found}, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "La rentrée est le 01/09/2026 et la fin le 31/08/2028.",
        "Je suis en BTS 2025-2027, promo 2024/2025.",
        "Le salaire est de 1 200 € brut, puis 1 450,50 € en deuxième année.",
        "SIRET 362 521 879 00034, code NAF 6201Z, RNCP 35190.",
        "L'école est à 75011 Paris, le CFA à 69003 Lyon.",
        "Rythme 3 jours / 2 jours, 35 h par semaine, 12 semaines de cours.",
        "Entre 2020 et 2024 j'ai fait 3 stages de 2 mois.",
        "Article L6222-27 du Code du travail, décret 2018-1347.",
        "Réponse n° 12345 : voir la page 145.",
        "Score TOEIC 785/990, moyenne 14,5/20.",
    ],
)
def test_ordinary_alternance_text_is_not_flagged(text):
    assert find_personal_data(text) == []


def test_a_question_with_an_entity_hidden_phone_number_is_stopped(db, student):
    with pytest.raises(PersonalDataWarning):
        make_question(author=student, body="Mon numéro : 06&#32;12&#32;34&#32;56&#32;78, appelez-moi après 18h.")


@pytest.mark.parametrize("field", ["school", "region", "bio", "display_name"])
def test_profile_fields_refuse_contact_details(db, student, field):
    with pytest.raises(InvalidInput) as refused:
        profiles.update_profile(user=student, **{field: "Léa ０６ １２ ３４ ５６ ７８"})
    assert field in refused.value.fields


@pytest.mark.parametrize("tag", ["06-12-34-56-78", "0612345678", "+33612345678", "jean.dupont@gmail.com"])
def test_a_tag_cannot_be_a_phone_number_or_an_email(tag):
    errors: dict = {}
    clean_tags(["bts", tag], errors)
    assert "tags" in errors


def test_ordinary_tags_pass():
    errors: dict = {}
    assert clean_tags(["bts-2025-2027", "rncp-35190", "contrat d'apprentissage"], errors)
    assert errors == {}


def test_what_is_reported_is_what_readers_see():
    (match,) = find_personal_data("écrivez à jean.dupont&#64;gmail.com")
    assert match.text == "jean.dupont@gmail.com"
    # Written as code, the entity is shown as typed: no address to read.
    assert find_personal_data("`jean.dupont&#64;gmail.com`") == []
