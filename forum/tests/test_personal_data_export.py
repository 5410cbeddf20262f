"""A member's export holds every row that is about them and every column of
those rows but declared secrets; the list of what to export is checked
against the models themselves, so a new model or column that holds personal
data fails here until the export handles it."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from forum.exceptions import NotAllowed
from forum.models import AuditLog
from forum.services import data_export
from tests.personal_data import make_member_with_everything


def _member_foreign_keys() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is user_model:
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_foreign_key_to_a_member_is_exported_or_explained():
    exported = {
        f"{section.model._meta.label}.{name}" for section in data_export.SECTIONS for name in section.member_fields
    }
    unexplained = _member_foreign_keys() - exported - set(data_export.NOT_EXPORTED)
    assert not unexplained, f"add these to data_export.SECTIONS or NOT_EXPORTED: {sorted(unexplained)}"
    # And nothing listed there is stale.
    assert exported | set(data_export.NOT_EXPORTED) <= _member_foreign_keys()


def test_only_declared_secrets_are_left_out():
    for section in data_export.SECTIONS:
        columns = {f.name for f in section.model._meta.concrete_fields}
        assert set(section.left_out) <= columns, section.name


@pytest.fixture
def zelie(db):
    return make_member_with_everything()


def _ids(export, section):
    return sorted(row["id"] for row in export[section])


def test_the_export_holds_every_row_and_column_about_the_member(zelie):
    member = zelie.user
    export = data_export.export_my_data(member=member)
    json.dumps(export)  # plain JSON, as served

    for section in data_export.SECTIONS:
        rows = section.model._default_manager.filter(section.rows(member)).order_by("pk")
        shown = [export["member"]] if section.name == "profile" else export[section.name]
        assert len(shown) == rows.count(), section.name
        for row, data in zip(rows, shown, strict=True):
            for field in row._meta.concrete_fields:
                if field.name in section.left_out:
                    assert field.attname not in data, (section.name, field.name)
                    continue
                expected = json.loads(json.dumps(getattr(row, field.attname), cls=data_export.DjangoJSONEncoder))
                assert data[field.attname] == expected, (section.name, field.name)

    # What the factory made is there, section by section.
    for section in (
        "email_addresses",
        "questions",
        "answers",
        "revisions",
        "votes",
        "flags_filed",
        "sanctions",
        "charter_hints_dismissal",
        "tag_subscriptions",
        "thread_subscriptions",
        "notifications",
        "notification_preferences",
        "push_devices",
        "device_tokens",
        "verification_requests",
        "badges",
        "live_questions",
        "live_votes",
        "live_session_follows",
        "moderation_log_about_me",
        "sessions",
    ):
        assert export[section], section
    assert _ids(export, "questions") == [zelie.question.pk]
    assert _ids(export, "answers") == [zelie.answer.pk]
    text = json.dumps(export, ensure_ascii=False)
    for name, value in zelie.values.items():
        if name != "ip":  # never stored (test_account_deletion scans for it)
            assert value in text, name


def test_secrets_never_leave_in_an_export(zelie):
    member = zelie.user
    text = json.dumps(data_export.export_my_data(member=member))
    assert member.password not in text
    for token in member.device_tokens.all():
        assert token.key_hash not in text
    for device in member.push_devices.all():
        assert device.token not in text
    for request in member.verification_requests.exclude(token_hash=""):
        assert request.token_hash not in text


def test_a_moderator_answers_an_access_request_and_it_is_audited(zelie):
    export = data_export.answer_access_request(moderator=zelie.moderator, member=zelie.user, reason="Courrier du 2/12")
    assert export["member"]["username"] == zelie.values["username"]
    entry = AuditLog.objects.filter(action="member.data_exported").get()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (zelie.moderator.pk, "user", zelie.user.pk)
    assert entry.reason == "Courrier du 2/12"


def test_a_member_cannot_export_someone_else(zelie):
    with pytest.raises(NotAllowed):
        data_export.answer_access_request(moderator=zelie.others[0], member=zelie.user)
    assert not AuditLog.objects.filter(action="member.data_exported").exists()
