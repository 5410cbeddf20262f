"""Template helpers for the pages: the author block, relative times, status
labels, excerpts and pagination links."""

import functools

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.http import QueryDict
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from forum import permissions
from forum.markdown import render_plain_excerpt
from forum.models import PostRevision, Question
from forum.models.organisations import STAFF_ROLES
from forum.presenters import MODERATOR_BADGE, masked_name, verified_badges
from frontend import page_cache, search_form_frame

register = template.Library()

BADGE_LABELS = {
    MODERATOR_BADGE: _("Moderator"),
    "hr": _("HR"),
    "school": _("School / CFA"),
    "ambassador": _("Employee or apprentice"),
}


def badge_explanation(role: str, organisation: str = "") -> str:
    """What a badge means, in words (phones have no hover): shown when the
    badge is tapped, on the organisation page and to HR before they answer."""
    if role == MODERATOR_BADGE:
        return gettext("A moderator of the site: they apply the community charter and keep discussions kind.")
    proof = gettext(
        "This member confirmed a work email at an address of %(organisation)s; the badge is checked again every year "
        "and disappears if it is not renewed."
    ) % {"organisation": organisation}
    if role in STAFF_ROLES:
        return " ".join(
            [
                proof,
                gettext("A moderator approved it."),
                gettext("They answer as staff of %(organisation)s: their answers are shown first.")
                % {"organisation": organisation},
            ]
        )
    return " ".join(
        [
            proof,
            gettext(
                "They share their own experience as an employee or apprentice: they do not speak for %(organisation)s."
            )
            % {"organisation": organisation},
        ]
    )


@register.inclusion_tag("frontend/partials/author.html")
def author(user, *, compact: bool = False, linked: bool = True):
    """The one place an author is rendered: name, link and verified badges.

    `user` may be None for the live templates that `live.js` fills in."""
    badges = []
    if user is not None:
        for badge in verified_badges(user):
            badges.append(
                {
                    "role": badge.role,
                    "label": BADGE_LABELS.get(badge.role, badge.role),
                    "organisation": badge.organisation.name if badge.organisation else "",
                    "slug": badge.organisation.slug if badge.organisation else "",
                    "explanation": badge_explanation(badge.role, badge.organisation.name if badge.organisation else ""),
                }
            )
    # The live template (user None) carries the labels live.js needs to draw
    # the badges of a websocket payload ({role, organization, verified_at}).
    labels = BADGE_LABELS if user is None else None
    # A deleted account has no profile page to link to.
    linked = linked and not getattr(user, "is_erased", False)
    return {"author": user, "badges": badges, "compact": compact, "linked": linked, "badge_labels": labels}


@register.inclusion_tag("frontend/partials/author.html", takes_context=True)
def post_author(context, post, *, question=None, compact: bool = False):
    """The author block of a post (or the editor of a revision) for this
    reader: in a discreet thread the asker is "An apprentice" for the readers
    they hide from (`permissions.can_see_person`), with no link and no badge.
    `question`: the thread (saves loading `post.question`; required for a revision)."""
    person, question = _person_in_thread(post, question)
    if not _reader_sees(context, person, question):
        return {"masked": True, "masked_name": masked_name(), "compact": compact, "badges": []}
    return author(person, compact=compact)


@register.simple_tag(takes_context=True)
def author_name(context, post, question=None) -> str:
    """The author's name as this reader may see it, for labels (aria-label)."""
    person, question = _person_in_thread(post, question)
    return person.public_name if _reader_sees(context, person, question) else masked_name()


def _person_in_thread(post, question):
    if isinstance(post, PostRevision):
        return post.editor, question
    if isinstance(post, Question):
        return post.author, post
    return post.author, question if question is not None else post.question


def _reader_sees(context, person, question) -> bool:
    # No request (a template rendered for no one in particular): masked, the
    # safe side (permissions.is_hidden_from).
    request = context.get("request")
    return permissions.can_see_person(getattr(request, "user", None), person.pk, question)


@register.simple_tag(takes_context=True)
def question_rows(context, questions) -> str:
    """The rows of a question list, each from the shared fragment cache
    (frontend.page_cache.question_rows). Without a request nothing says who
    reads them: question_list.html then includes each row itself."""
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe(  # noqa: S308 (our own rendered templates)
        "".join(page_cache.question_rows(request, list(questions), lambda q: reltime(q.last_activity_at)))
    )


@register.simple_tag(takes_context=True)
def search_form(context) -> str:
    """The search page's form (frontend.search_form_frame): rendered once per
    language and filters, the words typed written in."""
    return search_form_frame.render(context["form"], context["filters"])


