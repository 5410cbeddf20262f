import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from forum import events, permissions
from forum.markdown import render_markdown
from forum.models import PostRevision, Question, TagQuestionCount, User, Visibility
from forum.notifications import dispatch as notify
from forum.queries import canonical_tags
from forum.search import index_thread
from forum.services.organisations import address_question, clean_addressees, clean_discreet_from
from forum.services.screening import screen_edit, screen_new_post
from forum.validation import clean_body, clean_facets, clean_tags, clean_title, raise_if


def ask_question(
    *,
    author: User,
    title: str,
    body: str,
    tags: list[str] | str,
    addressed_to: list | str | None = None,
    discreet_from: list | str | None = None,
    discreet_everywhere: bool = False,
    confirm_personal_data: bool = False,
    diploma: str = "",
    contract: str = "",
    sector: str = "",
    region: str = "",
) -> Question:
    """`addressed_to`: organisations (objects or slugs) the question is asked to.
    `discreet_from`: organisations (objects or slugs) whose verified members
    must not see who asked; `discreet_everywhere`: nobody but moderators sees
    who asked (discreet mode, `permissions.can_see_author`).
    `diploma`, `contract`, `sector`, `region`: the optional alternance facets
    (forum/models/facets.py), "" when not said.
    `confirm_personal_data`: the author saw the personal-data warning and
    publishes anyway; the question then waits for a moderator. A new member's
    question may also wait (forum.services.screening)."""
    permissions.check_can_ask(author)
    errors: dict[str, list[str]] = {}
    title = clean_title(title, errors)
    body = clean_body(body, errors)
    tag_names = canonical_tags(clean_tags(tags, errors))
    addressees = clean_addressees(addressed_to, errors)
    hidden_from = clean_discreet_from(discreet_from, errors)
    facets = clean_facets({"diploma": diploma, "contract": contract, "sector": sector, "region": region}, errors)
    raise_if(errors)

    now = timezone.now()
    with transaction.atomic():
        screening = screen_new_post(
            author=author, kind="question", title=title, body=body, confirm_personal_data=confirm_personal_data
        )
        question = Question.objects.create(
            author=author,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
            last_activity_at=now,
            visibility=screening.visibility,
            moderation_reason=screening.reason,
            discreet_from=sorted(o.pk for o in hidden_from),
            discreet_everywhere=bool(discreet_everywhere),
            **facets,
        )
        question.tags.set(tag_names)
        if question.visibility == Visibility.PUBLISHED:
            TagQuestionCount.objects.shift(question.tags.values_list("id", flat=True), +1)
        if addressees:
            address_question(question=question, organisations=addressees)
        screening.apply(question)
        index_thread(question.pk)
        events.question_created(question, tag_names)
        notify.question_posted(question)
    return question


