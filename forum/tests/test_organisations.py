"""Organisations and their email domains are managed by moderators; a question
can be addressed to organisations."""

import pytest

from forum.exceptions import Conflict, InvalidInput, NotAllowed, NotFound
from forum.models import AuditLog, Organisation
from forum.services import organisations as organisation_services
from forum.services.organisations import domain_matches, normalise_domain
from forum.services.questions import ask_question
from tests.badge_factories import make_organisation
from tests.factories import make_question


def test_moderators_create_an_organisation_with_its_domains(moderator):
    cfa = organisation_services.create_organisation(
        actor=moderator,
        name="CFA des Métiers Exemple",
        kind="school",
        website="https://cfa-exemple.fr",
        description="Centre de formation d'apprentis.",
        domains=["@CFA-Exemple.fr", "campus.cfa-exemple.fr"],
    )
    assert cfa.slug == "cfa-des-metiers-exemple"
    assert sorted(cfa.domains.values_list("domain", flat=True)) == ["campus.cfa-exemple.fr", "cfa-exemple.fr"]
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "organisation.created",
        "organisation.domain_added",
        "organisation.domain_added",
    ]


def test_members_cannot_create_or_edit_organisations(student, moderator):
    with pytest.raises(NotAllowed):
        organisation_services.create_organisation(actor=student, name="Fausse Banque", domains=["fausse.fr"])
    bank = make_organisation(moderator=moderator)
    with pytest.raises(NotAllowed):
        organisation_services.update_organisation(actor=student, organisation=bank, name="Pirate")
    with pytest.raises(NotAllowed):
        organisation_services.add_domain(actor=student, organisation=bank, domain="pirate.fr")
    with pytest.raises(NotAllowed):
        organisation_services.remove_domain(actor=student, organisation=bank, domain="banque-exemple.fr")


@pytest.mark.parametrize("domain", ["gmail.com", "hotmail.fr", "orange.fr", "laposte.net"])
def test_public_email_services_cannot_prove_membership(moderator, domain):
    bank = make_organisation(moderator=moderator)
    with pytest.raises(InvalidInput):
        organisation_services.add_domain(actor=moderator, organisation=bank, domain=domain)


@pytest.mark.parametrize("domain", ["", "localhost", "exa mple.fr", "-bad.fr", "1.2.3.4", "a" * 300 + ".fr", None, 7])
def test_malformed_domains_are_refused(moderator, domain):
    bank = make_organisation(moderator=moderator)
    with pytest.raises(InvalidInput):
        organisation_services.add_domain(actor=moderator, organisation=bank, domain=domain)


def test_a_domain_belongs_to_one_organisation(moderator):
    make_organisation(moderator=moderator, name="Banque A", domains=["groupe.fr"])
    other = make_organisation(moderator=moderator, name="Banque B", domains=["banque-b.fr"])
    with pytest.raises(Conflict):
        organisation_services.add_domain(actor=moderator, organisation=other, domain="GROUPE.fr")


def test_removing_a_domain_is_audited(moderator):
    bank = make_organisation(moderator=moderator)
    organisation_services.remove_domain(actor=moderator, organisation=bank, domain="banque-exemple.fr")
    assert not bank.domains.exists()
    assert AuditLog.objects.filter(action="organisation.domain_removed", before={"domain": "banque-exemple.fr"})
    with pytest.raises(NotFound):
        organisation_services.remove_domain(actor=moderator, organisation=bank, domain="banque-exemple.fr")


def test_editing_records_before_and_after_and_keeps_the_slug(moderator):
    bank = make_organisation(moderator=moderator)
    updated = organisation_services.update_organisation(
        actor=moderator, organisation=bank, name="Banque Exemple SA", auto_approve_ambassadors=True
    )
    assert updated.slug == "banque-exemple"
    entry = AuditLog.objects.get(action="organisation.updated")
    assert entry.before["name"] == "Banque Exemple"
    assert entry.after["name"] == "Banque Exemple SA"
    assert entry.after["auto_approve_ambassadors"] is True


def test_bad_organisation_input_gives_field_errors(moderator):
    with pytest.raises(InvalidInput) as refused:
        organisation_services.create_organisation(
            actor=moderator, name="", kind="bank", website="javascript:alert(1)", description="x" * 400
        )
    assert set(refused.value.fields) == {"name", "kind", "website", "description"}
    make_organisation(moderator=moderator, name="Banque Exemple")
    with pytest.raises(Conflict):
        organisation_services.create_organisation(actor=moderator, name="banque exemple")


@pytest.mark.parametrize(
    ("address_domain", "organisation_domain", "matches"),
    [
        ("groupe.fr", "groupe.fr", True),
        ("rh.groupe.fr", "groupe.fr", True),
        ("a.b.groupe.fr", "groupe.fr", True),
        ("evilgroupe.fr", "groupe.fr", False),
        ("groupe.fr.evil.com", "groupe.fr", False),
        ("groupe.com", "groupe.fr", False),
    ],
)
def test_domain_matching_is_exact_or_subdomain(address_domain, organisation_domain, matches):
    assert domain_matches(address_domain, organisation_domain) is matches


def test_internationalised_domains_are_normalised():
    assert normalise_domain("Société.FR") == "xn--socit-esab.fr"


def test_a_question_can_be_addressed_to_organisations(student, moderator):
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque.fr"])
    shop = make_organisation(moderator=moderator, name="Enseigne Exemple", domains=["enseigne.fr"])
    question = ask_question(
        author=student,
        title="Comment se passe l'alternance chez vous ?",
        body="Je vise un BTS banque en alternance, comment se passe l'intégration ?",
        tags=["bts"],
        addressed_to=["banque-exemple", bank, "enseigne-exemple"],
    )
    assert list(question.addressed_to.order_by("name")) == [bank, shop]


def test_addressing_refuses_unknown_or_too_many_organisations(student, moderator):
    for n in range(4):
        make_organisation(moderator=moderator, name=f"Entreprise {n}", domains=[f"e{n}.fr"])
    base = {
        "author": student,
        "title": "Une question pour plusieurs entreprises",
        "body": "Est-ce que vous prenez des alternants en BTS cette année ?",
        "tags": ["bts"],
    }
    with pytest.raises(InvalidInput) as refused:
        ask_question(**base, addressed_to=["inconnue"])
    assert "addressed_to" in refused.value.fields
    with pytest.raises(InvalidInput):
        ask_question(**base, addressed_to=[o.slug for o in Organisation.objects.all()])
    with pytest.raises(InvalidInput):
        ask_question(**base, addressed_to={"slug": "entreprise-0"})


def test_a_question_without_addressees_is_unchanged(student):
    question = make_question(author=student)
    assert not question.addressed_to.exists()


def test_nul_bytes_never_reach_the_database(student, moderator):
    bank = make_organisation(moderator=moderator)
    with pytest.raises(InvalidInput):
        ask_question(
            author=student,
            title="Une question pour une banque inconnue",
            body="Est-ce que cette banque recrute des alternants cette année ?",
            tags=["bts"],
            addressed_to=["banque\x00exemple"],
        )
    updated = organisation_services.update_organisation(
        actor=moderator, organisation=bank, description="Banque\x00 de détail"
    )
    assert updated.description == "Banque de détail"
