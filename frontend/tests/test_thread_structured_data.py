"""The thread page's schema.org data (QAPage, BreadcrumbList): every field
checked against what the page itself shows, and only what an anonymous reader
may see, whoever is looking."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from forum.services.answers import accept_answer
from forum.services.moderation import hide_post
from forum.services.review_queue import hold_post
from forum.services.verification import revoke_badge
from forum.services.votes import cast_vote
from frontend.structured_data import plain_text
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The JSON-LD blocks of a page, and the inner HTML of each answer's body."""

    def __init__(self, html: str):
        super().__init__()
        self.blocks: list[str] = []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._in_ld = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.blocks.append(data)

    def handle_endtag(self, tag):
        self._in_ld = False


def json_ld(html: str) -> list[dict]:
    return [json.loads(block) for block in _Page(html).blocks]


def shown_body(html: str, answer_id: int) -> str:
    """What the page shows as the text of one answer."""
    article = html[html.index(f'id="answer-{answer_id}"') :]
    body = re.search(r"<div class=\"prose answer__body\" data-answer-body>(.*?)</div>\s*<footer", article, re.S)
    return plain_text(body.group(1))


def shown_votes(html: str, answer_id: int) -> int:
    article = html[html.index(f'id="answer-{answer_id}"') :]
    return int(re.search(r"data-vote-count>(\d+)<", article).group(1))


@pytest.fixture
def thread(student, other_student, third_student, moderator):
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])
    recruiter = make_user(username="nadia", display_name="Nadia")
    badge = grant_badge(user=recruiter, organisation=bank, moderator=moderator, work_email="nadia@banque-exemple.fr")
    question = make_question(
        author=student,
        title="Quel salaire en alternance à la « Banque » <Exemple> ?",
        body="Je commence un **BTS** en septembre & je me demande : combien ?",
        tags=("salaire", "banque"),
    )
    accepted = make_answer(author=other_student, question=question, body="Le **minimum légal** dépend de ton âge.")
    verified = make_answer(author=recruiter, question=question, body="Chez nous, 80 % du SMIC dès la première année.")
    cast_vote(user=third_student, answer=verified)
    accept_answer(user=student, answer=accepted)
    hidden = make_answer(author=third_student, question=question, body="Réponse masquée par la modération.")
    hide_post(moderator=moderator, post=hidden, clause="respect")
    pending = make_answer(author=third_student, question=question, body="Réponse en attente de relecture ici.")
    hold_post(post=pending, reasons=["links"])
    return {
        "question": question,
        "accepted": accepted,
        "verified": verified,
        "hidden": hidden,
        "pending": pending,
        "badge": badge,
    }


def test_the_qapage_says_what_the_page_shows(client, thread):
    question, accepted, verified = thread["question"], thread["accepted"], thread["verified"]
    html = client.get(question.get_absolute_url()).content.decode()

    qa_page, breadcrumbs = json_ld(html)

    assert qa_page["@context"] == "https://schema.org"
    assert qa_page["@type"] == "QAPage"
    entity = qa_page["mainEntity"]
    url = f"{settings.SITE_URL}{question.get_absolute_url()}"
    assert entity["@type"] == "Question"
    assert entity["name"] == "Quel salaire en alternance à la « Banque » <Exemple> ?"
    assert "Quel salaire en alternance à la « Banque » &lt;Exemple&gt; ?</h1>" in html
    assert entity["text"] == "Je commence un BTS en septembre & je me demande : combien ?"
    assert entity["url"] == url
    assert entity["dateCreated"] == question.created_at.isoformat()
    assert entity["author"] == {"@type": "Person", "name": "Alice", "url": f"{settings.SITE_URL}/membres/alice/"}
    # The page lists two answers to an anonymous reader, and so does the data.
    assert entity["answerCount"] == 2 == html.count('<article class="answer')

    accepted_data = entity["acceptedAnswer"]
    assert accepted_data["@type"] == "Answer"
    assert accepted_data["text"] == shown_body(html, accepted.pk) == "Le minimum légal dépend de ton âge."
    assert accepted_data["upvoteCount"] == shown_votes(html, accepted.pk) == 0
    assert accepted_data["url"] == f"{url}#answer-{accepted.pk}"
    assert accepted_data["dateCreated"] == accepted.created_at.isoformat()
    assert accepted_data["author"]["name"] == accepted.author.public_name
    assert "worksFor" not in accepted_data["author"]
    assert f'id="answer-{accepted.pk}"' in html

    (suggested,) = entity["suggestedAnswer"]
    assert suggested["text"] == shown_body(html, verified.pk) == "Chez nous, 80 % du SMIC dès la première année."
    assert suggested["upvoteCount"] == shown_votes(html, verified.pk) == 1
    assert suggested["url"] == f"{url}#answer-{verified.pk}"
    assert suggested["author"]["name"] == "Nadia"
    assert suggested["author"]["worksFor"] == [
        {"@type": "Organization", "name": "Banque Exemple", "url": f"{settings.SITE_URL}/organisations/banque-exemple/"}
    ]

    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [(item["position"], item["name"], item["item"]) for item in breadcrumbs["itemListElement"]] == [
        (1, "Alternance Q&A", f"{settings.SITE_URL}/"),
        (2, "salaire", f"{settings.SITE_URL}/tags/salaire/"),
        (3, entity["name"], url),
    ]


