"""Discreet mode: the asker hides their identity from the verified members of
chosen organisations, on every post they write in the thread; moderators and
the asker still see it (forum.permissions.can_see_author)."""

import json

import pytest
from django.core import mail

from forum import page_versions, permissions
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import Event, Notification, NotificationEmail
from forum.notifications import email as email_delivery
from forum.notifications.texts import describe
from forum.services import data_export
from forum.services.questions import ask_question, edit_question
from tests.badge_factories import make_organisation
from tests.discreet_factories import ASKER_NAME, ASKER_USERNAME, committed, make_discreet_world
from tests.factories import make_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_discreet_world()


def names_in(text: str) -> bool:
    return ASKER_USERNAME in text or ASKER_NAME in text


def test_the_asker_chooses_organisations_by_their_web_names(world):
    assert world.question.discreet_from == [world.bank.pk]
    assert world.question.is_discreet


def test_unknown_organisations_and_more_than_five_are_refused(world):
    with pytest.raises(InvalidInput) as unknown:
        ask_question(
            author=world.asker,
            title="Une autre question assez longue ?",
            body="x" * 40,
            tags=["bts"],
            discreet_from=["nulle-part"],
        )
    assert "discreet_from" in unknown.value.fields
    many = [make_organisation(moderator=world.moderator, name=f"Ecole {i}", domains=[f"ecole{i}.fr"]) for i in range(5)]
    with pytest.raises(InvalidInput) as too_many:
        ask_question(
            author=world.asker,
            title="Une autre question assez longue ?",
            body="x" * 40,
            tags=["bts"],
            discreet_from=[world.bank.slug, *(o.slug for o in many)],
        )
    assert "discreet_from" in too_many.value.fields


def test_only_the_asker_changes_discreet_mode(world):
    with pytest.raises(NotAllowed):
        edit_question(editor=world.moderator, question=world.question, discreet_from=[])
    generation = page_versions.generation()
    question = committed(edit_question, editor=world.asker, question=world.question, discreet_from=[world.shop.slug])
    assert question.discreet_from == [world.shop.pk]
    # Cached lists and author blocks are rendered again: who sees the asker changed.
    assert page_versions.generation() != generation
    assert Event.objects.filter(name="question.updated").exists()
    question = committed(edit_question, editor=world.asker, question=question, discreet_from=[])
    assert question.discreet_from == []
    assert permissions.can_see_author(world.hr_other, question)


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("anonymous", True),
        ("member", True),
        ("hr_hidden", False),
        ("hr_other", True),
        ("hr_former", True),
        ("moderator", True),
        ("asker", True),
    ],
)
def test_who_sees_the_asker_on_every_post_they_write_in_the_thread(world, viewer, sees):
    from django.contrib.auth.models import AnonymousUser

    user = world.viewers()[viewer] or AnonymousUser()
    question = world.question
    asker_answer = question.answers.get(author=world.asker)
    hr_answer = question.answers.get(author=world.hr_hidden)
    assert permissions.can_see_author(user, question) is sees
    assert permissions.can_see_author(user, asker_answer) is sees
    # Only the asker is masked: the other people of the thread are not.
    assert permissions.can_see_author(user, hr_answer) is True


def test_a_payload_built_once_for_every_watcher_masks_the_asker(world):
    for event in Event.objects.filter(name__in=["question.created", "answer.created"]):
        text = json.dumps(event.payload)
        author = event.payload["author"]
        if event.name == "question.created" or "Merci" in event.payload["body_html"]:
            assert not names_in(text), event.name
            assert author == {
                "id": None,
                "username": None,
                "display_name": author["display_name"],
                "badges": [],
                "web_url": None,
                "discreet": True,
            }
            assert author["display_name"] in ("Un·e alternant·e", "An apprentice")
        else:
            assert (author["username"], author["discreet"]) == ("rh-banque", False)


def test_notifications_and_their_emails_mask_the_asker_for_the_hidden_from_member(world):
    rows = list(Notification.objects.filter(recipient=world.hr_hidden))
    # Mentioned by the asker, and following the thread they answered in.
    assert "mention" in {n.kind for n in rows}
    for row in rows:
        assert not names_in(describe(row))
    for email in NotificationEmail.objects.filter(recipient=world.hr_hidden):
        message = email_delivery.build(email)
        if message is not None:
            assert not names_in(message.subject + message.body + message.alternatives[0][0])
    assert not any(names_in(m.body) for m in mail.outbox if world.hr_hidden.email in m.to)


def test_an_unmasked_member_is_told_who_wrote(world):
    # A member the asker does not hide from, mentioned by them, reads their name.
    committed(make_answer, author=world.asker, question=world.question, body="Et toi @camille, tu en penses quoi ?")
    [row] = Notification.objects.filter(recipient=world.member, kind="mention")
    assert ASKER_NAME in describe(row)


def test_the_data_export_of_a_hidden_from_member_does_not_name_the_asker(world):
    exported = json.dumps(data_export.build_export(world.hr_hidden))
    assert not names_in(exported)
    assert f'"actor_id": {world.asker.pk}' not in exported
