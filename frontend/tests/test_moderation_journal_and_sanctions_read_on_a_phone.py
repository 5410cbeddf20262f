"""The moderation journal reads as sentences (labelled actions and targets,
what changed), its action filter is a list, and banning takes an explicit
confirmation that holds without JavaScript."""

import pytest
from django.test import Client

from forum.models import AuditLog
from forum.services.moderation import hide_post
from forum.services.sanctions import suspend_member


@pytest.fixture
def french_moderator(moderator):
    client = Client()  # no language preference: French, the site's default
    client.force_login(moderator)
    return client


def test_the_journal_labels_actions_and_targets_in_french(french_moderator, moderator, answer, other_student):
    suspend_member(moderator=moderator, member=other_student, days=3, clause="respect", message="Pause.")
    hide_post(moderator=moderator, post=answer, clause="respect", note="Reformulez.")

    page = french_moderator.get("/moderation/journal/").content.decode()

    entries = page.split('<ol class="journal"')[1]
    assert "Membre suspendu" in entries
    assert f"Membre @{other_student.username}" in entries
    assert "Message masqué" in entries
    assert f"Réponse n° {answer.pk} à la question « {answer.question.title} »" in entries
    # Details are readable text (labels, "published → hidden"), not JSON.
    assert "Visibilité" in entries
    assert "masqué" in entries
    assert "{&#x27;" not in entries
    assert "{'" not in entries


def test_the_action_filter_is_a_list_of_labelled_choices(french_moderator, moderator, other_student):
    suspend_member(moderator=moderator, member=other_student, days=3, clause="respect")

    page = french_moderator.get("/moderation/journal/?action=member.suspend").content.decode()

    assert '<select name="action"' in page
    assert '<option value="member.suspend" selected>Membre suspendu</option>' in page
    assert "Toutes les actions" in page


def test_an_unknown_action_filter_is_ignored_not_an_error(french_moderator, moderator, other_student):
    suspend_member(moderator=moderator, member=other_student, days=3, clause="respect")

    response = french_moderator.get("/moderation/journal/?action=" + "x" * 50)

    assert response.status_code == 200
    assert "Membre suspendu" in response.content.decode()
    # Past its documented maximum length a parameter is refused, like every other (forum/limits.py).
    assert french_moderator.get("/moderation/journal/?action=" + "x" * 500).status_code == 400


def test_it_refuses_a_ban_without_the_confirmation(french_moderator, other_student):
    url = f"/moderation/membres/{other_student.username}/"

    response = french_moderator.post(url, {"action": "ban", "clause": "respect"})

    assert response.status_code == 400
    assert "Cochez la case pour confirmer le bannissement." in response.content.decode()
    other_student.refresh_from_db()
    assert other_student.is_active
    assert not AuditLog.objects.filter(action="member.ban").exists()


def test_a_confirmed_ban_deactivates_the_account(french_moderator, other_student):
    url = f"/moderation/membres/{other_student.username}/"

    response = french_moderator.post(url, {"action": "ban", "clause": "respect", "confirm_ban": "on"})

    assert response.status_code == 303
    other_student.refresh_from_db()
    assert not other_student.is_active
    assert AuditLog.objects.filter(action="member.ban").exists()


def test_the_days_sit_beside_suspend_and_the_ban_is_behind_a_confirmation(french_moderator, other_student):
    page = french_moderator.get(f"/moderation/membres/{other_student.username}/").content.decode()

    suspend = page.split('class="sanction-actions__row"')[1].split("</span>")[0]
    assert 'name="days"' in suspend
    assert 'value="suspend"' in suspend
    ban = page.split('<details class="ban-confirm"')[1].split("</details>")[0]
    assert 'name="confirm_ban"' in ban
    assert 'value="ban"' in ban


def test_every_action_the_services_record_has_a_label_and_a_family():
    """A new audited action must read as words in the journal, and be found by its filter."""
    import ast
    from pathlib import Path

    from frontend.journal import ACTION_LABELS, FAMILIES

    recorded = set()
    for path in Path("forum/services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            literal = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant)
            if literal and node.arg == "action" and isinstance(node.value.value, str):
                recorded.add(node.value.value)
    assert {"live.cancel", "member.warn"} <= recorded  # the walk finds them
    assert sorted(recorded - set(ACTION_LABELS)) == []
    assert [code for code in ACTION_LABELS if not code.startswith(tuple(FAMILIES))] == []