def test_the_json_cannot_close_its_script_element(client, thread):
    html = client.get(thread["question"].get_absolute_url()).content.decode()

    for block in _Page(html).blocks:
        assert "<" not in block
        assert ">" not in block
    assert "\\u003CExemple\\u003E" in html


@pytest.mark.parametrize("viewer", ["author_of_the_held_answers", "moderator"])
def test_hidden_and_pending_answers_never_reach_it_whoever_looks(client, thread, third_student, moderator, viewer):
    client.force_login(third_student if viewer == "author_of_the_held_answers" else moderator)
    html = client.get(thread["question"].get_absolute_url()).content.decode()
    # This viewer sees the held answers on the page...
    assert f'id="answer-{thread["hidden"].pk}"' in html
    assert f'id="answer-{thread["pending"].pk}"' in html

    # ...but the structured data is the anonymous reader's.
    (qa_page, _) = json_ld(html)
    data = json.dumps(qa_page)
    assert qa_page["mainEntity"]["answerCount"] == 2
    assert "masquée" not in data
    assert "attente" not in data
    assert f"answer-{thread['hidden'].pk}" not in data
    assert f"answer-{thread['pending'].pk}" not in data


def test_a_held_question_has_no_structured_data_and_is_not_indexed(client, student, moderator):
    question = make_question(author=student, title="Une question masquée par la modération du forum")
    hide_post(moderator=moderator, post=question, clause="respect")
    client.force_login(student)

    html = client.get(question.get_absolute_url()).content.decode()

    assert json_ld(html) == []
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


def test_it_is_built_once_for_every_reader_and_follows_the_thread(
    client, thread, third_student, moderator, django_capture_on_commit_callbacks
):
    # Shared between readers (frontend.views.questions._structured_data): the
    # first reader here sees held answers, the data must not.
    path = thread["question"].get_absolute_url()
    member = Client()
    member.force_login(third_student)

    def data(reader):
        (qa_page, _) = json_ld(reader.get(path).content.decode())
        (suggested,) = qa_page["mainEntity"]["suggestedAnswer"]
        return qa_page, suggested

    first, _ = data(member)
    assert data(client)[0] == first

    cast_vote(user=make_user(username="zoe"), answer=thread["verified"])
    _, suggested = data(member)
    assert suggested["upvoteCount"] == 2

    with django_capture_on_commit_callbacks(execute=True):  # the generation moves on commit
        revoke_badge(moderator=moderator, badge=thread["badge"], reason="A quitté l'entreprise.")
    _, suggested = data(member)
    assert "worksFor" not in suggested["author"]
    assert data(client)[0]["mainEntity"]["answerCount"] == 2
