"""/aide/ lists every help page, each of which answers, in both languages; the
footer of every page links to it."""

import pytest
from django.test import Client

from frontend.views.pages import HELP_TOPICS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "heading"), [("fr", "Aide"), ("en", "Help")])
def test_the_help_index_links_every_help_page_and_each_answers(language, heading):
    client = Client(headers={"accept-language": language})
    page = client.get("/aide/").content.decode()

    assert f"<h1>{heading}</h1>" in page
    links = [url for url in (client.get("/aide/").context["topics"]) if url]
    assert len(links) == len(HELP_TOPICS) >= 4
    for topic in links:
        assert f'href="{topic["url"]}"' in page
        assert client.get(topic["url"]).status_code == 200, topic["url"]


def test_every_page_footer_links_the_help():
    assert 'href="/aide/"' in Client().get("/").content.decode()
