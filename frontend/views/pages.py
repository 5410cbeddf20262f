"""Static pages: the community charter, the Markdown help and the discreet mode help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language


def charter(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/charter")


def prose_page(request: HttpRequest, template_name: str, context: dict | None = None) -> HttpResponse:
    # The charter, the privacy policy and the legal notice are prose that must
    # read well in each language, so each is one template per language rather
    # than a hundred msgids.
    language = (get_language() or "fr").split("-")[0]
    template = select_template([f"{template_name}_{language}.html", f"{template_name}_fr.html"])
    return HttpResponse(template.render(context or {}, request))


def discreet_help(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/help_discreet")


def markdown_help(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/pages/markdown_help.html")
