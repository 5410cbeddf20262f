"""Static pages: the community charter and the Markdown help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.utils.translation import get_language


def charter(request: HttpRequest, template_name: str = "frontend/pages/charter") -> HttpResponse:
    # The charter is prose that must read well in each language, so it is one
    # template per language rather than a hundred msgids.
    language = (get_language() or "fr").split("-")[0]
    template = select_template([f"{template_name}_{language}.html", f"{template_name}_fr.html"])
    return HttpResponse(template.render({}, request))


def markdown_help(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/pages/markdown_help.html")
