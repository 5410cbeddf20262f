"""Pre-moderation: a new member's first posts, and their posts with links,
wait in the review queue before anyone else sees them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import permissions
from forum.exceptions import NotFound
from forum.models import Answer, Event, HoldReason, Question, ReviewItem, Visibility
from forum.services.answers import edit_answer
from forum.services.moderation import decide
from forum.services.questions import ask_question
from tests.factories import make_answer, make_moderator, make_question, make_user

LINK_BODY = "Regarde ce site qui liste les offres : https://offres-alternance.example.com/bts tout y est."


@pytest.fixture
def newcomer(db):
    return make_user(username="nouveau", date_joined=timezone.now())


def test_a_new_members_first_question_waits_for_a_moderator(newcomer):
    question = make_question(author=newcomer)
    assert question.visibility == Visibility.PENDING
    assert question.moderation_reason == HoldReason.FIRST_POSTS
    item = ReviewItem.objects.get(question=question, status=ReviewItem.Status.OPEN)
    assert item.reasons == [HoldReason.FIRST_POSTS]
    assert item.author == newcomer


def test_a_held_post_is_announced_only_to_its_author_and_the_moderators(newcomer):
    question = make_question(author=newcomer)
    created = Event.objects.get(name="question.created", topic="feed")
    assert created.audience == Event.Audience.RESTRICTED
    assert created.recipient_id == newcomer.pk
    queued = Event.objects.get(name="review.added")
    assert queued.topic == "moderation"
    assert queued.audience == Event.Audience.MODERATORS
    assert queued.payload["question_id"] == question.pk


def test_a_held_answer_is_seen_by_its_author_and_moderators_only(question, newcomer, other_student, moderator):
    answer = make_answer(author=newcomer, question=question)
    assert answer.visibility == Visibility.PENDING
    question.refresh_from_db()
    assert question.answer_count == 0
    for viewer, sees in ((newcomer, True), (moderator, True), (other_student, False)):
        visible = permissions.visible_answers(viewer, Answer.objects.filter(question=question))
        assert visible.filter(pk=answer.pk).exists() is sees


def test_the_new_member_is_trusted_after_two_approved_posts(newcomer, moderator, question):
    first = make_answer(author=newcomer, question=question)
    second = make_answer(author=newcomer, question=question)
    assert second.visibility == Visibility.PENDING  # the first is not approved yet
    for answer in (first, second):
        decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    third = make_answer(author=newcomer, question=question)
    assert third.visibility == Visibility.PUBLISHED


def test_approving_publishes_the_answer_and_announces_it_live(newcomer, moderator, question):
    answer = make_answer(author=newcomer, question=question)
    decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED
    assert answer.moderation_reason == ""
    assert question.answer_count == 1
    public = Event.objects.filter(name="answer.created", topic=f"thread:{question.pk}").order_by("id").last()
    assert public.audience == Event.Audience.PUBLIC
    assert public.payload["id"] == answer.pk


def test_approving_a_held_question_puts_it_on_the_feed(newcomer, moderator):
    question = make_question(author=newcomer, tags=("bts", "rythme"))
    decide(moderator=moderator, item=ReviewItem.objects.get(question=question), decision="approve")
    published = Event.objects.filter(name="question.created").exclude(audience=Event.Audience.RESTRICTED)
    assert {event.topic for event in published} == {"feed", "tag:bts", "tag:rythme"}


def test_a_link_from_a_young_account_is_held_even_after_its_first_posts(newcomer, moderator, question):
    for _ in range(2):
        answer = make_answer(author=newcomer, question=question)
        decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    with_link = make_answer(author=newcomer, question=question, body=LINK_BODY)
    assert with_link.visibility == Visibility.PENDING
    assert with_link.moderation_reason == HoldReason.LINKS


@pytest.mark.parametrize(
    "body",
    [
        "Le guide est sur www.alternance.gouv.fr dans la rubrique apprentissage, regarde bien.",
        "Lis [ce guide](https://example.org/guide) avant de signer ton contrat d'apprentissage.",
        "Tout est expliqué sur monsite-pas-cher.fr pour les contrats d'apprentissage du BTS.",
    ],
)
def test_links_are_recognised_in_their_common_forms(newcomer, question, body):
    # Two published posts already: only the link rule can hold this one.
    for filler in ("x" * 30, "y" * 30):
        Answer.objects.create(
            question=question, author=newcomer, body=filler, body_html="", visibility=Visibility.PUBLISHED
        )
    answer = make_answer(author=newcomer, question=question, body=body)
    assert answer.moderation_reason == HoldReason.LINKS


def test_an_email_address_is_not_mistaken_for_a_link(newcomer, question):
    from forum.services.screening import contains_link

    assert not contains_link("Écris à prenom.nom@gmail.com pour la convention.")
    assert contains_link("Écris via gmail.com.")


def test_an_established_member_posts_links_straight_away(student, question):
    answer = make_answer(author=student, question=question, body=LINK_BODY)
    assert answer.visibility == Visibility.PUBLISHED


def test_an_account_older_than_the_new_account_period_is_not_premoderated(db):
    member = make_user(date_joined=timezone.now() - timedelta(days=8))
    assert make_question(author=member).visibility == Visibility.PUBLISHED


def test_moderators_are_never_held(db):
    fresh_moderator = make_moderator(date_joined=timezone.now())
    question = ask_question(
        author=fresh_moderator,
        title="Règles du forum : à lire avant de poster",
        body="Bienvenue ! Lisez la charte sur https://example.org/charte avant de poster.",
        tags=["charte"],
    )
    assert question.visibility == Visibility.PUBLISHED


def test_the_rules_are_configurable(newcomer, settings, question):
    settings.FORUM = {**settings.FORUM, "PREMODERATE_FIRST_POSTS": 0, "PREMODERATE_LINKS": False}
    answer = make_answer(author=newcomer, question=question, body=LINK_BODY)
    assert answer.visibility == Visibility.PUBLISHED


def test_adding_a_link_in_an_edit_sends_a_young_accounts_answer_back_to_review(newcomer, moderator, question):
    for _ in range(2):
        answer = make_answer(author=newcomer, question=question)
        decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    question.refresh_from_db()
    assert question.answer_count == 2
    edit_answer(editor=newcomer, answer=answer, body=LINK_BODY)
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.visibility == Visibility.PENDING
    assert question.answer_count == 1
    removed = Event.objects.get(name="answer.removed")
    assert removed.audience == Event.Audience.PUBLIC
    assert removed.payload["id"] == answer.pk
    assert ReviewItem.objects.get(answer=answer, status="open").reasons == [HoldReason.LINKS]


def test_an_edit_that_keeps_an_approved_link_is_not_held_again(newcomer, moderator, question):
    for _ in range(2):
        approved = make_answer(author=newcomer, question=question)
        decide(moderator=moderator, item=ReviewItem.objects.get(answer=approved), decision="approve")
    answer = make_answer(author=newcomer, question=question, body=LINK_BODY)
    decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    edit_answer(editor=newcomer, answer=answer, body=LINK_BODY + " Bon courage pour tes recherches !")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED


def test_a_pending_question_is_invisible_to_others_so_it_cannot_be_answered_yet(newcomer, other_student):
    question = make_question(author=newcomer)
    with pytest.raises(NotFound):
        make_answer(author=other_student, question=question)
    assert not Question.objects.get(pk=question.pk).answers.exists()
