"""Whether a member's account menu links the dashboard, remembered per member.

Every signed-in page asks; the answer changes only when one of the member's
badges is saved or deleted (forum/receivers.py forgets it then), when a badge
expires (the answer lives MENU_ANSWER_SECONDS at most), or with moderator
membership, which is checked on every request anyway."""

import logging

from django.core.cache import cache

from forum import permissions

logger = logging.getLogger(__name__)

MENU_ANSWER_SECONDS = 300


def _key(user_id: int) -> str:
    return f"insights:menu:{user_id}"


def may_view_insights(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if permissions.is_moderator(user):
        return True
    if permissions.knows_verified_staff(user):
        # A query of this request told already (the shared pages' traits, the
        # charter hints): no cache round trip.
        return permissions.can_view_insights(user)
    try:
        answer = cache.get(_key(user.pk))
        if answer is None:
            answer = permissions.can_view_insights(user)
            cache.set(_key(user.pk), answer, MENU_ANSWER_SECONDS)
        return bool(answer)
    except Exception:  # the cache is an optimisation (docs/known-traps.md)
        logger.warning("insights menu: cache unavailable", exc_info=True)
        return permissions.can_view_insights(user)


def forget(user_id: int) -> None:
    try:
        cache.delete(_key(user_id))
    except Exception:
        logger.warning("insights menu: cache unavailable", exc_info=True)