@register.simple_tag(takes_context=True)
def search_rows(context, hits) -> str:
    """The rows of search results, their frames from the shared fragment
    cache (frontend.page_cache.search_rows)."""
    rows = page_cache.search_rows(
        context["request"], list(hits), lambda hit: reltime(hit.question.created_at), _hit_detail
    )
    return mark_safe("".join(rows))  # noqa: S308 (our own rendered templates)


def _hit_detail(hit) -> str:
    """What a search found in a thread's text: the question's excerpt, and the
    matching answer (the accepted one when it matches) with its own."""
    flag = ""
    if hit.moderation_only:
        flag = format_html(
            '<p class="search-hit__flag" data-moderation-only>{}{}</p>',
            icon("lock"),
            gettext("Found in text hidden from the public (moderators only)"),
        )
    # Marked by forum.search.text.marked_html: escaped, then <mark> added.
    excerpt = format_html('<p class="search-hit__snippet">{}</p>', mark_safe(hit.snippet_html))  # noqa: S308
    if not hit.answer_id:
        return flag + excerpt
    accepted = hit.answer_id == hit.question.accepted_answer_id
    label = format_html("{}{}", icon("check"), gettext("Accepted answer")) if accepted else gettext("Answer")
    if hit.answer_visibility != "published":
        label = format_html("{} · {}", label, gettext("hidden from the public"))
    # The space between the label and the excerpt is read: the label is inline.
    answer = format_html(
        '<a class="search-hit__answer{}" href="{}#answer-{}" data-matching-answer="{}">'
        '<span class="search-hit__answer-label">{}</span> <span class="search-hit__snippet">{}</span></a>',
        " is-accepted" if accepted else "",
        hit.question.get_absolute_url(),
        hit.answer_id,
        hit.answer_id,
        label,
        mark_safe(hit.answer_snippet_html),  # noqa: S308 (marked_html, as above)
    )
    return flag + excerpt + answer


@register.simple_tag
def reltime(value, css_class: str = ""):
    """A <time> element with a relative label ("il y a 3 heures") and the full
    date as its machine-readable value and tooltip."""
    if value is None:
        return ""
    # Only the label moves with the clock; the rest of the element is the same
    # for a moment, language and time zone (written 30 times per thread page).
    opening = _time_opening(value, get_language(), timezone.get_current_timezone_name(), css_class)
    return mark_safe(f"{opening}{conditional_escape(_relative_label(value))}</time>")  # noqa: S308 (escaped here)


def _relative_label(value) -> str:
    """naturaltime(value), remembered per moment, language and elapsed minute
    (a question shown by many lists and searches in the same minute). Its
    units (minutes, hours, days, weeks, calendar months and years from the
    moment) all change on a whole minute of elapsed time, so within one the
    label is the same; the first minute shows seconds and is not remembered."""
    if not timezone.is_aware(value):
        return naturaltime(value)
    elapsed = (timezone.now() - value).total_seconds()
    if elapsed < 60:
        return naturaltime(value)
    return _label_in_minute(value, get_language(), int(elapsed // 60))


@functools.lru_cache(maxsize=4096)
def _label_in_minute(value, language: str, minutes: int) -> str:
    # The key's minute was read a moment before naturaltime reads the clock:
    # at a minute's edge the entry may hold the next minute's label.
    return naturaltime(value)


@functools.lru_cache(maxsize=4096)
def _time_opening(value, language: str, zone: str, css_class: str) -> str:
    return format_html(
        '<time datetime="{}" title="{}"{}>',
        value.isoformat(),
        date_format(timezone.localtime(value), "DATETIME_FORMAT"),
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.filter
def status_label(status: str) -> str:
    try:
        return Question.Status(status).label
    except ValueError:
        return ""


@register.filter
def excerpt(markdown_source: str, length: int = 180) -> str:
    # Only the beginning is rendered: an excerpt never needs a 20,000-character body.
    return render_plain_excerpt((markdown_source or "")[: length * 4], length)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one),
    so that pagination keeps the filter, tag and search."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"


@functools.lru_cache(maxsize=8)
def _sprite_url(static_url: str) -> str:
    # static() looks the hashed name up in the manifest on every call, dozens
    # of times per page; the answer only changes with a deploy (a new process)
    # or STATIC_URL (the key).
    return static("frontend/icons.svg")


@register.simple_tag(takes_context=True)
def query_toggle(context, name: str, value: str, selected: bool = False) -> str:
    """The current query string with parameter `name` set to `value`, or
    removed when `selected` (a facet link that unselects itself), back to page 1."""
    return query_with(context, **{name: None if selected else value, "page": None})


@register.simple_tag
def icon(name: str, css_class: str = ""):
    """A decorative icon from the sprite; the text next to it carries the meaning."""
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        f" {css_class}" if css_class else "",
        _sprite_url(settings.STATIC_URL),
        name,
    )
