"""Plain-data views of domain objects, shared by websocket payloads and the API.

Built once by the publisher so that a thousand watchers need no thousand
database reads. Only public, rendered (sanitised) content goes in here.

These dicts are the public contract, so they use its words: "organization"
for the domain's Organisation (see the glossary in docs/architecture.md).
This module is where that translation happens; pages read the domain objects
(`verified_badges`), never these dicts.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from forum import compiled_sql, legal_dates
from forum.models import Answer, Badge, BadgeRole, Organisation, Question, User
from forum.permissions import MODERATORS_GROUP, can_see_person, is_suspended


def iso(dt) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


MODERATOR_BADGE = "moderator"
_ROLE_ORDER = {MODERATOR_BADGE: 0, BadgeRole.HR: 1, BadgeRole.SCHOOL: 2, BadgeRole.AMBASSADOR: 3}


@dataclass(frozen=True)
class ShownBadge:
    role: str
    organisation: Organisation | None  # None for the moderator badge
    verified_at: datetime | None


def _active_badges(user_id: int, now: datetime):
    return Badge.objects.active(at=now).filter(user_id=user_id).select_related("organisation")


# A lone author's badges (a thread's asker in the API, a notification's
# actor): built and compiled once (forum/compiled_sql.py).
_ACTIVE_BADGES = compiled_sql.CompiledQuery(
    _active_badges, (compiled_sql.marker_int(0), compiled_sql.marker_datetime(0))
)


def verified_badges(user: User) -> list[ShownBadge]:
    """The verified badges of a member, drawn only from server data (never from
    what they typed): active organisation badges, plus the moderator badge from
    the moderators group. Read at call time, never cached, so a revocation shows
    everywhere at once.

    Lists prefetch them (`forum.queries.author_badge_prefetches`) into
    `user.active_badges` and `user.moderator_groups` and stay constant-query;
    a lone user costs two small queries, one if its moderator membership came
    with its row."""
    if user is None or not getattr(user, "pk", None):
        return []
    badges = getattr(user, "active_badges", None)
    if badges is None:
        badges = _ACTIVE_BADGES.instances(user.pk, timezone.now())
    moderator_groups = getattr(user, "moderator_groups", None)
    if moderator_groups is not None:
        is_moderator = bool(moderator_groups)
    elif getattr(user, "_is_moderator", None) is not None:
        # Loaded with the row (permissions.moderator_membership) or asked already.
        is_moderator = user._is_moderator
    else:
        is_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    shown = [ShownBadge(MODERATOR_BADGE, None, None)] if is_moderator else []
    for badge in sorted(badges, key=lambda b: (_ROLE_ORDER.get(b.role, 9), b.organisation.name, b.pk)):
        shown.append(ShownBadge(badge.role, badge.organisation, badge.verified_at))
    return shown


def badges_for(user: User) -> list[dict]:
    """`verified_badges` in the public contract's shape and words, for the API
    and websocket payloads: {role, organization: {name, slug} or None, verified_at}."""
    return [
        {
            "role": badge.role,
            "organization": (
                {"name": badge.organisation.name, "slug": badge.organisation.slug} if badge.organisation else None
            ),
            "verified_at": iso(badge.verified_at),
        }
        for badge in verified_badges(user)
    ]


def author_data(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.public_name,
        "badges": badges_for(user),
        "web_url": user.get_absolute_url(),
        "discreet": False,
    }


def masked_name() -> str:
    """What a reader the asker is hidden from sees instead of their name."""
    return _("An apprentice")


def masked_author_data() -> dict:
    """An author in discreet mode, as the readers it is hidden from get it:
    the same shape as `author_data`, with nothing that leads to the person
    (no id, username, link or badge)."""
    return {
        "id": None,
        "username": None,
        "display_name": masked_name(),
        "badges": [],
        "web_url": None,
        "discreet": True,
    }


# The reader of a payload built once for every watcher of a public topic
# (a websocket broadcast): it must suit the least entitled of them, so the
# asker of a discreet thread is masked for all, and each client gets the real
# name through its own reads (REST, the page, the catch-up replay).
EVERYONE = None


def person_data(user: User, *, question: Question, viewer=EVERYONE) -> dict:
    """`author_data` of someone named in `question`'s thread (a post's author,
    a revision's editor), masked when `viewer` may not see who they are."""
    if not can_see_person(viewer, user.pk, question):
        return masked_author_data()
    return author_data(user)


def post_author_data(post: Question | Answer, *, viewer=EVERYONE) -> dict:
    question = post if isinstance(post, Question) else post.question
    return person_data(post.author, question=question, viewer=viewer)


def answer_data(answer: Answer, *, viewer=EVERYONE) -> dict:
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "author": post_author_data(answer, viewer=viewer),
        "body_html": answer.body_html,
        "vote_count": answer.vote_count,
        "is_accepted": answer.question.accepted_answer_id == answer.pk,
        "visibility": answer.visibility,
        "created_at": iso(answer.created_at),
        "edited_at": iso(answer.edited_at),
        "web_url": answer.get_absolute_url(),
        **dating_data(answer),
    }


