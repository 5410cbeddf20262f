"""Template helpers for moderation: labels of reasons and charter clauses,
what a held post's author is told, and the policy's answers for one post
(`can_flag`, `can_appeal`), which cost no query."""

from django import template
from django.utils.translation import pgettext_lazy

from forum import charter, permissions
from forum.charter import hold_explanation as _hold_explanation
from forum.models import CharterClause, FlagReason, HoldReason, ReviewItem
from forum.services.personal_data import KIND_LABELS
from frontend import journal

register = template.Library()


@register.filter
def hold_explanation(post) -> str:
    return _hold_explanation(post.moderation_reason)


# A decision already taken reads as a participle ("Approuvé"), while the
# buttons that take it are verbs ("Approuver"): the same English word, so
# separate msgids with a context (ReviewItem.Decision labels are the verbs).
DECISION_LABELS = {
    ReviewItem.Decision.APPROVE: pgettext_lazy("moderation decision taken", "Approved"),
    ReviewItem.Decision.HIDE: pgettext_lazy("moderation decision taken", "Hidden"),
    ReviewItem.Decision.EDIT_APPROVE: pgettext_lazy("moderation decision taken", "Edited and approved"),
    ReviewItem.Decision.RESTORE: pgettext_lazy("moderation decision taken", "Restored"),
}


@register.filter
def decision_label(code: str) -> str:
    return str(DECISION_LABELS.get(code, code))


@register.filter
def clause_label(code: str) -> str:
    return CharterClause(code).label if code in CharterClause.values else ""


@register.filter
def hold_reason_label(code: str) -> str:
    return HoldReason(code).label if code in HoldReason.values else code


@register.filter
def flag_reason_label(code: str) -> str:
    return FlagReason(code).label if code in FlagReason.values else code


@register.filter
def flaggable_by(post, user) -> bool:
    return permissions.can_flag(user, post)


@register.filter
def appealable_by(post, user) -> bool:
    return permissions.can_appeal(user, post)


@register.filter
def post_flags(item) -> list:
    """The flags of a review item's post, from the queue's prefetch."""
    post = item.question if item.question_id else item.answer
    return list(post.flags.all())


@register.filter
def open_weight(flags) -> str:
    total = sum(flag.weight for flag in flags if flag.status == "open")
    return f"{total:g}"


@register.filter
def is_suspended(user) -> bool:
    return permissions.is_suspended(user)


@register.filter
def can_moderate(user) -> bool:
    return permissions.can_moderate(user)


@register.filter
def personal_data_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


@register.simple_tag
def journal_rows(entries) -> list:
    """The journal's entries with labels and readable changes (frontend.journal)."""
    return journal.present(entries)


@register.filter
def charter_clause(code: str):
    """The clause's teaching (forum.charter): title, why, good and bad example, anchor."""
    return charter.clause(code)
