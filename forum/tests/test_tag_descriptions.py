"""Moderators describe a tag's page; the page counts what the reader can see."""

import pytest
from taggit.models import Tag

from forum import queries
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import AuditLog
from forum.services.moderation import hide_post
from forum.services.tags import TAG_DESCRIPTION_MAX, set_tag_description
from tests.factories import make_question


@pytest.fixture
def bts(question) -> Tag:
    return Tag.objects.get(slug="bts")


def test_a_moderator_describes_a_tag_and_the_journal_keeps_it(moderator, bts):
    set_tag_description(moderator=moderator, tag=bts, text="  Le brevet de technicien supérieur, en deux ans.  ")
    set_tag_description(moderator=moderator, tag=bts, text="BTS : deux ans après le bac.")

    assert queries.tag_page_details(None, bts)["description"] == "BTS : deux ans après le bac."
    entries = list(AuditLog.objects.filter(action="tag.described").order_by("id"))
    assert [(e.before, e.after) for e in entries] == [
        ({"description": ""}, {"description": "Le brevet de technicien supérieur, en deux ans."}),
        (
            {"description": "Le brevet de technicien supérieur, en deux ans."},
            {"description": "BTS : deux ans après le bac."},
        ),
    ]
    assert entries[0].actor == moderator
    assert entries[0].target_type == "tag"


def test_saving_the_same_text_writes_nothing(moderator, bts):
    set_tag_description(moderator=moderator, tag=bts, text="Deux ans.")
    set_tag_description(moderator=moderator, tag=bts, text="Deux ans.")

    assert AuditLog.objects.filter(action="tag.described").count() == 1


def test_only_moderators_describe_tags(student, bts):
    with pytest.raises(NotAllowed):
        set_tag_description(moderator=student, tag=bts, text="Mon avis sur le BTS.")


def test_a_description_has_a_maximum_length(moderator, bts):
    with pytest.raises(InvalidInput) as refused:
        set_tag_description(moderator=moderator, tag=bts, text="x" * (TAG_DESCRIPTION_MAX + 1))
    assert list(refused.value.fields) == ["description"]


def test_the_question_count_is_what_the_reader_can_see(student, moderator, bts):
    make_question(author=student)
    hidden = make_question(author=student)
    hide_post(moderator=moderator, post=hidden, clause="respect", note="Hors sujet.")

    assert queries.tag_page_details(None, bts)["question_count"] == 2
    assert queries.tag_page_details(moderator, bts)["question_count"] == 3


def test_the_follower_count_counts_members_following_the_tag(bts, student, other_student):
    from forum.services.notifications import follow_tag

    assert queries.tag_page_details(None, bts)["follower_count"] == 0
    follow_tag(user=student, slug="bts")
    follow_tag(user=other_student, slug="bts")
    details = queries.tag_page_details(student, bts)
    assert (details["follower_count"], details["following_tag"]) == (2, True)
    assert queries.tag_page_details(None, bts)["following_tag"] is False
