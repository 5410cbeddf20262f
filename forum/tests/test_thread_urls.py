"""A thread's address, kept per id, title and prefix (every list row,
search result and REST thread links to one)."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from tests.factories import make_question, make_user

pytestmark = pytest.mark.django_db


def test_the_thread_address_follows_the_title_the_prefix_and_not_the_language():
    question = make_question(author=make_user(), title="Quel salaire pour un apprenti en BTS ?")
    expected = reverse("frontend:thread", kwargs={"pk": question.pk, "slug": "quel-salaire-pour-un-apprenti-en-bts"})
    with translation.override("fr"):
        assert question.get_absolute_url() == expected
    # Addresses have no language prefix: if they get one, the cache's key must too.
    with translation.override("en"):
        assert question.get_absolute_url() == expected
    set_script_prefix("/forum/")
    try:
        assert question.get_absolute_url() == "/forum" + expected
    finally:
        clear_script_prefix()
    question.title = "Rémunération d'un apprenti en BTS"
    assert question.get_absolute_url() == reverse(
        "frontend:thread", kwargs={"pk": question.pk, "slug": "remuneration-d-un-apprenti-en-bts"}
    )
