"""Nobody can fake a badge with their display name: names that imitate one, or
that contain a verified organisation's name, are refused unless the member is
verified for it."""

import pytest

from forum.exceptions import InvalidInput
from forum.permissions import display_name_refusal
from forum.presenters import author_data
from forum.services.profiles import complete_signup, update_profile
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_user


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Société Générale Exemple", domains=["sg-exemple.fr"])


@pytest.mark.parametrize(
    "name",
    [
        "Claire RH",
        "Claire [RH]",
        "Claire (rh)",
        "Claire R.H.",
        "Claire ✔",
        "Claire ✓",
        "✅ Claire",
        "Claire (vérifié)",
        "Claire Vérifiée",
        "Claire verified",
        "Recruteur chez Truc",
        "Recruteuse chez Machin",
        "RÉCRUTEUR",
        "Modérateur",
        "Modératrice du forum",
        "M0dérateur",
        "Claire DRH",
        "Claire ambassadrice",
        "Claire\u200bRH",
        "Claire R\u200bH",
        "Claire ＲＨ",  # full-width letters
        "Claire RН",  # Cyrillic "Н"
    ],
)
def test_names_that_imitate_a_badge_are_refused(student, name):
    with pytest.raises(InvalidInput) as refused:
        update_profile(user=student, display_name=name)
    assert refused.value.fields["display_name"]
    student.refresh_from_db()
    assert student.display_name == "Alice"


@pytest.mark.parametrize(
    "name",
    [
        "Claire Rhône",
        "Chris",
        "Léa, alternante en BTS MCO",
        "Administrateur systèmes en alternance",
        "Rhizome",
        "Mehdi H.",
        "Sarah 🌸",
    ],
)
def test_ordinary_names_are_accepted(student, name):
    update_profile(user=student, display_name=name)
    student.refresh_from_db()
    assert student.display_name == name


@pytest.mark.parametrize(
    "name",
    [
        "Claire Société Générale Exemple",
        "Claire societe generale exemple",
        "Claire - SOCIETE-GENERALE-EXEMPLE",
        "SociétéGénéraleExemple Claire",
    ],
)
def test_a_verified_organisation_name_is_refused_case_and_accent_insensitively(student, bank, name):
    with pytest.raises(InvalidInput) as refused:
        update_profile(user=student, display_name=name)
    assert "Société Générale Exemple" in refused.value.fields["display_name"][0]


def test_a_member_verified_for_the_organisation_may_use_its_name_and_role(student, bank, moderator):
    grant_badge(user=student, organisation=bank, moderator=moderator)
    update_profile(user=student, display_name="Claire, RH chez Société Générale Exemple")
    student.refresh_from_db()
    assert student.display_name == "Claire, RH chez Société Générale Exemple"


def test_a_badge_at_another_organisation_does_not_allow_this_one(student, bank, moderator):
    shop = make_organisation(moderator=moderator, name="Enseigne Exemple", domains=["enseigne.fr"])
    grant_badge(user=student, organisation=shop, moderator=moderator, role="ambassador")
    with pytest.raises(InvalidInput):
        update_profile(user=student, display_name="Claire Société Générale Exemple")
    with pytest.raises(InvalidInput):
        update_profile(user=student, display_name="Claire RH")  # an ambassador is not HR


def test_check_marks_and_verified_words_are_refused_even_to_verified_members(student, bank, moderator):
    grant_badge(user=student, organisation=bank, moderator=moderator)
    assert display_name_refusal(student, "Claire ✔")
    assert display_name_refusal(student, "Claire (vérifiée)")


def test_moderators_may_call_themselves_moderators(moderator):
    update_profile(user=moderator, display_name="Modo (modérateur)")

    moderator.refresh_from_db()
    assert moderator.display_name == "Modo (modérateur)"


def test_the_rule_applies_at_signup(bank):
    newcomer = make_user(username="newcomer", display_name="")
    with pytest.raises(InvalidInput) as refused:
        complete_signup(
            user=newcomer,
            display_name="Recruteur Société Générale Exemple",
            role="hr",
            school="",
            region="",
            charter_accepted=True,
        )
    assert "display_name" in refused.value.fields


def test_a_name_that_imitates_a_badge_never_gets_one(bank, moderator):
    # Even a name created before the organisation existed: badges come only
    # from verified data, never from the name.
    old_timer = make_user(username="oldtimer", display_name="Claire RH Société Générale Exemple")
    assert author_data(old_timer)["badges"] == []


def test_keeping_an_unchanged_name_does_not_block_other_edits(bank):
    old_timer = make_user(username="oldtimer", display_name="Société Générale Exemple fan")
    update_profile(user=old_timer, display_name="Société Générale Exemple fan", region="Bretagne")
    old_timer.refresh_from_db()
    assert old_timer.region == "Bretagne"
