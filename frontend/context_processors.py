from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, ngettext, npgettext

from forum import queries
from forum.models import Question


def _counted(singular: str, plural: str, *, context: str | None = None) -> dict:
    """The forms live.js picks from by count. The server decides them with
    ngettext (the catalogue's own plural rule), for 0, 1 and "more"; live.js
    has no plural rule of its own. Exact for French and English, whose every
    count above 1 takes the same form."""

    def form(n: int) -> str:
        return npgettext(context, singular, plural, n) if context else ngettext(singular, plural, n)

    return {"zero": form(0), "one": form(1), "other": form(2)}


def live_texts() -> dict:
    """Every text live.js and moderation.js write into a page, from the gettext
    catalogue, in the page's language; the layout passes them through
    json_script ("live-texts"). {name} and {count} are filled in by the script."""
    return {
        "reconnecting": gettext("Reconnecting…"),
        "resync": gettext("The page changed while you were away."),
        "reload": gettext("Reload"),
        "newAnswer": gettext("New answer from {name}."),
        "answerRemoved": gettext("An answer was withdrawn."),
        "answerAccepted": gettext("An answer was accepted by the person who asked."),
        "questionRemoved": gettext("This question was removed by the moderators."),
        "newQuestions": _counted("{count} new question — show", "{count} new questions — show"),
        "presence": _counted("{count} person is reading this question", "{count} people are reading this question"),
        # The same msgid and context as the count label of question_row.html.
        "answerCount": _counted("answer", "answers", context="answer count"),
    }


def site(request) -> dict:
    """What the layout needs on every page.

    `live_cursor` is lazy so that a page which never renders it (an error page,
    an e-mail) costs no query; `live_texts` is a function, which the template
    calls only where it is rendered."""
    return {
        "live_cursor": SimpleLazyObject(queries.latest_cursor),
        "status_labels": {status.value: str(status.label) for status in Question.Status},
        "live_texts": live_texts,
    }
