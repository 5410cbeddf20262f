"""A member deletes their account: every personal value is gone from every
table (a scan of each text, char, email and JSON column of every model), their
threads still read for everyone else with "Deleted member" as the author, and
posts they chose to remove go through the withdrawal path (counts, search)."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import Client, TestCase
from django.urls import reverse

from forum import replay, search
from forum.exceptions import InvalidInput, NotAllowed
from forum.models import AuditLog, Question, User, Visibility
from forum.services.account_deletion import delete_account
from tests.personal_data import PASSWORD, make_member_with_everything

TEXT_COLUMNS = (models.CharField, models.TextField, models.EmailField, models.JSONField)


def scan_every_table(values: dict[str, str]) -> list[str]:
    """Every text-like column of every model, searched for every value
    (case-insensitive, anywhere in the text: JSON is read as its text)."""
    found = []
    for model in apps.get_models():
        columns = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_COLUMNS)]
        for column in columns:
            as_text = Cast(column.name, TextField())
            queryset = model._base_manager.annotate(_scanned=as_text)
            for name, value in values.items():
                if queryset.filter(_scanned__icontains=value).exists():
                    found.append(f"{model._meta.label}.{column.name} holds {name}")
    return found


@pytest.fixture
def zelie(db):
    return make_member_with_everything()


def erase(zelie, **choices):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return delete_account(member=zelie.user, password=PASSWORD, **choices)


def test_the_scan_sees_the_values_before_deletion(zelie):
    # Otherwise an empty result after deletion would prove nothing.
    found = scan_every_table(zelie.values)
    for name in ("username", "email", "display_name", "first_name", "last_name", "school", "bio", "work_email"):
        assert any(line.endswith(f"holds {name}") for line in found), name


def test_after_deletion_no_table_holds_a_personal_value(zelie):
    erase(zelie)
    assert scan_every_table(zelie.values) == []


def test_their_threads_still_read_for_others_with_a_deleted_member(zelie, settings):
    erased = erase(zelie)
    assert erased.erased_at
    assert not erased.is_active
    assert not erased.has_usable_password()
    reader = Client()
    reader.force_login(zelie.others[0])
    page = reader.get(zelie.question.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Membre supprimé" in html
    assert zelie.question.title in html
    assert zelie.values["display_name"] not in html
    assert erased.username not in html  # no link to a profile that no longer exists

    english = Client().get(zelie.answer.question.get_absolute_url() + "?lang=en")
    assert english.status_code == 200
    assert "Deleted member" in english.content.decode()

    api = reader.get(f"/api/v1/threads/{zelie.question.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200
    assert api.json()["author"]["display_name"] == "Deleted member"
    answers = reader.get(f"/api/v1/threads/{zelie.answer.question_id}/answers/", HTTP_ACCEPT_LANGUAGE="en").json()
    authors = {row["id"]: row["author"] for row in answers["results"]}
    assert authors[zelie.answer.pk]["display_name"] == "Deleted member"
    assert Client().get(f"/membres/{zelie.values['username']}/").status_code == 404


def test_deletion_needs_the_password_and_changes_nothing_without_it(zelie):
    with pytest.raises(InvalidInput) as refused:
        delete_account(member=zelie.user, password="not-my-password")
    assert "password" in refused.value.fields
    member = User.objects.get(pk=zelie.user.pk)
    assert member.is_active
    assert member.erased_at is None
    assert member.username == zelie.values["username"]


def test_only_their_own_posts_can_be_chosen_for_removal(zelie):
    with pytest.raises(InvalidInput) as refused:
        delete_account(member=zelie.user, password=PASSWORD, answer_ids=[zelie.reply_to_them.pk])
    assert "answers" in refused.value.fields
    assert User.objects.get(pk=zelie.user.pk).erased_at is None


def test_removing_every_post_goes_through_withdrawal(zelie):
    thread_of_other = zelie.answer.question
    count_before = Question.objects.get(pk=thread_of_other.pk).answer_count
    erase(zelie, remove_all_posts=True)
    question = Question.objects.get(pk=zelie.question.pk)
    assert question.visibility == Visibility.WITHDRAWN
    assert question.body == ""
    assert not question.revisions.exists()
    answer = type(zelie.answer).objects.get(pk=zelie.answer.pk)
    assert answer.visibility == Visibility.WITHDRAWN
    assert answer.body == ""
    assert Question.objects.get(pk=thread_of_other.pk).answer_count == count_before - 1
    hits = search.search("logistique", viewer=zelie.others[0]).hits
    assert zelie.question.pk not in [hit.question.pk for hit in hits]
    assert Client().get(zelie.question.get_absolute_url()).status_code == 404


def test_removing_chosen_posts_keeps_the_others(zelie):
    erase(zelie, answer_ids=[zelie.answer.pk])
    assert type(zelie.answer).objects.get(pk=zelie.answer.pk).visibility == Visibility.WITHDRAWN
    assert Question.objects.get(pk=zelie.question.pk).visibility == Visibility.PUBLISHED


def test_the_deletion_is_audited_without_naming_the_member(zelie):
    erased = erase(zelie)
    entry = AuditLog.objects.get(action="member.account_deleted")
    assert (entry.target_type, entry.target_id, entry.target_repr) == ("user", erased.pk, erased.username)
    # The warning the member received is still in the log, with the
    # moderator's message redacted where it named them.
    warning = AuditLog.objects.filter(target_type="user", target_id=erased.pk).exclude(pk=entry.pk).get()
    assert warning.actor_id == zelie.moderator.pk
    assert zelie.values["username"] not in str(warning.reason) + str(warning.after) + warning.target_repr
    assert "[deleted]" in str(warning.reason) + str(warning.after) + warning.target_repr


def test_an_erased_account_cannot_be_deleted_again_nor_log_in(zelie):
    erased = erase(zelie)
    with pytest.raises(NotAllowed):
        delete_account(member=erased, password=PASSWORD)
    response = Client().post(reverse("account_login"), {"login": zelie.values["username"], "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in response.wsgi_request.session


def test_cached_pages_feeds_and_websocket_catch_up_show_the_deleted_member(zelie):
    anonymous = Client()
    thread_url = zelie.question.get_absolute_url()
    feed_url = reverse("frontend:feed_tag", kwargs={"slug": "bts"})
    # Rendered (and cached for anonymous readers) while the member exists.
    assert zelie.values["display_name"] in anonymous.get(thread_url).content.decode()
    assert zelie.values["display_name"] in anonymous.get(feed_url).content.decode()
    erase(zelie)

    page = anonymous.get(thread_url).content.decode()
    assert "Membre supprimé" in page
    assert zelie.values["display_name"] not in page
    feed = anonymous.get(feed_url).content.decode()
    assert "Membre supprimé" in feed
    assert zelie.values["display_name"] not in feed

    for url in ("/", reverse("frontend:search") + "?q=logistique"):
        listing = anonymous.get(url).content.decode()
        assert "Membre supprimé" in listing, url
        assert zelie.values["display_name"] not in listing, url
    hits = anonymous.get("/api/v1/search/?q=logistique", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert hits
    assert {hit["thread"]["author"]["display_name"] for hit in hits} == {"Deleted member"}

    caught = replay.catch_up(
        topic=f"thread:{zelie.answer.question_id}", since=0, user=zelie.others[0], is_moderator=False, limit=1000
    )
    authors = [payload["author"] for _, name, payload in caught.events if name == "answer.created"]
    theirs = [author for author in authors if author["id"] == zelie.user.pk]
    assert theirs
    assert all(author["username"].startswith("deleted-") for author in theirs)
    assert all(author["display_name"] in {"Membre supprimé", "Deleted member"} for author in theirs)


def test_mentions_of_the_member_in_others_posts_are_redacted_and_reindexed(zelie):
    reply = zelie.reply_to_them
    assert f"@{zelie.values['username']}" in reply.body
    erase(zelie)
    reply.refresh_from_db()
    assert reply.body.startswith("@[deleted] regarde la convention de ton CFA")
    assert f"@{zelie.values['username']}" not in reply.body_html
    assert all(zelie.values["username"] not in revision.body for revision in reply.revisions.all())
    page = Client().get(zelie.question.get_absolute_url()).content.decode()
    assert "@[deleted] regarde la convention" in page
