"""The audit log: one entry per moderation decision, searchable, and
append-only whatever the path (ORM, admin)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import queries
from forum.models import AuditLog, ReviewItem
from forum.services import moderation, sanctions, thread_tools
from forum.services.flags import flag_post
from tests.factories import make_answer, make_question, make_user


def test_each_decision_writes_exactly_one_entry(moderator, student, other_student, question, answer):
    admin = make_user(is_staff=True)
    other = make_question(author=make_user())
    newcomer_question = make_question(author=make_user(date_joined=timezone.now()))
    decisions = [
        lambda: moderation.hide_post(moderator=moderator, post=answer, clause="respect", note="Insulte."),
        lambda: moderation.restore_post(moderator=moderator, post=answer, note="Relu."),
        lambda: moderation.decide(
            moderator=moderator, item=ReviewItem.objects.get(question=newcomer_question), decision="approve"
        ),
        lambda: thread_tools.set_locked(moderator=moderator, question=question, locked=True),
        lambda: thread_tools.set_locked(moderator=moderator, question=question, locked=False),
        lambda: thread_tools.set_pinned(moderator=moderator, question=question, pinned=True),
        lambda: thread_tools.retag(moderator=moderator, question=question, tags=["rythme"]),
        lambda: thread_tools.move_answers(moderator=moderator, answers=[answer], target=other),
        lambda: thread_tools.close_as_duplicate(moderator=moderator, question=question, original=other),
        lambda: sanctions.warn_member(moderator=moderator, member=student, clause="respect"),
        lambda: sanctions.suspend_member(moderator=moderator, member=student, days=2, clause="respect"),
        lambda: sanctions.lift_suspension(moderator=moderator, member=student),
        lambda: sanctions.ban_member(moderator=admin, member=other_student, clause="spam"),
        lambda: sanctions.unban_member(moderator=admin, member=other_student),
    ]
    for n, decide in enumerate(decisions, start=1):
        decide()
        assert AuditLog.objects.count() == n
    assert [entry.action for entry in AuditLog.objects.order_by("id")] == [
        "review.hide",
        "review.restore",
        "review.approve",
        "thread.lock",
        "thread.unlock",
        "thread.pin",
        "thread.retag",
        "answers.move",
        "thread.close_duplicate",
        "member.warn",
        "member.suspend",
        "member.unsuspend",
        "member.ban",
        "member.unban",
    ]
    assert all(entry.actor_id in {moderator.pk, admin.pk} for entry in AuditLog.objects.all())


def test_a_hide_records_who_what_why_and_before_after(answer, moderator):
    moderation.hide_post(moderator=moderator, post=answer, clause="respect", note="Propos blessants.")
    entry = AuditLog.objects.get()
    assert entry.actor == moderator
    assert (entry.target_type, entry.target_id) == ("answer", answer.pk)
    assert "Propos blessants." in entry.reason
    assert entry.before["visibility"] == "published"
    assert entry.after["visibility"] == "hidden"


def test_a_no_op_is_not_a_decision(moderator, question):
    thread_tools.set_pinned(moderator=moderator, question=question, pinned=False)
    thread_tools.set_locked(moderator=moderator, question=question, locked=False)
    assert not AuditLog.objects.exists()


def test_entries_cannot_be_changed_or_deleted_through_the_orm(answer, moderator):
    moderation.hide_post(moderator=moderator, post=answer, clause="respect")
    entry = AuditLog.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get().reason != "rewritten"


def test_moderators_search_by_action_actor_target_and_date(moderator, student, question, answer):
    thread_tools.set_locked(moderator=moderator, question=question, locked=True)
    moderation.hide_post(moderator=moderator, post=answer, clause="spam")
    sanctions.warn_member(moderator=moderator, member=student, clause="respect")
    assert queries.audit_log(action="thread.").count() == 1
    assert queries.audit_log(action="member").get().target_id == student.pk
    assert queries.audit_log(actor="MODO").count() == 3
    assert queries.audit_log(actor="alice").count() == 0
    assert queries.audit_log(target=f"answer:{answer.pk}").get().action == "review.hide"
    assert queries.audit_log(target="user").count() == 1
    today = timezone.localdate()
    assert queries.audit_log(date_from=today, date_to=today).count() == 3
    assert queries.audit_log(date_from=today + timedelta(days=1)).count() == 0


@pytest.fixture
def superuser_client(client, db):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def entry(db, moderator):
    answer = make_answer(author=make_user(), question=make_question(author=make_user()))
    flag_post(user=moderator, post=answer, reason="harassment")
    return AuditLog.objects.get()


def test_the_admin_lists_and_shows_entries_read_only(superuser_client, entry):
    listing = superuser_client.get(reverse("admin:forum_auditlog_changelist"))
    assert listing.status_code == 200
    assert "post.hidden_pending_review" in listing.text
    assert 'name="action"' not in listing.text  # no bulk action, not even "delete selected"
    detail = superuser_client.get(reverse("admin:forum_auditlog_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.text


def test_the_admin_cannot_add_change_or_delete_entries(superuser_client, entry):
    before = list(AuditLog.objects.values())
    attempts = [
        superuser_client.post(reverse("admin:forum_auditlog_add"), {"action": "forged", "target_type": "user"}),
        superuser_client.post(
            reverse("admin:forum_auditlog_change", args=[entry.pk]),
            {"action": "forged", "target_type": "user", "reason": "rewritten"},
        ),
        superuser_client.post(reverse("admin:forum_auditlog_delete", args=[entry.pk]), {"post": "yes"}),
        superuser_client.post(
            reverse("admin:forum_auditlog_changelist"),
            {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
        ),
    ]
    assert [response.status_code for response in attempts[:3]] == [403, 403, 403]
    assert attempts[3].status_code in {200, 302}  # ignored: the action does not exist
    assert list(AuditLog.objects.values()) == before
