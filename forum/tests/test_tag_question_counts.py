"""The stored per-tag question counts equal the aggregate over the rows after
every service that publishes, unpublishes or retags a question.

The home page's tag cloud and the tag index read these counts instead of
counting tagged rows per request: a path that forgets them would show a
wrong cloud until the next `recount_tags`, so each path is checked here.
"""

from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from forum import queries
from forum.models import ReviewItem, TagQuestionCount
from forum.services import moderation, questions, thread_tools
from tests.factories import make_question, make_user


def stored() -> dict[str, int]:
    return {
        row.tag.name: row.question_count for row in TagQuestionCount.objects.select_related("tag") if row.question_count
    }


def counted() -> dict[str, int]:
    names = dict(Tag.objects.values_list("id", "name"))
    return {names[tag_id]: n for tag_id, n in TagQuestionCount.objects.counted_from_rows().items()}


def assert_counts(expected: dict[str, int]) -> None:
    assert counted() == expected  # the scenario does what it says
    assert stored() == expected


def test_the_counts_follow_every_service_path(student, moderator):
    first = make_question(author=student, tags=("bts", "salaire"))
    make_question(author=student, tags=("bts",))
    assert_counts({"bts": 2, "salaire": 1})

    # A newcomer's first question waits for a moderator: not counted until approved.
    newcomer = make_user(username="nouveau", date_joined=timezone.now())
    held = make_question(author=newcomer, tags=("rythme",))
    assert_counts({"bts": 2, "salaire": 1})
    moderation.decide(moderator=moderator, item=ReviewItem.objects.get(question=held), decision="approve")
    assert_counts({"bts": 2, "salaire": 1, "rythme": 1})

    questions.edit_question(editor=student, question=first, tags=["bts", "rythme"])
    assert_counts({"bts": 2, "rythme": 2})

    thread_tools.retag(moderator=moderator, question=first, tags=["contrat", "rythme"])
    assert_counts({"bts": 1, "rythme": 2, "contrat": 1})

    moderation.hide_post(moderator=moderator, post=first, clause="respect")
    assert_counts({"bts": 1, "rythme": 1})
    # Retagging a hidden thread changes no public count.
    thread_tools.retag(moderator=moderator, question=first, tags=["salaire"])
    assert_counts({"bts": 1, "rythme": 1})

    moderation.restore_post(moderator=moderator, post=first)
    assert_counts({"bts": 1, "rythme": 1, "salaire": 1})

    # Hiding the approved one takes its tag out.
    moderation.hide_post(moderator=moderator, post=held, clause="respect")
    assert_counts({"bts": 1, "salaire": 1})


def test_a_held_edit_takes_the_new_tags_out_of_the_counts(moderator):
    member = make_user(date_joined=timezone.now())
    question = make_question(author=member, tags=("bts",))
    moderation.decide(moderator=moderator, item=ReviewItem.objects.get(question=question), decision="approve")
    assert_counts({"bts": 1})

    # Personal data in an edit, confirmed by the author: back to the queue, with its new tags.
    questions.edit_question(
        editor=member,
        question=question,
        body="Appelez-moi au 06 12 34 56 78 pour parler de mon contrat.",
        tags=["salaire"],
        confirm_personal_data=True,
    )
    question.refresh_from_db()
    assert question.visibility == "pending"
    assert_counts({})


def test_recount_repairs_a_drift(student):
    make_question(author=student, tags=("bts", "salaire"))
    TagQuestionCount.objects.all().update(question_count=7)
    call_command("recount_tags", stdout=None)
    assert_counts({"bts": 1, "salaire": 1})


def test_the_shared_tag_cloud_reads_the_stored_counts(student, django_assert_num_queries):
    make_question(author=student, tags=("bts", "salaire"))
    make_question(author=student, tags=("bts",))
    with django_assert_num_queries(1):
        cloud = [(tag.name, tag.question_count) for tag in queries.public_tag_counts()[:12]]
    assert cloud == [("bts", 2), ("salaire", 1)]
