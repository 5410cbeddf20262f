"""Queries built once and run as SQL (forum.compiled_sql) give the rows the ORM
gives, for each call's own values: the composer's charter hints for members in
every state, and a page version's newest event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import charter, compiled_sql, page_versions, queries
from forum.models import Event, Notification, NotificationKind, Question, User
from forum.services.charter import dismiss_hints
from forum.services.moderation import hide_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def on_postgres(db):
    require_postgres()


def test_the_hints_row_is_the_orms_for_members_in_every_state(student, other_student, moderator):
    hr = make_user(username="rh")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    make_question(author=student)
    hidden = make_answer(author=other_student, question=make_question(author=student))
    hide_post(moderator=moderator, post=hidden, clause="respect")
    dismissed = make_user(username="lu")
    dismiss_hints(member=dismissed)
    now = timezone.now()
    since = now - timedelta(days=charter.RECENT_HIDE_DAYS)

    for user in (student, other_student, moderator, hr, dismissed):
        expected = next(iter(charter._hints_row(user.pk, since, now)))
        assert charter._HINTS_ROW.first(user.pk, since, now) == expected
    assert charter._HINTS_ROW.first(-1, since, now) is None
    # The states differ, so the rows were not all alike by chance.
    assert charter.hints_for(student, context="answer").reason == "first_posts"
    assert charter.hints_for(other_student, context="answer").reason == "recent_hide"
    assert charter.hints_for(hr, context="answer").role == charter.ROLE_STAFF
    assert not charter.hints_for(moderator, context="answer")
    assert not charter.hints_for(dismissed, context="answer")


def test_a_thread_page_reader_row_is_the_orms_for_readers_in_every_state(question, answer, moderator):
    """The member's part in the thread, list traits, hints and unread count
    (`queries.thread_page_reader`): asker, answerer, moderator, a member with
    a badge, a newcomer with unread notifications, and a thread not published."""
    hr = make_user(username="rh")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    newcomer = make_user(username="nouveau")
    for group in ("a", "b"):
        Notification.objects.create(
            recipient=newcomer, kind=NotificationKind.ANSWER_IN_FOLLOWED, group_key=group, question=question
        )
    held = make_question(author=hr)
    held.visibility = "pending"
    held.save(update_fields=["visibility"])
    since, now = charter.hint_window()

    rows = {}
    for user in (question.author, answer.author, moderator, hr, newcomer):
        for thread in (question, held):
            expected = next(iter(queries._thread_page_reader(user.pk, thread.pk, since, now)), None)
            assert queries._THREAD_PAGE_READER.first(user.pk, thread.pk, since, now) == expected
            rows[user.username, thread.pk] = expected
    # The states differ, so the rows were not all alike by chance.
    assert rows[question.author.username, question.pk]["asked"]
    assert rows[answer.author.username, question.pk]["answered"]
    assert rows[moderator.username, question.pk]["moderator"]
    assert rows[hr.username, question.pk]["staff"]
    assert rows["nouveau", question.pk]["unread"] == 2
    assert rows["nouveau", held.pk] is None
    reader = queries.thread_page_reader(newcomer, question.pk)
    assert (reader.following, reader.hints.reason, reader.unread) == (False, "first_posts", 2)
    assert queries.thread_page_reader(answer.author, question.pk) is None


def test_the_newest_event_of_some_topics_or_of_all(question, answer):
    newest = Event.objects.order_by("-id").first()
    topic = f"thread:{question.pk}"
    mine = Event.objects.filter(topic=topic).order_by("-id").first()

    assert page_versions.newest_event(page_versions.EVERY_TOPIC) == (newest.pk, newest.created_at)
    assert page_versions.newest_event([topic, "thread:0"]) == (mine.pk, mine.created_at)
    assert page_versions.newest_event(["thread:0"]) == (0, None)


def test_a_marker_that_does_not_reach_the_sql_is_refused():
    # Here the query never uses it: the calls' values would be silently ignored.
    query = compiled_sql.CompiledQuery(
        lambda pk: User.objects.filter(username="x").values("pk")[:1], (compiled_sql.marker_int(0),)
    )
    with pytest.raises(ValueError, match="did not reach the SQL"):
        query.first(1)


def test_a_token_read_as_an_instance_is_the_orms_with_its_member_and_annotation(student, moderator):
    from forum.models.tokens import DeviceToken
    from forum.services import tokens

    now = timezone.now()
    for member in (student, moderator):
        token, secret = tokens.issue_token(user=member, device_name="téléphone")
        key_hash = tokens._hash(secret)
        expected = tokens._active_token(key_hash, now).get()
        read = tokens._ACTIVE_TOKEN.instance(key_hash, now)
        for model, left, right in ((DeviceToken, read, expected), (User, read.user, expected.user)):
            fields = [field.attname for field in model._meta.concrete_fields]
            assert [getattr(left, name) for name in fields] == [getattr(right, name) for name in fields]
            assert not left._state.adding
        assert read.user_is_moderator is expected.user_is_moderator is (member == moderator)
        assert tokens.authenticate_token(secret) == token
    assert tokens._ACTIVE_TOKEN.instance("0" * 64, now) is None


def test_instance_converts_what_the_orm_converts(student):
    """A JSON column comes from PostgreSQL's driver as text: the instance holds
    what the field holds, as the ORM's does."""
    question = make_question(author=student)
    Question.objects.filter(pk=question.pk).update(discreet_from=[3, 5])
    read = queries._VISIBLE_QUESTION.instance(question.pk)
    assert read.discreet_from == Question.objects.get(pk=question.pk).discreet_from == [3, 5]
    assert read.author == student
    assert read.author_is_moderator is False


def test_every_row_read_as_instances_is_the_orms(moderator):
    """A lone author's active badges (forum.presenters.verified_badges): each
    with its organisation, an expired one left out, as the ORM reads them."""
    from forum import presenters
    from forum.models import Badge

    hr = make_user(username="rh-double")
    bank = make_organisation(moderator=moderator)
    school = make_organisation(moderator=moderator, name="CFA Exemple", domains=("cfa-exemple.fr",))
    grant_badge(user=hr, organisation=bank, moderator=moderator)
    expired = grant_badge(user=hr, organisation=school, moderator=moderator, role="school")
    Badge.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    now = timezone.now()

    read = presenters._ACTIVE_BADGES.instances(hr.pk, now)
    expected = list(presenters._active_badges(hr.pk, now))
    assert [(b.pk, b.role, b.organisation.name, b.verified_at) for b in read] == [
        (b.pk, b.role, b.organisation.name, b.verified_at) for b in expected
    ]
    assert [b.organisation.slug for b in read] == [bank.slug]
    assert presenters._ACTIVE_BADGES.instances(-1, now) == []
