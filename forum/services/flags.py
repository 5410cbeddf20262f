"""Members report posts that break the charter.

A flag always puts the post in the review queue. The post is also taken out of
view (visibility PENDING, "hidden pending review") as soon as:
- one moderator flags it, or
- the flags of distinct members weigh FLAGS_TO_HIDE together (settings.FORUM).

Weight of a flag, frozen when it is raised: a member whose past flags were
rejected by moderators more often than upheld counts for less,

    weight = 1 / (1 + max(0, rejected - upheld))

so a reliable member weighs 1, a member with one more rejected than upheld
flag weighs 1/2, two more 1/3, and so on. Upheld flags earn the trust back.
A moderator's flag weighs FLAGS_TO_HIDE (it hides on its own).
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from forum import permissions
from forum.exceptions import Conflict, InvalidInput
from forum.models import Answer, Flag, FlagReason, HoldReason, Question, User, Visibility
from forum.services import audit, ratelimits, review_queue

TEXT_MAX = 500


def flags_to_hide() -> int:
    return settings.FORUM["FLAGS_TO_HIDE"]


def flag_weight(user: User) -> float:
    if permissions.is_moderator(user):
        return float(flags_to_hide())
    history = Flag.objects.filter(flagger=user).aggregate(
        rejected=Count("pk", filter=Q(status=Flag.Status.REJECTED)),
        upheld=Count("pk", filter=Q(status=Flag.Status.UPHELD)),
    )
    return round(1 / (1 + max(0, history["rejected"] - history["upheld"])), 4)


def _clean(reason, text) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if reason not in FlagReason.values:
        errors["reason"] = [_("Choose why you report this post.")]
    text = " ".join(text.split()) if isinstance(text, str) else ""
    if len(text) > TEXT_MAX:
        errors["text"] = [_("At most %(max)d characters.") % {"max": TEXT_MAX}]
    elif reason == FlagReason.OTHER and not text:
        errors["text"] = [_("Tell the moderators what is wrong with this post.")]
    if errors:
        raise InvalidInput(fields=errors)
    return reason, text


def flag_post(*, user: User, post: Question | Answer, reason: str, text: str = "") -> Flag:
    """Report a post, once per member and post."""
    permissions.check_can_flag(user, post)
    reason, text = _clean(reason, text)
    already = _("You already reported this post. Thank you: the moderators will look at it.")
    try:
        with transaction.atomic():
            ratelimits.check_flag_rate(user=user)
            post = review_queue.lock_post(post)
            # Checked again under the lock: the post may have been hidden meanwhile.
            permissions.check_can_flag(user, post)
            if Flag.objects.filter(flagger=user, **review_queue.post_filter(post)).exists():
                raise Conflict(already)
            by_moderator = permissions.is_moderator(user)
            flag = Flag.objects.create(
                flagger=user, reason=reason, text=text, weight=flag_weight(user), **review_queue.post_filter(post)
            )
            hold_reason = HoldReason.MODERATOR_FLAG if by_moderator else HoldReason.FLAGS
            total = Flag.objects.filter(status=Flag.Status.OPEN, **review_queue.post_filter(post)).aggregate(
                total=Sum("weight")
            )["total"]
            # A tiny tolerance: three flags of weight 1/3 must add up to 1.
            if post.visibility == Visibility.PUBLISHED and (by_moderator or total >= flags_to_hide() - 1e-6):
                review_queue.hold_post(post=post, reasons=[hold_reason], details={"flag_weight": total})
                audit.record(
                    actor=user if by_moderator else None,
                    action="post.hidden_pending_review",
                    target=post,
                    reason=(
                        _("Reported by a moderator (%(reason)s).") % {"reason": FlagReason(reason).label}
                        if by_moderator
                        else _("Reports from members reached %(total)s (threshold %(threshold)d).")
                        % {"total": f"{total:g}", "threshold": flags_to_hide()}
                    ),
                    before={"visibility": Visibility.PUBLISHED},
                    after={"visibility": Visibility.PENDING, "flag_weight": total, "flag": flag.pk},
                )
            else:
                review_queue.open_item(post=post, reasons=[hold_reason], details={"flag_weight": total})
    except IntegrityError:
        # Two clicks at once: the unique constraint kept one flag.
        raise Conflict(already) from None
    return flag
