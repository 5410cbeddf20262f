"""Asking and editing a question through the web form: what gets saved, what
bad input looks like (a message next to the field, nothing typed lost), and
who may edit."""

import pytest

from forum.models import PostRevision, Question
from tests.factories import make_question

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Mon employeur peut-il changer mon rythme d'alternance ?",
    "body": "Je suis en BTS MCO, deux jours à l'école et trois en magasin. Mon manager veut tout changer en janvier.",
    "tags": "BTS, Rythme , contrat d'apprentissage",
}


def test_asking_needs_an_account(client):
    response = client.get("/questions/poser/")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=/questions/poser/")


def test_a_member_asks_a_question_with_normalised_tags(client, student):
    client.force_login(student)

    response = client.post("/questions/poser/", VALID)

    question = Question.objects.get()
    assert response.status_code == 303
    assert response["Location"] == question.get_absolute_url()
    assert question.author == student
    assert question.title == VALID["title"]
    assert sorted(question.tags.names()) == ["bts", "contrat-apprentissage", "rythme"]
    thread = client.get(response["Location"]).content.decode()
    assert "Your question is online." in thread


def test_the_ask_page_prefills_a_tag_and_suggests_popular_ones(client, student):
    make_question(author=student, tags=("salaire", "bts"))
    client.force_login(student)

    html = client.get("/questions/poser/", {"tag": "rupture"}).content.decode()

    assert 'value="rupture"' in html
    assert 'data-add-tag="bts"' in html
    assert 'data-add-tag="salaire"' in html


def _post_invalid(client, student, **changes):
    client.force_login(student)
    response = client.post("/questions/poser/", VALID | changes)
    assert response.status_code == 400
    assert Question.objects.count() == 0
    return response.content.decode()


def test_an_empty_title_is_explained_next_to_the_title_and_the_text_is_kept(client, student):
    html = _post_invalid(client, student, title="   ")

    assert '<ul class="errorlist" id="id_title_error"><li>A title is required.</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert "Je suis en BTS MCO, deux jours à l&#x27;école" in html  # the body is still there
    assert 'value="BTS, Rythme , contrat d&#x27;apprentissage"' in html


def test_six_tags_are_refused_with_the_number_to_remove(client, student):
    html = _post_invalid(client, student, tags="bts, rythme, salaire, cfa, rupture, conges")

    assert "At most 5 tags: remove 1." in html
    assert 'id="id_tags_error"' in html


def test_a_50_kb_body_is_refused_with_its_length(client, student):
    html = _post_invalid(client, student, body="Très long message. " * 2700)

    assert "The text is too long: at most 20000 characters" in html
    assert 'id="id_body_error"' in html


def test_the_tags_typed_are_shown_as_they_will_be_saved_new_ones_marked(client, student):
    html = _post_invalid(client, student, title="")

    assert '<span class="tag tag--plain tag--new">contrat-apprentissage <span class="tag__new">(new tag)</span>' in html


def test_missing_fields_in_a_crafted_post_are_errors_not_crashes(client, student):
    client.force_login(student)

    response = client.post("/questions/poser/", {})

    assert response.status_code == 400
    html = response.content.decode()
    assert "A title is required." in html
    assert "The text is required." in html
    assert "Add at least one tag" in html


def test_html_in_a_question_is_saved_as_inert_text(client, student):
    client.force_login(student)

    client.post("/questions/poser/", VALID | {"body": "<script>alert(1)</script> Bonjour à tous, une question."})

    question = Question.objects.get()
    assert "<script>" not in question.body_html
    assert "&lt;script&gt;" in question.body_html


def test_the_author_edits_a_question_and_the_previous_version_is_kept(client, student):
    question = make_question(author=student, title="Ancien titre de la question", tags=("bts",))
    client.force_login(student)

    page = client.get(f"/questions/{question.pk}/modifier/")
    assert page.status_code == 200
    assert 'value="Ancien titre de la question"' in page.content.decode()

    response = client.post(f"/questions/{question.pk}/modifier/", VALID)

    assert response.status_code == 303
    question.refresh_from_db()
    assert question.title == VALID["title"]
    assert question.edited_at is not None
    assert PostRevision.objects.get(question=question).title == "Ancien titre de la question"


def test_an_invalid_edit_keeps_the_question_unchanged(client, student):
    question = make_question(author=student, title="Titre d'origine de la question")
    client.force_login(student)

    response = client.post(f"/questions/{question.pk}/modifier/", VALID | {"title": "court"})

    assert response.status_code == 400
    assert "The title is too short" in response.content.decode()
    question.refresh_from_db()
    assert question.title == "Titre d'origine de la question"


def test_another_member_cannot_edit_a_question(client, student, other_student):
    question = make_question(author=student, title="Titre d'origine de la question")
    client.force_login(other_student)

    page = client.get(f"/questions/{question.pk}/modifier/")
    post = client.post(f"/questions/{question.pk}/modifier/", VALID)

    assert page.status_code == 403
    assert "Only the author can edit this post." in page.content.decode()
    assert post.status_code == 403
    question.refresh_from_db()
    assert question.title == "Titre d'origine de la question"