def dating_data(answer: Answer) -> dict:
    """A legal answer's dating (forum/legal_dates.py), as of today."""
    return {
        "valid_as_of": answer.valid_as_of.isoformat() if answer.valid_as_of else None,
        "sources": legal_dates.source_links(answer.sources or []),
        "needs_check": legal_dates.answer_needs_check(answer),
    }


def question_summary_data(question: Question, tags: list[str] | None = None, *, viewer=EVERYONE) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "author": post_author_data(question, viewer=viewer),
        "tags": tags if tags is not None else [t.name for t in question.tags.all()],
        "status": str(question.status),
        "answer_count": question.answer_count,
        "view_count": question.view_count,
        "created_at": iso(question.created_at),
        "last_activity_at": iso(question.last_activity_at),
        "web_url": question.get_absolute_url(),
    }


# --- Moderation: moderators only ---------------------------------------------------------


def review_item_summary(item) -> dict:
    """What the moderators' queue needs to add, update or drop a row live."""
    post = item.question if item.question_id else item.answer
    question = post if item.question_id else post.question
    return {
        "id": item.pk,
        "status": item.status,
        "post_type": "question" if item.question_id else "answer",
        "post_id": post.pk,
        "question_id": question.pk,
        "title": question.title,
        "author": {"id": item.author_id, "username": item.author.username, "display_name": item.author.public_name},
        "reasons": list(item.reasons),
        "is_appeal": item.is_appeal,
        "decision": item.decision or None,
        "updated_at": iso(item.updated_at),
    }


def flag_data(flag) -> dict:
    return {
        "id": flag.pk,
        "reason": flag.reason,
        "text": flag.text,
        "weight": flag.weight,
        "status": flag.status,
        "flagger": {"id": flag.flagger_id, "username": flag.flagger.username},
        "created_at": iso(flag.created_at),
    }


def member_history_data(user: User, counts) -> dict:
    """`counts` carries the `history_*` annotations of `forum.queries.review_queue`."""
    return {
        "joined_at": iso(user.date_joined),
        "question_count": getattr(counts, "history_questions", None),
        "answer_count": getattr(counts, "history_answers", None),
        "hidden_count": getattr(counts, "history_hidden", None),
        "approved_count": getattr(counts, "history_approved", None),
        "sanction_count": getattr(counts, "history_sanctions", None),
        "is_suspended": is_suspended(user),
        "is_active": user.is_active,
    }


def review_item_data(item) -> dict:
    """A review item with its post, flags and the author's history, for the API."""
    post = item.question if item.question_id else item.answer
    question = post if item.question_id else post.question
    flags = list(post.flags.all())
    return review_item_summary(item) | {
        "post": {
            "id": post.pk,
            "title": question.title,
            "body": post.body,
            "body_html": post.body_html,
            "visibility": post.visibility,
            "moderation_reason": post.moderation_reason,
            "moderation_note": post.moderation_note,
            "created_at": iso(post.created_at),
            "web_url": post.get_absolute_url(),
        },
        "author": author_data(item.author) | {"history": member_history_data(item.author, item)},
        "appeal_text": item.appeal_text,
        "details": item.details,
        "flags": [flag_data(flag) for flag in flags],
        "flag_weight": round(sum(f.weight for f in flags if f.status == "open"), 4),
        "clause": item.clause or None,
        "note": item.note,
        "decided_by": item.decided_by.username if item.decided_by_id else None,
        "decided_at": iso(item.decided_at),
        "created_at": iso(item.created_at),
    }


# --- Live sessions ------------------------------------------------------------------


def live_session_data(session) -> dict:
    """A session for lists and its detail; `hosts` must be loaded (prefetch)."""
    return {
        "id": session.pk,
        "title": session.title,
        "description_html": session.description_html,
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
        "phase": session.phase(),
        "cancelled_at": iso(session.cancelled_at),
        "cancel_note": session.cancel_note,
        "hosts": [author_data(host) for host in session.hosts.all()],
        "organization": (
            {"id": session.organisation.pk, "name": session.organisation.name, "slug": session.organisation.slug}
            if session.organisation_id
            else None
        ),
        "tags": sorted(tag.name for tag in session.tags.all()),
        "web_url": session.get_absolute_url(),
        "transcript_url": session.get_transcript_url(),
    }


def live_question_data(question) -> dict:
    """One question of a session, public fields only: the same for every
    watcher, so the websocket payload is built once."""
    return {
        "id": question.pk,
        "session_id": question.session_id,
        "author": author_data(question.author),
        "body_html": question.body_html,
        "created_at": iso(question.created_at),
        "visibility": question.visibility,
        "status": question.status,
        "vote_count": question.vote_count,
        "answering_host": author_data(question.answering_host) if question.answering_host_id else None,
        "answer_html": question.answer_html or None,
        "answered_by": author_data(question.answered_by) if question.answered_by_id else None,
        "answered_at": iso(question.answered_at),
        "thread_url": question.thread.get_absolute_url() if question.thread_id else None,
    }
