from django.utils.functional import SimpleLazyObject

from forum import queries
from forum.models import Question


def site(request) -> dict:
    """What the layout needs on every page.

    `live_cursor` is lazy so that a page which never renders it (an error page,
    an e-mail) costs no query."""
    return {
        "live_cursor": SimpleLazyObject(queries.latest_cursor),
        "status_labels": {status.value: str(status.label) for status in Question.Status},
    }
