"""Warnings, suspensions and bans: each names a charter clause, takes effect at
once (tokens and live sessions included) and is audited."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.formats import date_format

from forum.exceptions import Conflict, InvalidInput, NotAllowed
from forum.models import AuditLog, Event, Sanction
from forum.services.answers import post_answer
from forum.services.flags import flag_post
from forum.services.sanctions import (
    ban_member,
    lift_suspension,
    mark_warnings_seen,
    suspend_member,
    unban_member,
    warn_member,
)
from forum.services.tokens import authenticate_token, issue_token
from forum.services.votes import cast_vote
from tests.factories import make_moderator, make_question, make_user


def test_a_warning_is_a_private_message_with_the_charter_clause(moderator, student):
    sanction = warn_member(moderator=moderator, member=student, clause="respect", message="Merci de rester courtois·e.")
    assert sanction.kind == Sanction.Kind.WARNING
    event = Event.objects.get(name="moderation.warning")
    assert event.topic == f"user:{student.pk}"
    assert event.audience == Event.Audience.PRIVATE
    assert event.recipient_id == student.pk
    assert event.payload["clause"] == "respect"
    student.refresh_from_db()
    assert student.unseen_sanctions == 1
    mark_warnings_seen(user=student)
    student.refresh_from_db()
    assert student.unseen_sanctions == 0
    assert Sanction.objects.get().seen_at is not None
    assert AuditLog.objects.get(action="member.warn").target_id == student.pk


def test_a_suspended_member_can_read_but_not_post_or_flag_and_sees_the_end_date(moderator, student, other_student):
    suspend_member(moderator=moderator, member=other_student, days=7, clause="respect")
    other_student.refresh_from_db()
    assert other_student.suspended_until > timezone.now() + timedelta(days=6)
    # In the site's one date format, the same the pages use through |date.
    end = re.escape(date_format(timezone.localtime(other_student.suspended_until), "DATETIME_FORMAT"))
    question = make_question(author=student)
    with pytest.raises(NotAllowed, match=end):
        post_answer(author=other_student, question=question, body="Je réponds quand même à cette question.")
    with pytest.raises(NotAllowed, match=end):
        flag_post(user=other_student, post=question, reason="spam")


def test_a_suspended_member_cannot_vote(moderator, third_student, answer):
    suspend_member(moderator=moderator, member=third_student, days=1, clause="spam")
    third_student.refresh_from_db()
    with pytest.raises(NotAllowed):
        cast_vote(user=third_student, answer=answer)


def test_suspension_revokes_tokens_and_closes_live_sessions_at_once(moderator, student):
    _, secret = issue_token(user=student, device_name="Pixel")
    assert authenticate_token(secret) is not None
    suspend_member(moderator=moderator, member=student, days=3, clause="respect", message="Trois jours de pause.")
    assert authenticate_token(secret) is None
    revoked = Event.objects.get(name="session.revoked")
    assert revoked.topic == f"user:{student.pk}"
    assert revoked.audience == Event.Audience.PRIVATE
    assert revoked.payload == {"user_id": student.pk, "reason": "suspended"}
    entry = AuditLog.objects.get(action="member.suspend")
    assert entry.before["suspended_until"] is None
    assert entry.after["tokens_revoked"] == 1


def test_lifting_a_suspension_lets_the_member_post_again(moderator, student):
    suspend_member(moderator=moderator, member=student, days=3, clause="respect")
    lift_suspension(moderator=moderator, member=student, note="Erreur de personne.")
    student.refresh_from_db()
    make_question(author=student)
    assert Sanction.objects.get(kind="suspension").lifted_by == moderator
    with pytest.raises(Conflict):
        lift_suspension(moderator=moderator, member=student)


def test_a_ban_deactivates_the_account_and_its_tokens(moderator, student):
    _, secret = issue_token(user=student, device_name="iPhone")
    ban_member(moderator=moderator, member=student, clause="spam", message="Publicité répétée.")
    student.refresh_from_db()
    assert not student.is_active
    assert authenticate(username="alice", password="correct-horse-battery") is None
    assert authenticate_token(secret) is None
    assert Event.objects.get(name="session.revoked").payload["reason"] == "banned"
    unban_member(moderator=moderator, member=student, note="Recours accepté.")
    student.refresh_from_db()
    assert student.is_active
    assert [e.action for e in AuditLog.objects.order_by("id")] == ["member.ban", "member.unban"]


@pytest.mark.parametrize("days", [0, -1, 366, "trois", None])
def test_a_suspension_lasts_one_to_365_days(moderator, student, days):
    with pytest.raises(InvalidInput):
        suspend_member(moderator=moderator, member=student, days=days, clause="respect")


def test_a_sanction_names_a_charter_clause(moderator, student):
    with pytest.raises(InvalidInput):
        warn_member(moderator=moderator, member=student, clause="be nice")


def test_who_may_sanction_whom(moderator, student, other_student):
    with pytest.raises(NotAllowed):
        warn_member(moderator=student, member=other_student, clause="respect")
    with pytest.raises(NotAllowed):
        warn_member(moderator=moderator, member=moderator, clause="respect")
    with pytest.raises(NotAllowed):
        suspend_member(moderator=moderator, member=make_moderator(), days=1, clause="respect")
    admin = make_user(is_staff=True)
    suspend_member(moderator=admin, member=moderator, days=1, clause="respect")
    with pytest.raises(NotAllowed):
        ban_member(moderator=moderator, member=make_user(is_staff=True), clause="respect")
