"""The Django admin is not a second, unaudited write path (security review,
finding 11): every registered ModelAdmin is enumerated, and a field, an add or
delete permission or an action that staff could use to change state without
forum/services/ fails here until it is reviewed and added to the allowlists."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from forum.models import AuditLog, DeviceToken, Event
from forum.services.tokens import issue_token
from tests.factories import make_moderator, make_user

pytestmark = pytest.mark.django_db

# (app_label.Model) -> form fields staff may edit directly. Reviewed: only tag
# synonyms, which steer suggestions and the tags of new posts and change no
# existing post, member or badge; everything else goes through a service.
EDITABLE_FIELDS: dict[str, set[str]] = {"forum.TagSynonym": {"name", "tag_name"}}
# Models whose rows staff may add or delete in the admin. Reviewed: tag synonyms only.
ADDABLE: set[str] = {"forum.TagSynonym"}
DELETABLE: set[str] = {"forum.TagSynonym"}
# Admin actions, each of which calls a service (tested below).
ACTIONS = {"forum.User": {"ban_selected", "reactivate_selected"}, "forum.TagSynonym": {"delete_selected"}}


@pytest.fixture
def superuser():
    return make_user(username="root", is_staff=True, is_superuser=True)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable_fields(model_admin, request, obj) -> set[str]:
    form = model_admin.get_form(request, obj)
    readonly = set(model_admin.get_readonly_fields(request, obj))
    return {name for name, field in form.base_fields.items() if name not in readonly and not field.disabled}


def test_no_registered_model_admin_lets_staff_change_state_outside_the_services(superuser, question):
    request = _request(superuser)
    problems = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        obj = model.objects.first()
        admins = [model_admin, *model_admin.get_inline_instances(request, obj)]
        for each in admins:
            if each.has_change_permission(request, obj):
                extra = (
                    _editable_fields(each, request, obj) if each is model_admin else {"(inline rows)"}
                ) - EDITABLE_FIELDS.get(label, set())
                if extra:
                    problems.append(f"{label}: editable {sorted(extra)}")
            can_add = (
                each.has_add_permission(request, obj) if each is not model_admin else each.has_add_permission(request)
            )
            if can_add and label not in ADDABLE:
                problems.append(f"{label}: {type(each).__name__} can add")
            if each.has_delete_permission(request, obj) and label not in DELETABLE:
                problems.append(f"{label}: {type(each).__name__} can delete")
        actions = set(model_admin.get_actions(request)) - ACTIONS.get(label, set())
        if actions:
            problems.append(f"{label}: actions {sorted(actions)}")
    assert problems == []


def test_the_admin_lists_every_model_and_its_pages_still_open(client, superuser, question):
    client.force_login(superuser)
    assert client.get("/admin/forum/user/").status_code == 200
    assert client.get(f"/admin/forum/user/{question.author_id}/change/").status_code == 200
    assert client.get("/admin/forum/organisation/").status_code == 200


@pytest.fixture
def staff_moderator():
    return make_moderator(username="admin-modo", is_staff=True, is_superuser=True)


def test_banning_from_the_admin_goes_through_the_service(
    client, staff_moderator, student, django_capture_on_commit_callbacks
):
    token, _secret = issue_token(user=student, device_name="Pixel")
    client.force_login(staff_moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/forum/user/", {"action": "ban_selected", "_selected_action": [student.pk]}, follow=True
        )

    assert response.status_code == 200, response.content.decode()[-2000:]
    assert "1 member updated." in response.content.decode() or "1 membre" in response.content.decode(), [
        str(m) for m in response.context["messages"]
    ]
    student.refresh_from_db()
    assert not student.is_active
    entry = AuditLog.objects.get(action="member.ban")
    assert entry.actor == staff_moderator
    assert entry.target_id == student.pk
    assert DeviceToken.objects.get(pk=token.pk).revoked_at is not None
    assert Event.objects.filter(name="session.revoked", recipient_id=student.pk).exists()


def test_reactivating_from_the_admin_is_audited(client, staff_moderator, student):
    student.is_active = False
    student.save(update_fields=["is_active"])
    client.force_login(staff_moderator)

    client.post("/admin/forum/user/", {"action": "reactivate_selected", "_selected_action": [student.pk]})

    student.refresh_from_db()
    assert student.is_active
    assert AuditLog.objects.get(action="member.unban").actor == staff_moderator


def test_the_user_form_cannot_change_is_active_groups_or_names(client, staff_moderator, student):
    client.force_login(staff_moderator)

    response = client.post(
        f"/admin/forum/user/{student.pk}/change/",
        {"username": "renamed", "display_name": "Modérateur", "is_active": "", "groups": []},
    )

    assert response.status_code == 403
    student.refresh_from_db()
    assert (student.username, student.display_name, student.is_active) == ("alice", "Alice", True)