def edit_question(
    *,
    editor: User,
    question: Question,
    title: str | None = None,
    body: str | None = None,
    tags: list[str] | str | None = None,
    discreet_from: list | str | None = None,
    discreet_everywhere: bool | None = None,
    confirm_personal_data: bool = False,
    diploma: str | None = None,
    contract: str | None = None,
    sector: str | None = None,
    region: str | None = None,
) -> Question:
    """Fields left as None keep their value. The previous text is kept as a revision.
    An edit may send the question back to review (forum.services.screening).
    Changing only the facets (choices from fixed lists, nothing to screen or
    to keep a revision of) saves them and nothing else; so does changing
    only discreet mode (`discreet_from`, `discreet_everywhere`: the asker's choice alone)."""
    permissions.check_can_edit(editor, question)
    if discreet_from is not None or discreet_everywhere is not None:
        permissions.check_can_set_discretion(editor, question)
    errors: dict[str, list[str]] = {}
    new_title = clean_title(title, errors) if title is not None else question.title
    new_body = clean_body(body, errors) if body is not None else question.body
    new_tags = canonical_tags(clean_tags(tags, errors)) if tags is not None else None
    facets = clean_facets({"diploma": diploma, "contract": contract, "sector": sector, "region": region}, errors)
    hidden_from = clean_discreet_from(discreet_from, errors) if discreet_from is not None else None
    raise_if(errors)

    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        changed_facets = {name: value for name, value in facets.items() if getattr(question, name) != value}
        if hidden_from is not None and sorted(o.pk for o in hidden_from) != sorted(question.discreet_from):
            changed_facets["discreet_from"] = sorted(o.pk for o in hidden_from)
        if discreet_everywhere is not None and bool(discreet_everywhere) != question.discreet_everywhere:
            changed_facets["discreet_everywhere"] = bool(discreet_everywhere)
        if changed_facets:
            for name, value in changed_facets.items():
                setattr(question, name, value)
            question.save(update_fields=list(changed_facets))
        old_tags = sorted(question.tags.names())
        if (
            new_title == question.title
            and new_body == question.body
            and (new_tags is None or sorted(new_tags) == old_tags)
        ):
            if {"discreet_from", "discreet_everywhere"} & set(changed_facets):
                # Who sees the asker changed: cached author blocks and lists
                # must be rendered again (the event bumps the generation).
                events.question_updated(question, old_tags)
            return question
        screening = screen_edit(
            editor=editor, post=question, title=new_title, body=new_body, confirm_personal_data=confirm_personal_data
        )
        PostRevision.objects.create(
            question=question, editor=editor, title=question.title, body=question.body, tags=",".join(old_tags)
        )
        question.title = new_title
        question.body = new_body
        question.body_html = render_markdown(new_body)
        question.edited_at = timezone.now()
        question.save(update_fields=["title", "body", "body_html", "edited_at"])
        if new_tags is not None:
            old_ids = list(question.tags.values_list("id", flat=True))
            question.tags.set(new_tags)
            if question.visibility == Visibility.PUBLISHED:
                TagQuestionCount.objects.retagged(before=old_ids, after=question.tags.values_list("id", flat=True))
        # After the retag: a held edit takes the new tags out of the counts.
        screening.apply(question)
        index_thread(question.pk)
        events.question_updated(question, new_tags if new_tags is not None else old_tags)
    return question


# A reader counts once per question in this period, however often they reload.
VIEW_PERIOD = timedelta(hours=1)

logger = logging.getLogger(__name__)


def viewer_key(*, user_id: int | None = None, session_key: str | None = None, address: str | None = None) -> str:
    """Who is reading, as an opaque key: the member's id, else a keyed hash of
    the anonymous session or, without one, of the client address. No raw
    address or session key is ever stored (the hash is keyed with SECRET_KEY,
    so it cannot be reversed by trying every IPv4 address)."""
    if user_id is not None:
        return f"u{user_id}"
    source = f"s:{session_key}" if session_key else f"a:{address or ''}"
    return "h" + salted_hmac("forum.view", source, algorithm="sha256").hexdigest()[:32]


def record_view(*, question: Question, viewer: str) -> bool:
    """Count a view once per `viewer` (see `viewer_key`) and question per
    VIEW_PERIOD; returns whether it counted. Counted without a lock or an
    event: a view is not worth a write conflict.

    The cache remembers who was counted (`add` is atomic, so two parallel
    reloads count once). If the cache is down the view is counted anyway:
    a view count is not worth an error page."""
    # created_at in the key: a question id reused after a database reset (or
    # a rolled-back test) must not inherit the old question's readers.
    return record_view_of(question_id=question.pk, created_at=question.created_at.timestamp(), viewer=viewer)


def record_view_of(*, question_id: int, created_at: float, viewer: str) -> bool:
    """`record_view` for a page served from the cache, which has the
    question's id and creation time but no row."""
    key = f"forum:view:{question_id}:{created_at:.6f}:{viewer}"
    try:
        first = cache.add(key, 1, timeout=int(VIEW_PERIOD.total_seconds()))
    except Exception:  # any cache backend error: fail open
        logger.warning("View de-duplication skipped: the cache is unreachable", exc_info=True)
        first = True
    if first:
        Question.objects.filter(pk=question_id).update(view_count=F("view_count") + 1)
    return first
