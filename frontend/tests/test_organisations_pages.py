"""Organisation pages: the public directory and page (verified members and
their recent answers), the moderators' tools, asking an organisation, and the
"verified HR" filter of question lists."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import AuditLog, Organisation, Question, UserRole
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def client():
    """Messages are asserted in English; French is the default language."""
    return Client(headers={"accept-language": "en"})


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def test_the_organisation_page_lists_verified_members_and_their_answers(client, bank, moderator, question):
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    grant_badge(user=claire, organisation=bank, moderator=moderator)
    make_answer(author=claire, question=question, body="Chez nous, l'entretien dure une heure avec deux personnes.")

    page = client.get(bank.get_absolute_url()).content.decode()

    assert "Claire" in page
    assert question.title.replace("'", "&#x27;") in page
    assert "@banque-exemple.fr" in page  # which address proves membership
    assert reverse("frontend:verification_request", args=["banque-exemple"]) in page
    assert reverse("frontend:organisation_manage", args=["banque-exemple"]) not in page


def test_the_organisation_page_runs_a_constant_number_of_queries(client, bank, moderator, question):
    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(bank.get_absolute_url()).status_code == 200
        return len(captured)

    member = make_user()
    grant_badge(user=member, organisation=bank, moderator=moderator)
    make_answer(author=member, question=question)
    one = queries_for_page()
    for _ in range(4):
        member = make_user()
        grant_badge(user=member, organisation=bank, moderator=moderator)
        make_answer(author=member, question=question)
    assert queries_for_page() == one


def test_unknown_organisations_are_404(client, db):
    assert client.get("/organisations/nope/").status_code == 404
    assert client.get("/organisations/nope/badge/").status_code in (302, 404)


def test_the_directory_counts_verified_members(client, bank, moderator):
    grant_badge(user=make_user(), organisation=bank, moderator=moderator)
    page = client.get(reverse("frontend:organisations")).content.decode()
    assert "Banque Exemple" in page
    assert "1 verified member" in page


def test_moderators_create_an_organisation_and_manage_its_domains(moderator):
    web = client_for(moderator)
    created = web.post(
        reverse("frontend:organisation_create"),
        {"name": "CFA Exemple", "kind": "school", "domains": "cfa-exemple.fr, campus-exemple.fr"},
    )
    assert created.status_code == 303
    cfa = Organisation.objects.get(slug="cfa-exemple")
    assert sorted(cfa.domains.values_list("domain", flat=True)) == ["campus-exemple.fr", "cfa-exemple.fr"]

    refused = web.post(reverse("frontend:organisation_domain_add", args=["cfa-exemple"]), {"domain": "gmail.com"})
    assert refused.status_code == 400
    assert "gmail.com" in refused.content.decode()
    web.post(reverse("frontend:organisation_domain_remove", args=["cfa-exemple"]), {"domain": "campus-exemple.fr"})
    assert list(cfa.domains.values_list("domain", flat=True)) == ["cfa-exemple.fr"]
    edited = web.post(
        reverse("frontend:organisation_manage", args=["cfa-exemple"]),
        {"name": "CFA Exemple Paris", "kind": "school", "auto_approve_ambassadors": "on"},
    )
    assert edited.status_code == 303
    cfa.refresh_from_db()
    assert (cfa.name, cfa.auto_approve_ambassadors) == ("CFA Exemple Paris", True)
    assert AuditLog.objects.filter(action="organisation.updated").exists()


def test_members_cannot_reach_the_moderators_tools(student, bank):
    web = client_for(student)
    assert web.get(reverse("frontend:organisation_create")).status_code == 403
    assert web.get(reverse("frontend:organisation_manage", args=["banque-exemple"])).status_code == 403
    web.post(reverse("frontend:organisation_domain_add", args=["banque-exemple"]), {"domain": "pirate.fr"})
    assert list(bank.domains.values_list("domain", flat=True)) == ["banque-exemple.fr"]


def test_a_question_asked_to_an_organisation_says_so_on_the_thread(student, bank):
    web = client_for(student)
    form = web.get(reverse("frontend:ask") + "?a=banque-exemple").content.decode()
    assert 'value="banque-exemple"' in form
    response = web.post(
        reverse("frontend:ask"),
        {
            "title": "Vos agences prennent-elles des alternants ?",
            "body": "Je cherche un BTS banque en alternance en Île-de-France, comment postuler ?",
            "tags": "bts",
            "addressed_to": ["banque-exemple"],
        },
    )
    assert response.status_code == 303
    question = Question.objects.get()
    assert list(question.addressed_to.all()) == [bank]
    page = Client(headers={"accept-language": "en"}).get(question.get_absolute_url()).content.decode()
    assert "Question addressed to" in page
    assert bank.get_absolute_url() in page


def test_the_home_page_filters_questions_answered_by_verified_hr(client, student, other_student, bank, moderator):
    claire = make_user(username="claire", display_name="Claire", role=UserRole.HR)
    grant_badge(user=claire, organisation=bank, moderator=moderator)
    answered = make_question(author=student, title="Une question à laquelle une RH a répondu")
    make_answer(author=claire, question=answered)
    other = make_question(author=student, title="Une question avec seulement des pairs")
    make_answer(author=other_student, question=other)

    page = client.get("/?filter=verified").content.decode()

    assert answered.title.replace("'", "&#x27;") in page
    assert other.title not in page
