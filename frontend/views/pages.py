"""Static pages: the community charter, the help index, the Markdown help and the
discreet mode help."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The help pages, in the order a newcomer needs them: (URL name, title, what it answers).
HELP_TOPICS = (
    (
        "frontend:charter",
        _("Community charter"),
        _("What the community expects, clause by clause, and what happens when a post breaks it."),
    ),
    (
        "frontend:help_charter",
        _("The charter in practice"),
        _("The hints shown while you write your first posts, and how a moderation decision is explained."),
    ),
    ("frontend:markdown_help", _("Writing help"), _("Formatting a question or an answer: lists, links, quotes.")),
    (
        "frontend:help_discreet",
        _("Discreet mode"),
        _("Asking about your own employer or school without their HR recognising you."),
    ),
    (
        "frontend:help_dated_answers",
        _("Dated answers"),
        _("Why answers about pay and aid carry a date, and when they show “to check”."),
    ),
    (
        "frontend:help_calendar",
        _("The alternance calendar"),
        _("School start and contract deadlines: what changes on the forum during those weeks."),
    ),
)


def charter(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/charter")


def prose_page(request: HttpRequest, template_name: str, context: dict | None = None) -> HttpResponse:
    # The charter, the privacy policy and the legal notice are prose that must
    # read well in each language, so each is one template per language rather
    # than a hundred msgids.
    language = (get_language() or "fr").split("-")[0]
    template = select_template([f"{template_name}_{language}.html", f"{template_name}_fr.html"])
    return HttpResponse(template.render(context or {}, request))


def help_index(request: HttpRequest) -> HttpResponse:
    topics = [{"url": reverse(name), "title": title, "summary": summary} for name, title, summary in HELP_TOPICS]
    return render(request, "frontend/pages/help_index.html", {"topics": topics})


def discreet_help(request: HttpRequest) -> HttpResponse:
    return prose_page(request, "frontend/pages/help_discreet")


def markdown_help(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/pages/markdown_help.html")
