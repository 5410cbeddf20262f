"""Posting limits and duplicate detection, enforced inside the writing transaction.

DRF throttles count in the cache and check-then-increment, so twenty parallel
requests can all pass a limit of ten (docs/known-traps.md). These checks instead lock
the author's user row (`SELECT … FOR UPDATE`) and count the rows already
written inside the same transaction that writes the new one: the next request
for the same member waits for the lock and then counts the row this one just
created. On SQLite the transaction is opened with BEGIN IMMEDIATE (settings),
which serialises writers the same way. Call them inside `transaction.atomic()`,
before creating the row.

Limits are per rolling 24 hours; "new account" is `NEW_ACCOUNT_DAYS` old or less
(settings.FORUM). Moderators are not limited.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum import permissions
from forum.exceptions import DuplicatePost, RateLimited
from forum.models import Answer, Flag, LiveQuestion, Question, User, Visibility

WINDOW = timedelta(hours=24)


def rule(name: str) -> int:
    # settings.FORUM holds every rule with its one default (config/settings.py).
    return settings.FORUM[name]


def is_new_account(user: User) -> bool:
    days = rule("NEW_ACCOUNT_DAYS")
    return days > 0 and user.date_joined > timezone.now() - timedelta(days=days)


def lock_member(user: User) -> None:
    """Serialise this member's writes until the end of the transaction.

    FOR NO KEY UPDATE, not FOR UPDATE: it still excludes this member's other
    writes, but not the foreign-key checks (FOR KEY SHARE) of rows that other
    transactions insert pointing at the member. With FOR UPDATE, a
    notification fan-out holding the event-log lock (forum.events) and
    inserting a row for this member deadlocked with this member's next post,
    which held the row and waited for the event-log lock (seen by
    tests/test_faults.py: answers posted through two processes at once)."""
    list(User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk", flat=True))


def _wait_text(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 60), 3600)
    minutes = math.ceil(rest / 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    if hours and minutes:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}


def _enforce(rows: models.QuerySet, *, limit: int, message: str) -> None:
    """Refuse if `rows` (this member's rows in the window) already reach `limit`."""
    if limit <= 0:
        return
    now = timezone.now()
    times = list(rows.filter(created_at__gt=now - WINDOW).order_by("created_at").values_list("created_at", flat=True))
    if len(times) < limit:
        return
    # The slot frees when the oldest row that still counts leaves the window.
    retry_after = max(1, math.ceil((times[len(times) - limit] + WINDOW - now).total_seconds()))
    raise RateLimited(message % {"limit": limit, "wait": _wait_text(retry_after)}, retry_after=retry_after)


def check_post_rate(*, author: User, kind: str) -> None:
    """`kind` is "question" or "answer". Locks the author's row."""
    if permissions.is_moderator(author):
        return
    new = is_new_account(author)
    lock_member(author)
    if kind == "question":
        limit = rule("NEW_ACCOUNT_QUESTIONS_PER_DAY") if new else rule("QUESTIONS_PER_DAY")
        message = (
            _("New members can ask at most %(limit)d questions per day. You can ask again in %(wait)s.")
            if new
            else _("You can ask at most %(limit)d questions per day. You can ask again in %(wait)s.")
        )
        _enforce(Question.objects.filter(author=author), limit=limit, message=message)
    else:
        limit = rule("NEW_ACCOUNT_ANSWERS_PER_DAY") if new else rule("ANSWERS_PER_DAY")
        message = (
            _("New members can post at most %(limit)d answers per day. You can answer again in %(wait)s.")
            if new
            else _("You can post at most %(limit)d answers per day. You can answer again in %(wait)s.")
        )
        _enforce(Answer.objects.filter(author=author), limit=limit, message=message)


def check_flag_rate(*, user: User) -> None:
    if permissions.is_moderator(user):
        return
    lock_member(user)
    _enforce(
        Flag.objects.filter(flagger=user),
        limit=rule("FLAGS_PER_DAY"),
        message=_("You can report at most %(limit)d posts per day. You can report again in %(wait)s."),
    )


def _fingerprint(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_not_duplicate(*, author: User, body: str) -> None:
    """Refuse a body this member already posted (question or answer, any thread)
    within DUPLICATE_WINDOW_HOURS. Withdrawn posts do not count: taking a post
    back and posting it again is allowed."""
    hours = rule("DUPLICATE_WINDOW_HOURS")
    if hours <= 0:
        return
    since = timezone.now() - timedelta(hours=hours)
    wanted = _fingerprint(body)
    recent = [
        *Question.objects.filter(author=author, created_at__gt=since)
        .exclude(visibility=Visibility.WITHDRAWN)
        .values_list("body", flat=True),
        *Answer.objects.filter(author=author, created_at__gt=since)
        .exclude(visibility=Visibility.WITHDRAWN)
        .values_list("body", flat=True),
    ]
    for previous in recent:
        if _fingerprint(previous) == wanted:
            raise DuplicatePost(
                _("You already posted this text less than %(hours)d hours ago. Add something new, or edit your post.")
                % {"hours": hours}
            )


# Also used by the login limit (forum.services.login_limits).
wait_text = _wait_text


def check_live_question_rate(*, author: User, session_id: int) -> None:
    """At most LIVE_QUESTIONS_PER_SESSION questions per member and live
    session, counted under the member's row lock like every post limit; a new
    account keeps its daily question limit across sessions too."""
    if permissions.is_moderator(author):
        return
    lock_member(author)
    per_session = settings.FORUM.get("LIVE_QUESTIONS_PER_SESSION", 5)
    mine = LiveQuestion.objects.filter(author=author).exclude(visibility=Visibility.WITHDRAWN)
    if per_session > 0 and mine.filter(session_id=session_id).count() >= per_session:
        raise RateLimited(
            ngettext(
                "You can submit at most %(limit)d question per session.",
                "You can submit at most %(limit)d questions per session.",
                per_session,
            )
            % {"limit": per_session},
            retry_after=3600,
        )
    if is_new_account(author):
        _enforce(
            mine,
            limit=rule("NEW_ACCOUNT_QUESTIONS_PER_DAY"),
            message=_("New members can ask at most %(limit)d questions per day. You can ask again in %(wait)s."),
        )


def check_not_duplicate_live(*, author: User, session_id: int, body: str) -> None:
    """The same question twice in one session is a double submit: vote for it instead."""
    wanted = _fingerprint(body)
    mine = LiveQuestion.objects.filter(author=author, session_id=session_id).exclude(visibility=Visibility.WITHDRAWN)
    if any(_fingerprint(previous) == wanted for previous in mine.values_list("body", flat=True)):
        raise DuplicatePost(_("You already submitted this question to this session."))
