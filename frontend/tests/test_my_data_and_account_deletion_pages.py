"""The member's "My data" page: download, delete the account with the
password (a wrong one shows the form again with the message), the moderator's
answer to an access request, and the privacy policy and legal notice linked
from every page's footer, in French and English."""

import json

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from forum.models import AuditLog, User, Visibility
from tests.personal_data import PASSWORD, make_member_with_everything


@pytest.fixture
def zelie(db):
    return make_member_with_everything()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_data_page_offers_download_and_deletion(zelie):
    client = logged_in(zelie.user)
    page = client.get(reverse("frontend:my_data"))
    assert page.status_code == 200
    assert reverse("frontend:download_my_data") in page.content.decode()
    download = client.get(reverse("frontend:download_my_data"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["member"]["username"] == zelie.values["username"]


def test_the_pages_need_a_login(db):
    for name in ("frontend:my_data", "frontend:download_my_data", "frontend:delete_account"):
        assert Client().get(reverse(name)).status_code == 302


def test_a_wrong_password_shows_the_form_again(zelie):
    client = logged_in(zelie.user)
    response = client.post(reverse("frontend:delete_account"), {"password": "nope", "posts": "keep"})
    assert response.status_code == 400
    assert "Ce mot de passe n’est pas correct." in response.content.decode()
    assert User.objects.get(pk=zelie.user.pk).erased_at is None


def test_deleting_with_chosen_posts_logs_out_and_keeps_the_rest(zelie):
    client = logged_in(zelie.user)
    form = client.get(reverse("frontend:delete_account")).content.decode()
    assert f'value="{zelie.answer.pk}"' in form
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("frontend:delete_account"),
            {"password": PASSWORD, "posts": "chosen", "answer_ids": [zelie.answer.pk]},
        )
    assert response.status_code == 303
    assert User.objects.get(pk=zelie.user.pk).erased_at is not None
    assert type(zelie.answer).objects.get(pk=zelie.answer.pk).visibility == Visibility.WITHDRAWN
    assert client.get(reverse("frontend:my_data")).status_code == 302  # logged out
    thread = Client().get(zelie.question.get_absolute_url())
    assert thread.status_code == 200
    assert "Membre supprimé" in thread.content.decode()


def test_a_moderator_downloads_a_members_data_and_it_is_logged(zelie):
    url = reverse("frontend:moderation_member_export", kwargs={"username": zelie.values["username"]})
    assert logged_in(zelie.others[0]).post(url).status_code in {403, 404}
    record = logged_in(zelie.moderator).get(
        reverse("frontend:moderation_member", kwargs={"username": zelie.values["username"]})
    )
    assert url in record.content.decode()
    response = logged_in(zelie.moderator).post(url, {"reason": "Courriel du 2 décembre"})
    assert response.status_code == 200
    assert json.loads(response.content)["member"]["id"] == zelie.user.pk
    assert AuditLog.objects.get(action="member.data_exported").reason == "Courriel du 2 décembre"


@pytest.mark.parametrize(
    ("name", "french", "english"),
    [
        ("frontend:privacy", "Politique de confidentialité", "Privacy policy"),
        ("frontend:legal_notice", "Mentions légales", "Legal notice"),
    ],
)
def test_policy_pages_in_both_languages_linked_from_the_footer(db, name, french, english):
    url = reverse(name)
    home = Client().get("/").content.decode()
    assert f'href="{url}"' in home
    fr = Client().get(url).content.decode()
    assert f"<h1>{french}</h1>" in fr
    en = Client().get(url + "?lang=en").content.decode()
    assert f"<h1>{english}</h1>" in en
    if name == "frontend:privacy":
        assert "365" in fr
        assert "sessionid" in en
        assert "no banner" in en
