"""Sitemaps and robots.txt: sitemap XML valid against the sitemaps.org 0.9
schemas (sitemap.xsd, siteindex.xsd, in sitemap_schemas/, validated with
xmlschema) that lists only pages an anonymous reader can open, cached under the
event cursor, constant queries. Beyond the schemas: `loc` on this site, W3C
datetimes, at most 50,000 URLs per file."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import xmlschema
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from forum import queries
from forum.models import Question
from forum.services.moderation import hide_post
from forum.services.questions import edit_question
from forum.services.review_queue import hold_post
from frontend.sitemaps import SITEMAPS
from tests.badge_factories import make_organisation
from tests.factories import make_answer, make_question, make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEMAS = Path(__file__).parent / "sitemap_schemas"
URLSET_SCHEMA = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd")
INDEX_SCHEMA = xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd")
W3C_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$")
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def check_loc(loc: str) -> str:
    assert len(loc) <= 2048
    parts = urlsplit(loc)
    assert f"{parts.scheme}://{parts.netloc}" == settings.SITE_URL, loc
    return parts.path


def parse_index(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    INDEX_SCHEMA.validate(response.content.decode())
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}sitemapindex"
    paths = []
    for sitemap in root:
        assert sitemap.tag == f"{NS}sitemap"
        children = {child.tag: child.text for child in sitemap}
        assert set(children) <= {f"{NS}loc", f"{NS}lastmod"}
        if f"{NS}lastmod" in children:
            assert W3C_DATETIME.match(children[f"{NS}lastmod"])
        paths.append(check_loc(children[f"{NS}loc"]))
    return paths


def parse_urlset(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    URLSET_SCHEMA.validate(response.content.decode())
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}urlset"
    assert len(root) <= 50_000
    paths = []
    for url in root:
        assert url.tag == f"{NS}url"
        children = {child.tag: child.text for child in url}
        assert set(children) <= {f"{NS}loc", f"{NS}lastmod", f"{NS}changefreq", f"{NS}priority"}
        if f"{NS}lastmod" in children:
            assert W3C_DATETIME.match(children[f"{NS}lastmod"])
        if f"{NS}changefreq" in children:
            assert children[f"{NS}changefreq"] in CHANGEFREQ
        paths.append(check_loc(children[f"{NS}loc"]))
    return paths


@pytest.fixture
def forum(student, other_student, third_student, moderator):
    public = make_question(author=student, title="Une question publique sur le BTS en alternance", tags=("bts",))
    make_answer(author=other_student, question=public)
    hidden = make_question(author=third_student, title="Une question masquée par la modération", tags=("secret",))
    hide_post(moderator=moderator, post=hidden, clause="respect")
    held = make_question(author=third_student, title="Une question en attente de relecture", tags=("attente",))
    hold_post(post=held, reasons=["links"])
    # A member whose only answer is held has no public activity.
    quiet = make_user(username="discret")
    held_answer = make_answer(author=quiet, question=public)
    hold_post(post=held_answer, reasons=["links"])
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])
    # Live sessions: a past one is listed by its transcript, an upcoming one by its page.
    host = make_verified_hr(moderator=moderator, username="helene", organisation=bank)
    past = set_clock(make_live_session(organiser=host, title="Chat conseil de la rentrée"), "closed")
    upcoming = make_live_session(organiser=host, title="Chat conseil du printemps")
    return {"public": public, "hidden": hidden, "held": held, "past": past, "upcoming": upcoming}


def test_the_index_lists_each_section_and_each_lists_only_what_anyone_can_open(client, forum):
    sections = parse_index(client)
    assert sections == [f"/sitemap-{name}.xml" for name in SITEMAPS]

    listed = [path for section in sections for path in parse_urlset(client, section)]

    assert forum["public"].get_absolute_url() in listed
    assert "/tags/bts/" in listed
    assert "/organisations/banque-exemple/" in listed
    assert forum["past"].get_transcript_url() in listed
    assert forum["upcoming"].get_absolute_url() in listed
    assert {"/membres/alice/", "/membres/bob/"} <= set(listed)
    for path in listed:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'<meta name="robots" content="noindex">' not in response.content, path
    text = " ".join(listed)
    # (Scoped to thread URLs: a live session may share the hidden thread's id.)
    assert f"/questions/{forum['hidden'].pk}/" not in text.replace(forum["public"].get_absolute_url(), "")
    for absent in ("/tags/secret/", "/tags/attente/", "/membres/discret/", "/membres/charlie/"):
        assert absent not in listed


def test_the_lastmod_of_a_thread_is_its_last_activity(client, forum):
    root = ET.fromstring(client.get("/sitemap-questions.xml").content)
    (entry,) = [url for url in root if forum["public"].get_absolute_url() in url.find(f"{NS}loc").text]

    assert entry.find(f"{NS}lastmod").text == forum["public"].last_activity_at.date().isoformat()


def test_a_cached_sitemap_follows_a_title_edit_at_the_next_event(client, forum, student):
    old = forum["public"].get_absolute_url()
    assert old in parse_urlset(client, "/sitemap-questions.xml")

    edit_question(editor=student, question=forum["public"], title="Un nouveau titre pour la question publique")

    listed = parse_urlset(client, "/sitemap-questions.xml")
    assert old not in listed
    assert f"/questions/{forum['public'].pk}/un-nouveau-titre-pour-la-question-publique/" in listed


def test_a_sitemap_page_costs_the_same_queries_for_1_or_30_threads(
    client, student, django_assert_num_queries, django_assert_max_num_queries
):
    make_question(author=student)
    # Cold: cursor, site, count, rows. Warm: the cursor only.
    with django_assert_max_num_queries(4):
        client.get("/sitemap-questions.xml")
    for _ in range(29):
        make_question(author=student)
    cache.clear()
    with django_assert_max_num_queries(4):
        assert len(parse_urlset(client, "/sitemap-questions.xml")) == 30
    with django_assert_num_queries(1):
        client.get("/sitemap-questions.xml")


def test_an_unknown_section_or_page_is_a_404(client, forum):
    assert client.get("/sitemap-nope.xml").status_code == 404
    assert client.get("/sitemap-questions.xml?p=9").status_code == 404
    assert client.get("/sitemap-questions.xml?p=x").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_off_private_areas(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    for private in ("/moderation/", "/comptes/", "/api/", "/admin/"):
        assert f"Disallow: {private}" in lines


@pytest.mark.parametrize(
    ("path", "indexed"),
    [
        ("/", True),
        ("/?page=2", True),
        ("/recherche/?q=contrat", False),
        ("/?filter=unanswered", False),
        ("/tags/", True),
        ("/charte/", True),
        ("/comptes/login/", False),
        ("/comptes/signup/", False),
    ],
)
def test_search_results_and_account_pages_are_not_indexed(client, forum, path, indexed):
    html = client.get(path).content.decode()

    assert ('<meta name="robots" content="noindex">' not in html) is indexed
    assert ('rel="canonical"' in html) is indexed


def test_moderation_pages_are_not_indexed(client, moderator):
    client.force_login(moderator)
    for path in ("/moderation/", "/moderation/journal/", "/badges/", "/mon-profil/"):
        html = client.get(path).content.decode()
        assert '<meta name="robots" content="noindex">' in html, path


def test_the_canonical_url_keeps_the_page_and_language_and_lists_hreflang_alternates(client, forum):
    html = client.get("/tags/bts/?page=1&lang=en&utm_source=x").content.decode()
    # A tracking parameter makes the page a variant: not indexed as such.
    assert '<meta name="robots" content="noindex">' in html

    html = client.get("/tags/bts/?lang=en").content.decode()
    base = f"{settings.SITE_URL}/tags/bts/"
    assert '<html lang="en">' in html
    assert f'<link rel="canonical" href="{base}?lang=en">' in html
    assert f'<link rel="alternate" hreflang="fr" href="{base}?lang=fr">' in html
    assert f'<link rel="alternate" hreflang="en" href="{base}?lang=en">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{base}">' in html
    assert '<html lang="fr">' in client.get("/tags/bts/?lang=fr", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_tag_is_dated_by_its_latest_public_thread(student, third_student, moderator):
    older = make_question(author=student, tags=("bts", "alternance"))
    newer = make_question(author=student, tags=("bts",))
    hidden = make_question(author=third_student, tags=("bts", "alternance"))
    hide_post(moderator=moderator, post=hidden, clause="respect")
    now = timezone.now()
    for question, age in ((older, 3), (newer, 2), (hidden, 1)):
        Question.objects.filter(pk=question.pk).update(last_activity_at=now - timedelta(days=age))

    assert list(queries.sitemap_tags()) == [
        ("alternance", now - timedelta(days=3)),
        ("bts", now - timedelta(days=2)),
    ]
