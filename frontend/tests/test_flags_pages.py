"""What members meet on the pages: reporting a post, a post waiting for
moderation, a hidden post and its appeal, the personal-data warning, the
posting limits, their warnings, and the sign-up honeypot."""

import pytest
from django.utils import timezone

from forum.models import Answer, Flag, Question, ReviewItem, User, Visibility
from forum.services.moderation import hide_post
from forum.services.sanctions import suspend_member, warn_member
from tests.factories import make_answer, make_question, make_user

PHONE = "Appelle-moi au 06 12 34 56 78, je t'explique tout sur mon contrat d'apprentissage."


@pytest.fixture
def member_client(client, third_student):
    client.force_login(third_student)
    return client


def test_reporting_an_answer_from_its_thread(member_client, answer):
    thread = member_client.get(answer.question.get_absolute_url()).text
    assert f'href="/signaler/reponse/{answer.pk}/"' in thread
    form = member_client.get(f"/signaler/reponse/{answer.pk}/")
    assert form.status_code == 200
    assert "Harassment or insult" in form.text
    response = member_client.post(f"/signaler/reponse/{answer.pk}/", {"reason": "harassment", "text": "Insulte."})
    assert response.status_code == 303
    assert Flag.objects.get().reason == "harassment"
    thread = member_client.get(answer.question.get_absolute_url()).text
    assert "data-flagged" in thread


def test_a_report_needs_a_reason(member_client, answer):
    response = member_client.post(f"/signaler/reponse/{answer.pk}/", {"text": "Bof."})
    assert response.status_code == 400
    assert "Choose why you report this post." in response.text


def test_nobody_is_offered_to_report_their_own_post(client, answer, other_student):
    client.force_login(other_student)
    assert f"/signaler/reponse/{answer.pk}/" not in client.get(answer.question.get_absolute_url()).text
    response = client.get(f"/signaler/reponse/{answer.pk}/", follow=True)
    assert "You cannot report your own post" in response.text


def test_anonymous_visitors_are_asked_to_log_in_to_report(client, answer):
    response = client.get(f"/signaler/reponse/{answer.pk}/")
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_a_new_members_question_says_why_it_waits(client, db):
    newcomer = make_user(date_joined=timezone.now())
    client.force_login(newcomer)
    response = client.post(
        "/questions/poser/",
        {
            "title": "Comment négocier mon rythme d'alternance ?",
            "body": "Mon entreprise veut 3 semaines / 1 semaine, l'école 2/2. Qui décide ?",
            "tags": "rythme",
        },
        follow=True,
    )
    question = Question.objects.get()
    assert question.visibility == Visibility.PENDING
    assert "The first messages of new members are read by a moderator" in response.text
    other = make_user()
    client.force_login(other)
    assert client.get(question.get_absolute_url()).status_code == 404


def test_personal_data_is_warned_then_can_be_confirmed(client, question, other_student):
    client.force_login(other_student)
    warned = client.post(f"/questions/{question.pk}/repondre/", {"body": PHONE})
    assert warned.status_code == 400
    assert "a phone number (06 12 34 56 78)" in warned.text
    assert "data-personal-data-warning" in warned.text
    assert not Answer.objects.exists()
    confirmed = client.post(
        f"/questions/{question.pk}/repondre/", {"body": PHONE, "confirm_personal_data": "on"}, follow=True
    )
    answer = Answer.objects.get()
    assert answer.visibility == Visibility.PENDING
    assert "you chose to publish what looks like personal data" in confirmed.text


def test_the_author_of_a_hidden_answer_reads_why_and_may_appeal_once(client, answer, moderator, other_student):
    hide_post(moderator=moderator, post=answer, clause="respect", note="Ton message est blessant.")
    client.force_login(other_student)
    thread = client.get(answer.question.get_absolute_url()).text
    assert "Ton message est blessant." in thread
    assert f'href="/recours/reponse/{answer.pk}/"' in thread
    form = client.get(f"/recours/reponse/{answer.pk}/")
    assert "Be respectful" in form.text
    response = client.post(
        f"/recours/reponse/{answer.pk}/", {"text": "Je citais ma tutrice, ce n'était pas contre toi."}, follow=True
    )
    assert "another moderator will review your post" in response.text
    assert ReviewItem.objects.get(is_appeal=True).appeal_text.startswith("Je citais")
    thread = client.get(answer.question.get_absolute_url()).text
    assert "You asked for a second review" in thread
    assert f'href="/recours/reponse/{answer.pk}/"' not in thread


def test_other_members_do_not_see_a_hidden_answer(client, answer, moderator, student):
    hide_post(moderator=moderator, post=answer, clause="respect")
    client.force_login(student)
    assert f'id="answer-{answer.pk}"' not in client.get(answer.question.get_absolute_url()).text


def test_a_new_account_past_its_daily_answers_gets_a_429_with_retry_after(client, question):
    newcomer = make_user(date_joined=timezone.now())
    for _ in range(10):
        make_answer(author=newcomer, question=question)
    client.force_login(newcomer)
    response = client.post(f"/questions/{question.pk}/repondre/", {"body": "Une onzième réponse dans la journée."})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    assert "New members can post at most 10 answers per day" in response.text
    assert Answer.objects.filter(author=newcomer).count() == 10


def test_warnings_show_a_notice_until_read(client, moderator, student):
    warn_member(moderator=moderator, member=student, clause="off_topic", message="Reste sur l'alternance.")
    client.force_login(student)
    home = client.get("/").text
    assert "You have a new message from the moderators." in home
    warnings = client.get("/mes-avertissements/").text
    assert "Stay on topic: work-study, training and jobs." in warnings
    assert "Reste sur l&#x27;alternance." in warnings
    assert "data-member-notice" not in client.get("/").text


def test_a_suspended_member_sees_until_when(client, moderator, student):
    suspend_member(moderator=moderator, member=student, days=3, clause="respect")
    client.force_login(student)
    client.get("/mes-avertissements/")
    home = client.get("/").text
    assert "Your account is suspended until" in home
    student.refresh_from_db()
    assert timezone.localtime(student.suspended_until).strftime("%Y") in home


def test_the_sign_up_honeypot_turns_bots_away(client, db):
    form = client.get("/comptes/signup/")
    assert 'name="website"' in form.text
    data = {
        "email": "robot@example.org",
        "username": "robot",
        "password1": "un-mot-de-passe-solide-42",
        "password2": "un-mot-de-passe-solide-42",
        "role": "student",
        "charter": "on",
        "website": "http://spam.example.com",
    }
    response = client.post("/comptes/signup/", data)
    assert response.status_code == 200
    assert "Your sign-up could not be completed." in response.text
    assert not User.objects.filter(username="robot").exists()
    data.update(website="", username="humain", email="humain@example.org")
    assert client.post("/comptes/signup/", data).status_code == 302
    assert User.objects.filter(username="humain").exists()


def test_a_hidden_question_is_announced_on_its_page(client, moderator, student):
    question = make_question(author=student)
    hide_post(moderator=moderator, post=question, clause="off_topic", note="Pas lié à l'alternance.")
    client.force_login(student)
    page = client.get(question.get_absolute_url()).text
    assert "Hidden by the moderators." in page
    assert "Stay on topic" in page
