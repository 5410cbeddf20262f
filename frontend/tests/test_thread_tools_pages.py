import pytest
from django.urls import NoReverseMatch, resolve, reverse

from forum.models import Visibility
from tests.factories import make_question, make_user


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_a_moderator_hides_and_restores_an_answer_from_the_thread_page(mod_client, answer):
    back = answer.question.get_absolute_url()
    response = mod_client.post(f"/moderation/reponses/{answer.pk}/hide/", {"clause": "respect", "note": "Ton."})
    assert response.status_code == 303
    assert response["Location"] == back
    answer.refresh_from_db()
    assert answer.visibility == Visibility.HIDDEN
    assert answer.moderation_note == "Ton."

    page = mod_client.post(f"/moderation/reponses/{answer.pk}/restore/", {"note": "Relu."}, follow=True)
    assert "Answer published again." in page.text
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED


def test_moving_an_answer_leads_to_the_thread_it_moved_to(mod_client, answer):
    target = make_question(author=make_user())
    response = mod_client.post(f"/moderation/reponses/{answer.pk}/move/", {"to": str(target.pk), "reason": "Mieux là"})
    assert response.status_code == 303
    assert response["Location"] == target.get_absolute_url()
    answer.refresh_from_db()
    assert answer.question_id == target.pk


def test_a_refused_answer_tool_is_a_message_on_the_thread(mod_client, answer):
    page = mod_client.post(f"/moderation/reponses/{answer.pk}/hide/", {"clause": ""}, follow=True)
    assert page.status_code == 200
    assert "Choose the charter clause this post breaks" in page.text
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED


@pytest.mark.parametrize("url", ["/moderation/questions/{question}/explode/", "/moderation/reponses/{answer}/lock/"])
def test_it_refuses_a_tool_the_post_kind_does_not_have_with_a_404(mod_client, question, answer, url):
    response = mod_client.post(url.format(question=question.pk, answer=answer.pk))
    assert response.status_code == 404
    question.refresh_from_db()
    assert not question.is_locked


def test_french_slugs_stay_in_the_urls_and_views_get_the_code_value(answer):
    # Templates and views say "answer"; only frontend/urls.py knows "reponse".
    assert reverse("frontend:flag", args=["answer", answer.pk]) == f"/signaler/reponse/{answer.pk}/"
    assert reverse("frontend:appeal", args=["question", 7]) == "/recours/question/7/"
    assert resolve(f"/signaler/reponse/{answer.pk}/").kwargs == {"kind": "answer", "pk": answer.pk}
    with pytest.raises(NoReverseMatch):
        reverse("frontend:flag", args=["reponse", answer.pk])


def test_an_english_or_unknown_post_kind_in_a_url_is_a_404(client, other_student, answer):
    client.force_login(other_student)
    assert client.get(f"/signaler/answer/{answer.pk}/").status_code == 404
    assert client.get(f"/signaler/commentaire/{answer.pk}/").status_code == 404
