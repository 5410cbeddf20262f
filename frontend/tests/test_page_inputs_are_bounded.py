"""Page query parameters and path parameters have maximum lengths
(forum.limits): one character more is the 400 page with the reason, never a
500 (security review, finding 9), and tag addresses are canonical (finding 12)."""

import logging

import pytest

from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/?q=" + "x" * 50_000,
        "/?q=" + "x" * 201,
        "/?page=" + "9" * 50_000,
        "/?filter=" + "x" * 50_000,
        "/tags/bts/?q=" + "x" * 50_000,
        "/membres/" + "a" * 151 + "/",
        "/organisations/" + "a" * 81 + "/",
        "/questions/poser/?tag=" + "x" * 101,
    ],
)
def test_it_answers_an_over_long_parameter_with_the_400_page(client, question, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "characters" in response.content.decode()  # the reason, on the error page


def test_a_search_at_the_limit_still_works(client, question):
    # "/?q=" redirects to the search page, which takes it whole.
    response = client.get("/?q=" + "x" * 200, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith("/recherche/?q=xxx")


def test_a_tag_address_in_capitals_redirects_permanently_to_the_canonical_one(client, question):
    response = client.get("/tags/BTS/?filter=unanswered")

    assert response.status_code == 301
    assert response["Location"] == "/tags/bts/?filter=unanswered"
    assert client.get(response["Location"]).status_code == 200


def test_the_api_tag_filter_finds_the_same_threads_whatever_the_case(client, student):
    make_question(author=student, tags=("bts",))

    lower = client.get("/api/v1/threads/?tag=bts").json()["results"]
    upper = client.get("/api/v1/threads/?tag=BTS").json()["results"]

    assert len(lower) == 1
    assert upper == lower


def test_a_refused_page_logs_one_line_without_a_traceback(client, student, caplog):
    client.force_login(student)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/moderation/")

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /moderation/"
    assert record.exc_info is None
    assert record.exc_text is None
