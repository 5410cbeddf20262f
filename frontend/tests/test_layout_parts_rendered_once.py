"""{% once %} (frontend/templatetags/layout.py): the layout's parts that
depend only on the language are rendered once per process and language, from
an empty context; the layout and the language switch write exactly what they
wrote without it, for guests and members, in French and English."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db

ONCE = re.compile(r"\{% (end)?once %\}")
# A member's logout form carries a CSRF token masked anew at each render.
MASKED_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def unmasked(html: str) -> str:
    return MASKED_TOKEN.sub('name="csrfmiddlewaretoken"', html)


def request_for(user, path="/recherche/?q=contrat&tag=banque"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def without_once(name: str):
    """The template `name` as it would be without {% once %}."""
    source = get_template(name).template.source
    assert "{% once %}" in source
    return engines["django"].from_string(ONCE.sub("", source))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("who", ["guest", "member"])
def test_the_layout_writes_what_it_wrote_without_once(language, who, student):
    user = student if who == "member" else AnonymousUser()
    django_engine = engines["django"]
    page = django_engine.from_string("{% extends layout %}{% block main %}<p>Le contenu</p>{% endblock %}")
    with translation.override(language):
        for _ in range(2):  # the second from the parts kept
            with_once = page.render({"layout": get_template("frontend/base.html").template}, request_for(user))
            plain = page.render({"layout": without_once("frontend/base.html").template}, request_for(user))
            assert unmasked(with_once) == unmasked(plain)
    assert "<p>Le contenu</p>" in with_once
    assert 'id="live-texts" type="application/json">{"reconnecting"' in with_once


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_language_switch_keeps_its_reader_s_return_address(language):
    name = "frontend/partials/language_switch.html"
    with translation.override(language):
        for path in ("/tags/", "/recherche/?q=%3Cb%3E"):
            request = request_for(AnonymousUser(), path)
            html = get_template(name).render({"request": request}, request)
            assert html == without_once(name).render({"request": request}, request)
            assert f'name="next" value="{path.replace("<", "&lt;")}"' in html
    other = "en" if language == "fr" else "fr"
    assert f'value="{other}" lang="{other}"' in html


def test_a_part_is_rendered_once_per_language_and_sees_no_context():
    template = engines["django"].from_string(
        '{% load i18n layout %}{% once %}{% translate "Search" %}[{{ secret }}]{% endonce %}{{ secret }}'
    )
    with translation.override("fr"):
        assert template.render({"secret": "Alice"}) == "Rechercher[]Alice"
        assert template.render({"secret": "Bob"}) == "Rechercher[]Bob"
    with translation.override("en"):
        assert template.render({"secret": "Carol"}) == "Search[]Carol"
    (node,) = [n for n in template.template.nodelist if type(n).__name__ == "OnceNode"]
    assert sorted(language for language, _prefix in node.rendered) == ["en", "fr"]
