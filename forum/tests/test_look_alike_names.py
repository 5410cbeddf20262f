"""Impersonation through names, attacked with generated variants rather than
the one example of the security review: every look-alike letter Unicode's
confusables data knows for each letter of a role word or a staff name, in
every script, plus small capitals, full-width and mathematical forms,
invisible characters, accents, case and leetspeak. Through the front doors:
the web sign-up form, the web profile form and the API's `me`."""

import itertools
import random

import pytest
from confusable_homoglyphs import confusables as data

from forum import confusables
from forum.exceptions import InvalidInput
from forum.models import User
from forum.permissions import name_refusal
from forum.services import profiles
from tests.badge_factories import grant_badge, make_organisation

pytestmark = pytest.mark.django_db

_rng = random.Random(39)  # fixed: a failure names a reproducible variant


def look_alikes(letter: str) -> list[str]:
    """Every single character the confusables data maps onto `letter`."""
    sources = [entry["c"].strip("\u200e\u200f") for entry in data.confusables_data.get(letter, [])]
    return [ch for ch in sources if len(ch) == 1 and confusables.key(ch) == confusables.key(letter)]


def variants(word: str, count: int = 12) -> list[str]:
    """`count` disguises of `word`, each changing one to three letters."""
    out = []
    positions = [i for i, ch in enumerate(word) if look_alikes(ch)]
    for _ in range(count):
        chars = list(word)
        for i in _rng.sample(positions, min(len(positions), _rng.randint(1, 3))):
            chars[i] = _rng.choice(look_alikes(word[i]))
        out.append("".join(chars))
    small_caps = {ch: chr(cp) for cp in range(0x1D00, 0x1D2C) for ch in [confusables.fold(chr(cp))] if len(ch) == 1}
    out += [
        "".join(small_caps.get(ch, ch) for ch in word),  # ᴍᴏᴅᴇʀᴀᴛᴇᴜʀ
        "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in word),  # full-width
        "\u200b".join(word),  # zero-width spaces between letters
        word.upper(),
        ".".join(word.upper()),  # R.H.
        word.replace("e", "é").replace("o", "0").replace("a", "4"),
    ]
    return out


ROLE_WORDS = ["moderateur", "moderator", "rh", "recruteuse", "ambassadrice", "verifie", "officiel"]
GENERATED = sorted({f"Léa {variant}" for word in ROLE_WORDS for variant in variants(word)})


def test_the_generator_produces_letters_from_many_scripts():
    scripts = set().union(*(confusables.scripts(v) for v in GENERATED))
    assert {"LATIN", "CYRILLIC", "GREEK"} <= scripts
    assert len(GENERATED) > 100


@pytest.mark.parametrize("name", GENERATED)
def test_it_refuses_role_and_badge_words_in_any_disguise_as_a_display_name(name):
    assert name_refusal(None, name, field="display_name"), name


@pytest.mark.parametrize(
    "name",
    [
        "RH-Banque-Horizon",
        "Moderation-Officielle",
        "dеmo-hr",  # Cyrillic е
        "ꓣꓧ-lea",  # Lisu
        "ᎡᎻ-lea",  # Cherokee
        "ΜΟDΕRΑΤΟR",  # Greek capitals among Latin
        "Léa √",
        "Léa ✔",
        "Ressources Humaines",
    ],
)
def test_it_refuses_the_names_of_the_security_review(name):
    field = "username" if " " not in name else "display_name"
    assert name_refusal(None, name, field=field), name


@pytest.mark.parametrize(
    "name",
    [
        "Léa",
        "Jean-Baptiste Lefèvre",
        "Zoé (compte démo)",
        "Дмитрий",  # one script, not mixed
        "山田太郎",
        "やまだ たろう",
        "Chloé_2026",
        "Noémie O'Connor",
        "Administrateur réseaux",
    ],
)
def test_ordinary_names_pass(name):
    assert name_refusal(None, name, field="display_name") is None


@pytest.mark.parametrize("school", ["Licence pro RH", "Master Recrutement et RH", "BTS MCO", "IUT de Lyon"])
def test_a_school_may_say_hr(school):
    assert name_refusal(None, school, field="school") is None


@pytest.mark.parametrize("bio", ["J'ai parlé avec la RH, elle était sympa.", "Я учусь в Лионе."])
def test_a_bio_is_free_text_but_not_a_disguise(bio):
    assert name_refusal(None, bio, field="bio") is None
    assert name_refusal(None, bio + " Contactez mоi", field="bio")  # Cyrillic о inside a Latin word


def test_two_accounts_cannot_have_usernames_that_look_the_same(db):
    User.objects.create_user(username="demo-hr", email="a@example.org")
    taken = ["dеmo-hr", "DEMO_HR", "demo.hr", "démo-hr", "dem0-hr", "ｄｅｍｏ－ｈｒ", "demo\u200b-hr"]
    for username in taken:
        assert User.objects.filter(username_key=confusables.compact_key(username)).exists(), username
    # The database says so too, whatever path creates the account.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="DEMO.HR", email="b@example.org")


@pytest.mark.parametrize("username", ["dеmo-hr", "RH-Banque-Horizon", "Moderation-Officielle", "modo\u200bteam"])
def test_the_sign_up_form_refuses_look_alike_usernames(client, db, username):
    User.objects.create_user(username="demo-hr", email="a@example.org")
    response = client.post(
        "/comptes/signup/",
        {
            "email": "new@example.org",
            "username": username,
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "role": "student",
            "charter": "on",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert 'id="id_username_error"' in response.content.decode() or "username" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_profile_form_and_the_api_refuse_generated_disguises(client, student):
    client.force_login(student)
    for name in itertools.islice(GENERATED, 0, None, 25):
        web = client.post(
            "/mon-profil/", {"display_name": name, "role": "student", "school": "", "region": "", "bio": ""}
        )
        assert web.status_code == 400, name
        api = client.patch("/api/v1/me/", {"display_name": name}, content_type="application/json")
        assert api.status_code == 400, name
        assert "display_name" in api.json()["error"]["fields"]
    student.refresh_from_db()
    assert student.display_name == "Alice"


def test_a_display_name_may_not_look_like_a_moderators(moderator, student):
    with pytest.raises(InvalidInput):
        profiles.update_profile(user=student, display_name="M0d0")
    assert name_refusal(moderator, "Modo", field="display_name") is None


def test_an_organisation_name_that_looks_like_another_is_refused(moderator):
    from forum.exceptions import Conflict
    from forum.services import organisations

    make_organisation(moderator=moderator, name="Banque Horizon")
    for name in ["Bаnque Horizon", "BANQUE-HORIZON", "banque_horizon", "Banque Ｈorizon"]:
        with pytest.raises((Conflict, InvalidInput)):
            organisations.create_organisation(actor=moderator, name=name)


def test_a_name_allowed_with_a_badge_is_reset_when_the_badge_is_revoked(moderator, student):
    from forum.models import AuditLog
    from forum.services import verification

    bank = make_organisation(moderator=moderator, name="Banque Horizon")
    badge = grant_badge(user=student, organisation=bank, moderator=moderator)
    profiles.update_profile(user=student, display_name="Alice, RH Banque Horizon")

    verification.revoke_badge(moderator=moderator, badge=badge, reason="Left the company.")

    student.refresh_from_db()
    assert student.display_name == ""
    assert student.public_name == "alice"
    entry = AuditLog.objects.get(action="profile.names_reset")
    assert entry.before == {"display_name": "Alice, RH Banque Horizon"}
