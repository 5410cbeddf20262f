"""The one permission policy: "may this user do this to that?".

Web views, API views and websocket consumers all ask here. Functions come in
threes: `can_x(user, obj) -> bool` for templates, `check_can_x(...)` which
raises NotAllowed with a message a person can act on, and `visible_*(user, qs)`
for lists.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.exceptions import NotAllowed, NotFound
from forum.models import Answer, Question, Visibility

MODERATORS_GROUP = "moderators"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_moderator = cached
    return cached


def is_suspended(user) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and until > timezone.now()


def _participation_refusal(user) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return _("Log in to take part.")
    if not user.is_active:
        return _("This account is deactivated.")
    if is_suspended(user):
        return _("Your account is suspended until %(date)s: you can read but not post, vote or flag.") % {
            "date": timezone.localtime(user.suspended_until).strftime("%d/%m/%Y %H:%M")
        }
    return None


# --- Reading ------------------------------------------------------------------


def can_view_question(user, question: Question) -> bool:
    if question.visibility == Visibility.PUBLISHED:
        return True
    return _is_author(user, question) or is_moderator(user)


def check_can_view_question(user, question: Question) -> None:
    if not can_view_question(user, question):
        raise NotFound()


def can_view_answer(user, answer: Answer) -> bool:
    if answer.visibility == Visibility.PUBLISHED:
        return can_view_question(user, answer.question)
    return _is_author(user, answer) or is_moderator(user)


def visible_questions(user, queryset: QuerySet[Question]) -> QuerySet[Question]:
    if is_moderator(user):
        return queryset
    if getattr(user, "is_authenticated", False):
        return queryset.filter(Q(visibility=Visibility.PUBLISHED) | Q(author=user))
    return queryset.filter(visibility=Visibility.PUBLISHED)


def visible_answers(user, queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    if is_moderator(user):
        return queryset.exclude(visibility=Visibility.WITHDRAWN)
    if getattr(user, "is_authenticated", False):
        return queryset.filter(Q(visibility=Visibility.PUBLISHED) | Q(author=user, visibility=Visibility.PENDING))
    return queryset.filter(visibility=Visibility.PUBLISHED)


# --- Writing ------------------------------------------------------------------


def can_participate(user) -> bool:
    return _participation_refusal(user) is None


def check_can_participate(user) -> None:
    refusal = _participation_refusal(user)
    if refusal:
        raise NotAllowed(refusal)


def check_can_ask(user) -> None:
    check_can_participate(user)


def can_ask(user) -> bool:
    return can_participate(user)


def check_can_answer(user, question: Question) -> None:
    check_can_participate(user)
    check_can_view_question(user, question)
    if question.is_locked and not is_moderator(user):
        raise NotAllowed(_("This thread is locked: it no longer accepts answers."))
    if question.visibility != Visibility.PUBLISHED:
        raise NotAllowed(_("This question is not published, it cannot be answered yet."))


def can_answer(user, question: Question) -> bool:
    return _allowed(check_can_answer, user, question)


def check_can_edit(user, post: Question | Answer) -> None:
    check_can_participate(user)
    if post.visibility == Visibility.WITHDRAWN:
        raise NotAllowed(_("This post was withdrawn and can no longer be edited."))
    if is_moderator(user):
        return
    if not _is_author(user, post):
        raise NotAllowed(_("Only the author can edit this post."))
    if post.visibility == Visibility.HIDDEN:
        raise NotAllowed(_("This post was hidden by moderation and cannot be edited."))
    question = post if isinstance(post, Question) else post.question
    if question.is_locked:
        raise NotAllowed(_("This thread is locked."))


def can_edit(user, post: Question | Answer) -> bool:
    return _allowed(check_can_edit, user, post)


def check_can_withdraw(user, answer: Answer) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in to take part."))
    if answer.visibility == Visibility.WITHDRAWN:
        raise NotAllowed(_("This answer was already withdrawn."))
    if not _is_author(user, answer):
        raise NotAllowed(_("Only the author can withdraw this answer."))


def can_withdraw(user, answer: Answer) -> bool:
    return _allowed(check_can_withdraw, user, answer)


def check_can_vote(user, answer: Answer) -> None:
    check_can_participate(user)
    if answer.visibility != Visibility.PUBLISHED or not can_view_question(user, answer.question):
        raise NotFound()
    if _is_author(user, answer):
        raise NotAllowed(_("You cannot vote for your own answer."))
    if answer.question.is_locked:
        raise NotAllowed(_("This thread is locked."))


def can_vote(user, answer: Answer) -> bool:
    return _allowed(check_can_vote, user, answer)


def check_can_accept(user, answer: Answer) -> None:
    check_can_participate(user)
    question = answer.question
    if not _is_author(user, question):
        raise NotAllowed(_("Only the person who asked the question can accept an answer."))
    if answer.visibility != Visibility.PUBLISHED:
        raise NotAllowed(_("Only a published answer can be accepted."))
    if question.is_locked:
        raise NotAllowed(_("This thread is locked."))


def can_accept(user, answer: Answer) -> bool:
    return _allowed(check_can_accept, user, answer)


def check_can_moderate(user) -> None:
    if not is_moderator(user):
        raise NotAllowed(_("This action is reserved for moderators."))


# --- helpers --------------------------------------------------------------------


def _is_author(user, post) -> bool:
    return getattr(user, "is_authenticated", False) and post.author_id == user.pk


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except (NotAllowed, NotFound):
        return False
    return True
