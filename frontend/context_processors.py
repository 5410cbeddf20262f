from collections.abc import Callable

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, ngettext, npgettext

from forum import queries
from forum.models import Question


def _counted(form: Callable[[int], str]) -> dict:
    """The forms live.js picks from by count. The server decides them with
    ngettext (the catalogue's own plural rule), for 0, 1 and "more"; live.js
    has no plural rule of its own. Exact for French and English, whose every
    count above 1 takes the same form."""
    return {"zero": form(0), "one": form(1), "other": form(2)}


def status_labels() -> dict[str, str]:
    """The thread statuses' labels, in the page's language (the layout's
    "status-labels" JSON, and question_template.html)."""
    return {status.value: str(status.label) for status in Question.Status}


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
        # Literal calls, so that makemessages finds them.
        "newQuestions": _counted(lambda n: ngettext("{count} new question — show", "{count} new questions — show", n)),
        "presence": _counted(
            lambda n: ngettext("{count} person is reading this question", "{count} people are reading this question", n)
        ),
        # The same msgid and context as the count label of question_row.html.
        "answerCount": _counted(lambda n: npgettext("answer count", "answer", "answers", n)),
    }


def site(request) -> dict:
    """What the layout needs on every page.

    `live_cursor` is lazy so that a page which never renders it (an error page,
    an e-mail) costs no query; `live_texts` is a function, which the template
    calls only where it is rendered."""
    return {
        "live_cursor": SimpleLazyObject(queries.latest_cursor),
        "status_labels": status_labels(),
        "live_texts": live_texts,
        # Lazy: only the signed-in header renders it (anonymous pages stay
        # cacheable and cost no query).
        "unread_notifications": SimpleLazyObject(lambda: queries.current_unread_count(request.user)),
    }
