"""Share cards (OpenGraph, Twitter, the thread's PNG, share links) and Atom
feeds, as anonymous readers and social networks fetch them."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.core.cache import cache
from PIL import Image

from forum.services.moderation import hide_post
from forum.services.questions import edit_question
from forum.services.review_queue import hold_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def local(url: str) -> str:
    assert url.startswith(settings.SITE_URL + "/"), url
    return url[len(settings.SITE_URL) :]


@pytest.fixture
def bank(moderator):
    return make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])


@pytest.fixture
def recruiter(bank, moderator):
    user = make_user(username="nadia", display_name="Nadia")
    grant_badge(user=user, organisation=bank, moderator=moderator, work_email="nadia@banque-exemple.fr")
    return user


def test_a_thread_has_share_tags_and_an_image_of_the_right_size(client, question):
    html = client.get(question.get_absolute_url()).content.decode()

    url = f"{settings.SITE_URL}{question.get_absolute_url()}"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == url
    assert meta(html, "og:title") == question.title.replace("'", "&#x27;")
    assert meta(html, "og:description")
    assert meta(html, "twitter:card") == "summary_large_image"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    image_url = meta(html, "og:image")
    assert meta(html, "twitter:image") == image_url

    response = client.get(local(image_url.replace("&amp;", "&")))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_share_links_load_nothing_from_third_parties(client, question):
    html = client.get(question.get_absolute_url()).content.decode()

    encoded = f"{settings.SITE_URL}{question.get_absolute_url()}".replace(":", "%3A").replace("/", "%2F")
    for network in (
        "https://www.linkedin.com/sharing/share-offsite/?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://x.com/intent/post?url=",
        "https://wa.me/?text=",
        "mailto:?subject=",
    ):
        assert network in html
    assert f"share-offsite/?url={encoded}" in html
    assert "data-share-url" in html
    # Links only: no script, frame or image from those networks.
    assert not re.search(r'<(script|iframe|img)[^>]+src="https?://(?!testserver)', html)


def test_the_image_changes_version_when_a_verified_recruiter_answers(client, question, recruiter, student):
    before = meta(client.get(question.get_absolute_url()).content.decode(), "og:image")
    plain = client.get(local(before.replace("&amp;", "&"))).content
    make_answer(author=recruiter, question=question, body="Chez nous, 80 % du SMIC dès la première année.")
    after = meta(client.get(question.get_absolute_url()).content.decode(), "og:image")

    assert before != after
    verified = client.get(local(after.replace("&amp;", "&"))).content
    # The verified line is drawn: a different picture, the same size.
    assert plain != verified
    assert Image.open(io.BytesIO(verified)).size == (1200, 630)


def test_a_pending_recruiter_answer_does_not_make_the_card_verified(client, question, recruiter):
    before = meta(client.get(question.get_absolute_url()).content.decode(), "og:image")
    held = make_answer(author=recruiter, question=question, body="Réponse en attente de relecture ici.")
    hold_post(post=held, reasons=["links"])

    assert meta(client.get(question.get_absolute_url()).content.decode(), "og:image") == before


def test_the_image_of_a_hidden_thread_is_a_404(client, question, moderator):
    url = f"/questions/{question.pk}/partage.png"
    assert client.get(url).status_code == 200
    hide_post(moderator=moderator, post=question, clause="respect")

    assert client.get(url).status_code == 404


def test_the_image_is_cached_under_the_card_version(client, question, student, django_assert_max_num_queries):
    url = f"/questions/{question.pk}/partage.png"
    first = client.get(url).content
    with django_assert_max_num_queries(6):
        assert client.get(url).content == first
    edit_question(editor=student, question=question, title="Un titre tout neuf pour la carte de partage")

    assert client.get(url).content != first


@pytest.mark.parametrize(
    ("path", "og_type"),
    [("/tags/bts/", "website"), ("/organisations/banque-exemple/", "website"), ("/membres/alice/", "profile")],
)
def test_tags_organisations_and_profiles_have_share_tags(client, question, bank, path, og_type):
    html = client.get(path).content.decode()

    assert meta(html, "og:type") == og_type
    assert meta(html, "og:url") == f"{settings.SITE_URL}{path}"
    assert meta(html, "og:title")
    assert meta(html, "og:description")
    assert meta(html, "twitter:card") == "summary"


def atom_entries(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text
    assert root.find(f"{ATOM}updated").text
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.find(f"{ATOM}id").text,
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feeds_parse_and_list_only_public_questions(client, student, other_student, moderator, bank, recruiter):
    answered = make_question(author=student, title="Une question du tag BTS qui a une réponse", tags=("bts",))
    make_answer(author=recruiter, question=answered)
    unanswered = make_question(author=student, title="Une question du tag BTS sans réponse", tags=("bts",))
    hidden = make_question(author=other_student, title="Une question masquée du tag BTS", tags=("bts",))
    hide_post(moderator=moderator, post=hidden, clause="respect")

    newest = {e["title"] for e in atom_entries(client, "/flux/questions/")}
    tag = {e["title"] for e in atom_entries(client, "/flux/tags/bts/")}
    waiting = {e["title"] for e in atom_entries(client, "/flux/tags/bts/sans-reponse/")}
    organisation = atom_entries(client, "/flux/organisations/banque-exemple/")

    assert newest == tag == {answered.title, unanswered.title}
    assert waiting == {unanswered.title}
    assert [e["title"] for e in organisation] == [f"Nadia answered: {answered.title}"]
    assert organisation[0]["link"].endswith(answered.get_absolute_url() + f"#answer-{answered.answers.get().pk}")
    assert client.get("/flux/tags/inconnu/").status_code == 404
    assert client.get("/flux/organisations/inconnue/").status_code == 404


def test_pages_link_their_feeds(client, question, bank):
    assert 'type="application/atom+xml"' in client.get("/").content.decode()
    assert 'href="/flux/questions/"' in client.get("/").content.decode()
    tag = client.get("/tags/bts/").content.decode()
    assert 'href="/flux/tags/bts/"' in tag
    assert 'href="/flux/tags/bts/sans-reponse/"' in tag
    assert 'href="/flux/organisations/banque-exemple/"' in client.get("/organisations/banque-exemple/").content.decode()
