"""What happens to a post before it is published: limits, duplicates,
personal data, pre-moderation.

`screen_new_post` and `screen_edit` are called by the question and answer
services inside their transaction, before they write the post. They raise
(RateLimited, DuplicatePost, PersonalDataWarning) or return a `Screening`
whose `visibility` the post is created with; `apply(post)` then puts a held
post in the review queue.

Rules (settings.FORUM):
- a new account (joined NEW_ACCOUNT_DAYS ago or less) has its posts held while
  it has fewer than PREMODERATE_FIRST_POSTS published posts;
- a new account's post containing a link is held (PREMODERATE_LINKS), also
  when a link is added by an edit;
- apparent personal data (forum.services.personal_data) raises a
  PersonalDataWarning unless the author confirms; a confirmed post is held.
  A moderator gets the warning too, but their confirmed post is published;
- moderators are never held, limited or checked for duplicates.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from forum import permissions
from forum.exceptions import PersonalDataWarning
from forum.models import Answer, HoldReason, Question, User, Visibility
from forum.services import personal_data, ratelimits, review_queue

# A link a reader could follow: a URL, a Markdown link, or a bare domain with a common TLD.
_LINK = re.compile(
    r"(?i)\bhttps?://[^\s)\]>]+|\bwww\.[\w-][^\s)\]>]*|\]\(\s*[^)\s]+|"
    r"(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|fr|net|org|eu|io|co|info|biz|xyz|ru|shop|online|site|store|link|ly|me)"
    r"\b(?![@\w]|\.\w)"
)


@dataclass
class Screening:
    reasons: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return bool(self.reasons)

    @property
    def visibility(self) -> str:
        return Visibility.PENDING if self.held else Visibility.PUBLISHED

    @property
    def reason(self) -> str:
        """The reason shown to the author (the first one)."""
        return self.reasons[0] if self.reasons else ""

    def apply(self, post: Question | Answer) -> None:
        """Queue a held post for review (moving it out of view if it was
        published, as after an edit). Call with the post's row locked."""
        if self.held:
            review_queue.hold_post(post=post, reasons=self.reasons, details=self.details)


def links_in(text: str) -> list[str]:
    return [match.group(0).lower() for match in _LINK.finditer(text or "")]


def contains_link(text: str) -> bool:
    return bool(_LINK.search(text or ""))


def published_post_count(user: User) -> int:
    return (
        Question.objects.filter(author=user, visibility=Visibility.PUBLISHED).count()
        + Answer.objects.filter(author=user, visibility=Visibility.PUBLISHED).count()
    )


def first_posts_held(user: User) -> bool:
    """Whether this member's next post will wait for a moderator because it is
    one of their first (the rule `screen_new_post` applies). The ask and
    answer forms ask this to warn before, not only after, posting."""
    if not getattr(user, "is_authenticated", False) or permissions.is_moderator(user):
        return False
    first_posts = settings.FORUM.get("PREMODERATE_FIRST_POSTS", 2)
    return first_posts > 0 and ratelimits.is_new_account(user) and published_post_count(user) < first_posts


def _check_personal_data(*, texts: dict[str, str], confirmed: bool, screening: Screening, previous: str = "") -> None:
    """`previous`: the text before an edit; what it already contained (and a
    moderator may have approved) is not asked about again."""
    # Compared as readers saw the previous text too: matches are reader text.
    seen = f"{previous}\n{personal_data.reader_text(previous)}" if previous else ""
    found_by_field = {
        name: [match for match in personal_data.find_personal_data(text) if match.text not in seen]
        for name, text in texts.items()
    }
    found = [match for matches in found_by_field.values() for match in matches]
    if not found:
        return
    if not confirmed:
        fields = {
            name: [
                _(
                    "This text seems to contain %(found)s. Remove it to protect your privacy, or confirm "
                    "to publish anyway: a moderator will then check your post before it is published."
                )
                % {"found": personal_data.describe(matches)}
            ]
            for name, matches in found_by_field.items()
            if matches
        }
        raise PersonalDataWarning(matches=[match.as_dict() for match in found], fields=fields)
    screening.reasons.append(HoldReason.PERSONAL_DATA)
    # Kinds only: the queue shows the post itself, no need to copy the data around.
    screening.details["personal_data"] = sorted({match.kind for match in found})


def screen_new_post(
    *, author: User, kind: str, body: str, title: str = "", confirm_personal_data: bool = False
) -> Screening:
    """`kind` is "question" or "answer". Locks the author's row (rate limits)."""
    ratelimits.check_post_rate(author=author, kind=kind)
    screening = Screening()
    moderator = permissions.is_moderator(author)
    if not moderator:
        ratelimits.check_not_duplicate(author=author, body=body)
    texts = {"title": title, "body": body} if title else {"body": body}
    _check_personal_data(texts=texts, confirmed=confirm_personal_data, screening=screening)
    if moderator:
        screening.reasons.clear()
        return screening
    if ratelimits.is_new_account(author):
        if first_posts_held(author):
            screening.reasons.insert(0, HoldReason.FIRST_POSTS)
        if settings.FORUM["PREMODERATE_LINKS"] and contains_link(f"{title}\n{body}"):
            screening.reasons.append(HoldReason.LINKS)
    return screening


def screen_edit(
    *, editor: User, post: Question | Answer, body: str, title: str = "", confirm_personal_data: bool = False
) -> Screening:
    """Edits by the author are screened for personal data and, on a new
    account, for links, counting only what the edit adds; a moderator's edit is
    their own responsibility."""
    screening = Screening()
    if editor.pk != post.author_id or permissions.is_moderator(editor):
        return screening
    previous = f"{getattr(post, 'title', '')}\n{post.body}"
    texts = {"title": title, "body": body} if title else {"body": body}
    _check_personal_data(texts=texts, confirmed=confirm_personal_data, screening=screening, previous=previous)
    if (
        settings.FORUM["PREMODERATE_LINKS"]
        and ratelimits.is_new_account(editor)
        and set(links_in(f"{title}\n{body}")) - set(links_in(previous))
    ):
        screening.reasons.append(HoldReason.LINKS)
    return screening


def screen_live_question(*, author: User, session_id: int, body: str, confirm_personal_data: bool = False) -> Screening:
    """The rules of a new post, for a question submitted to a live session:
    limits (per session), duplicates (in the session), personal data, and the
    pre-moderation of new accounts (first posts, links). A held question is not
    put in the forum's review queue (it is no post): the session's moderators
    approve or hide it from the session page (forum.services.live_sessions)."""
    ratelimits.check_live_question_rate(author=author, session_id=session_id)
    screening = Screening()
    moderator = permissions.is_moderator(author)
    if not moderator:
        ratelimits.check_not_duplicate_live(author=author, session_id=session_id, body=body)
    _check_personal_data(texts={"body": body}, confirmed=confirm_personal_data, screening=screening)
    if moderator:
        screening.reasons.clear()
        return screening
    if ratelimits.is_new_account(author):
        if first_posts_held(author):
            screening.reasons.insert(0, HoldReason.FIRST_POSTS)
        if settings.FORUM["PREMODERATE_LINKS"] and contains_link(body):
            screening.reasons.append(HoldReason.LINKS)
    return screening
