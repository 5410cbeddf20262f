"""The charter that teaches (issue 17): one registry of clauses, the composer
hints of a member's first posts by role, their dismissal, and the outcome of
a moderation decision explained to its author only."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum import charter
from forum.exceptions import NotAllowed, NotFound
from forum.models import CharterClause, CharterHintsDismissal, Event, HoldReason, Notification, ReviewItem
from forum.notifications import texts
from forum.services.charter import dismiss_hints
from forum.services.moderation import decide, hide_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user


def test_every_charter_clause_has_its_teaching():
    assert set(charter.CLAUSES) == set(CharterClause.values)
    for key, clause in charter.CLAUSES.items():
        assert clause.key == key
        for text in (clause.title, clause.why, clause.good, clause.bad):
            assert str(text).strip()
        assert clause.url.endswith(f"/charte/#clause-{key}")


def test_every_hold_reason_has_an_explanation():
    assert set(charter.HOLD_EXPLANATIONS) == set(HoldReason.values)


def test_every_hint_links_a_known_clause():
    for hint in charter.STUDENT_HINTS + charter.STAFF_HINTS:
        assert hint.clause in charter.CLAUSES
        assert set(hint.contexts) <= set(charter.CONTEXTS)


@pytest.fixture
def hr_member(moderator):
    member = make_user(username="rh-nouvelle")
    grant_badge(user=member, organisation=make_organisation(moderator=moderator), moderator=moderator)
    return member


def keys(hints) -> list[str]:
    return [hint.key for hint in hints.hints]


def test_a_new_student_gets_the_student_hints_on_both_composers(student):
    on_question = charter.hints_for(student, context="question")
    assert on_question.role == "student"
    assert on_question.reason == "first_posts"
    assert keys(on_question) == ["privacy", "no_names", "one_question"]
    assert keys(charter.hints_for(student, context="answer")) == ["privacy", "no_names", "own_experience"]


def test_verified_staff_get_the_staff_hints(hr_member):
    hints = charter.hints_for(hr_member, context="answer")
    assert hints.role == "staff"
    assert keys(hints) == ["no_recruiting", "say_organisation", "answer_the_question"]


def test_moderators_and_anonymous_readers_get_none(moderator):
    assert not charter.hints_for(moderator, context="question")
    assert not charter.hints_for(AnonymousUser(), context="question")


def test_the_hints_go_after_the_first_posts(student, settings):
    settings.FORUM = {**settings.FORUM, "CHARTER_HINT_POSTS": 2}
    make_question(author=student)
    assert charter.hints_for(student, context="question")
    make_answer(author=student, question=make_question(author=make_user()))
    assert not charter.hints_for(student, context="question")


def test_the_selection_is_one_query(student, django_assert_num_queries):
    with django_assert_num_queries(1):
        charter.hints_for(student, context="answer")


def test_a_dismissal_puts_them_away_and_a_later_hide_brings_them_back_once(student, moderator, settings):
    settings.FORUM = {**settings.FORUM, "CHARTER_HINT_POSTS": 1}
    dismiss_hints(member=student)
    assert CharterHintsDismissal.objects.filter(user=student).exists()
    assert not charter.hints_for(student, context="question")

    question = make_question(author=student)
    hide_post(moderator=moderator, post=question, clause=CharterClause.PERSONAL_DATA, note="Le nom du tuteur.")
    hints = charter.hints_for(student, context="question")
    assert hints.reason == "recent_hide"
    assert keys(hints)[0] == "privacy"

    dismiss_hints(member=student)
    assert not charter.hints_for(student, context="question")


def test_a_hide_older_than_the_window_does_not_bring_them_back(student, moderator, settings):
    settings.FORUM = {**settings.FORUM, "CHARTER_HINT_POSTS": 1}
    make_question(author=student)  # past the first posts
    question = make_question(author=student)
    hide_post(moderator=moderator, post=question, clause=CharterClause.SPAM)
    ReviewItem.objects.filter(question=question).update(
        decided_at=timezone.now() - timedelta(days=charter.RECENT_HIDE_DAYS + 1)
    )
    assert not charter.hints_for(student, context="question")


def test_an_anonymous_reader_cannot_dismiss():
    with pytest.raises(NotAllowed):
        dismiss_hints(member=AnonymousUser())


def test_an_unknown_context_is_a_programming_error(student):
    with pytest.raises(ValueError, match="chat"):
        charter.hints_for(student, context="chat")


@pytest.fixture
def hidden_answer(question, other_student, moderator):
    answer = make_answer(author=other_student, question=question)
    item = hide_post(
        moderator=moderator, post=answer, clause=CharterClause.PERSONAL_DATA, note="Retirez le nom de votre tuteur."
    )
    return answer, item


def test_the_author_reads_the_outcome_with_its_clause_and_next_steps(hidden_answer, other_student):
    answer, item = hidden_answer
    outcome = charter.get_outcome(other_student, item.pk)
    assert outcome.post == answer
    assert outcome.clause is charter.CLAUSES[CharterClause.PERSONAL_DATA]
    assert outcome.can_appeal
    assert not outcome.appealed
    data = charter.outcome_data(outcome)
    assert data["clause"] == "personal_data"
    assert data["clause_example"]["bad"] == str(charter.CLAUSES["personal_data"].bad)
    assert data["note"] == "Retirez le nom de votre tuteur."
    assert data["outcome_url"] == f"/moderation/decisions/{item.pk}/"


def test_moderators_read_it_too_but_nobody_else(hidden_answer, moderator, student, third_student):
    _answer, item = hidden_answer
    assert charter.get_outcome(moderator, item.pk).item == item
    for stranger in (student, third_student):
        with pytest.raises(NotFound):
            charter.get_outcome(stranger, item.pk)


def test_an_open_item_has_no_outcome_yet(moderator):
    newcomer = make_user(username="nouveau-venu", date_joined=timezone.now())
    question = make_question(author=newcomer)
    item = ReviewItem.objects.get(question=question)
    with pytest.raises(NotFound):
        charter.get_outcome(newcomer, item.pk)
    decide(moderator=moderator, item=item, decision="hide", clause=CharterClause.OFF_TOPIC)
    assert charter.get_outcome(newcomer, item.pk).clause.key == "off_topic"


def test_the_decision_notifies_with_a_link_to_the_outcome(
    question, other_student, moderator, django_capture_on_commit_callbacks
):
    answer = make_answer(author=other_student, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        item = hide_post(moderator=moderator, post=answer, clause=CharterClause.PERSONAL_DATA)
    frame = Event.objects.filter(name="moderation.decision").latest("id").payload
    assert frame["review_item_id"] == item.pk
    assert frame["outcome_url"] == f"/moderation/decisions/{item.pk}/"
    assert frame["clause_url"] == "/charte/#clause-personal_data"
    notification = Notification.objects.get(recipient=other_student, kind="moderation")
    assert notification.data["review_item_id"] == item.pk
    assert texts.target_url(notification) == f"/moderation/decisions/{item.pk}/"
