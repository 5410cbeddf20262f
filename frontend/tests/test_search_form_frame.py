"""The search page's form from its frame (frontend.search_form_frame): the
same HTML as Django's rendering for any words, filters, facets and language;
rendered as before when the form has errors or no words; the words escaped."""

import pytest
from django.http import QueryDict
from django.utils import translation

from forum.thread_filters import ThreadFilters
from frontend import search_form_frame
from frontend.forms import SearchForm


@pytest.fixture(autouse=True)
def fresh_frames():
    search_form_frame._frame.cache_clear()
    yield
    search_form_frame._frame.cache_clear()


def bound(query: str) -> tuple[SearchForm, ThreadFilters]:
    data = QueryDict(query)
    form = SearchForm(data)
    form.is_valid()
    return form, ThreadFilters.parse(data, lenient=True)


QUERIES = [
    "q=contrat",
    "q=r%C3%A9mun%C3%A9ration+apprenti",
    "q=%22%3Cscript%3Ealert(1)%3C%2Fscript%3E%22+%26+l%27%C3%A9cole",
    "q=bts&filter=solved&sort=recency",
    "q=bts&tag=banque&since=2026-01-01&until=2026-06-30",
    "q=contrat&diploma=bts&region=bretagne&contract=apprentissage",
    "q=contrat&filter=unanswered&filter=solved&tag=a&tag=banque",
    "q=salaire&diploma=not-a-diploma",
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_frame_writes_what_django_renders(query, language):
    with translation.override(language):
        form, facets = bound(query)
        assert not form.errors
        expected = search_form_frame._render(form, facets)
        assert search_form_frame.render(form, facets) == expected
        # From the frame made by the first call, with other words too.
        other_form, other_facets = bound(query.replace("q=", "q=autre+chose+", 1))
        assert search_form_frame.render(other_form, other_facets) == search_form_frame._render(other_form, other_facets)
    assert search_form_frame._frame.cache_info().hits >= 1


def test_one_frame_per_language_and_filters():
    with translation.override("fr"):
        search_form_frame.render(*bound("q=contrat"))
        search_form_frame.render(*bound("q=salaire"))
        french = search_form_frame.render(*bound("q=bts"))
        search_form_frame.render(*bound("q=bts&sort=recency"))
    with translation.override("en"):
        english = search_form_frame.render(*bound("q=bts"))
    assert search_form_frame._frame.cache_info().currsize == 3
    assert "Filtres et tri" in french
    assert 'value="bts"' in french
    assert "Filters and sorting" in english
    assert 'value="bts"' in english


def test_words_are_escaped_into_the_frame():
    with translation.override("fr"):
        html = search_form_frame.render(*bound("q=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%22"))
    assert "<img" not in html
    assert 'value="&lt;img src=x onerror=alert(1)&gt;&quot;"' in html


@pytest.mark.parametrize(
    "query",
    [
        "q=contrat&since=pas-une-date",  # an error shown next to its field
        "q=",  # no words: no value attribute at all
        "q=contrat&tag=%EE%80%80",  # the placeholder itself among the values
    ],
)
def test_rendered_as_before_without_a_frame(query):
    with translation.override("fr"):
        form, facets = bound(query)
        assert search_form_frame.render(form, facets) == search_form_frame._render(form, facets)
    assert search_form_frame._frame.cache_info().currsize == 0


def test_the_search_page_shows_the_form_with_the_words(client, db):
    response = client.get("/recherche/", {"q": "contrat <b>", "tag": "banque", "sort": "recency"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q" value="contrat &lt;b&gt;"' in html
    assert 'name="tag" value="banque"' in html
    assert '<option value="recency" selected>' in html
    assert html.count('class="search-form card"') == 1
