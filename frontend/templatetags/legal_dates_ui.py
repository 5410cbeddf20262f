"""The dating of a legal answer on its card and in the lists to check
(forum/legal_dates.py): "Valid as of", sources, "To check"."""

from urllib.parse import urlsplit

from django import template

from forum import legal_dates
from forum.presenters import dating_data

register = template.Library()


def _label(url: str) -> str:
    """ "service-public.fr › F2918": where the link goes, and which page, in a
    line that fits a phone (a whole path wraps over three)."""
    parts = urlsplit(url)
    host = (parts.hostname or url).removeprefix("www.")
    page = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if len(page) > 28:
        page = page[:27] + "…"
    return f"{host} › {page}" if page else host


@register.inclusion_tag("frontend/answers/_dating.html", takes_context=True)
def answer_dating(context, answer, can_confirm: bool = False):
    dating = dating_data(answer)
    return {
        "answer": answer,
        "valid_as_of": answer.valid_as_of,
        "sources": [source | {"label": _label(source["url"])} for source in dating["sources"]],
        "needs_check": dating["needs_check"],
        "can_confirm": can_confirm and dating["needs_check"],
        "next_url": context.get("next_url", ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def legal_thread(tags) -> bool:
    """Whether a thread's tags include a legal one (the answer form opens its dating part)."""
    return any(legal_dates.is_legal_tag(getattr(tag, "name", tag)) for tag in tags)
