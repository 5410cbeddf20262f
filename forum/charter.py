"""The charter's teaching, in one place: each clause a moderator can name
(`CharterClause`) with a short title, why it exists, a good and a bad example
and its anchor on `/charte/`; what the author of a held post is told
(`HoldReason`); and the hints the composer shows a member's first posts.

The charter page, the composer, the moderation outcome page, the API and the
websocket payloads all read it from here, so a clause never says one thing on
a page and another in the app. Text is English msgids translated by gettext
(French first in the catalogue); every value is lazy, so the registry is
built once at import and translated at each use.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from forum import compiled_sql, permissions
from forum.exceptions import NotFound
from forum.models import (
    Answer,
    Badge,
    CharterClause,
    CharterHintsDismissal,
    HoldReason,
    Question,
    ReviewItem,
    User,
    Visibility,
)
from forum.models.organisations import STAFF_ROLES

# A hidden post within this many days brings the hints back (once: saying
# "Compris" again puts them away), kindly, whatever the member's post count.
RECENT_HIDE_DAYS = 30

CONTEXTS = ("question", "answer")


@dataclass(frozen=True)
class Clause:
    key: str
    title: Promise
    why: Promise
    good: Promise
    bad: Promise

    @property
    def anchor(self) -> str:
        return f"clause-{self.key}"

    @property
    def url(self) -> str:
        return f"{reverse('frontend:charter')}#{self.anchor}"


CLAUSES: dict[str, Clause] = {
    CharterClause.RESPECT: Clause(
        key=CharterClause.RESPECT,
        title=_("Respect people"),
        why=_("Everyone can ask without fear only if nobody attacks the person: disagree with ideas, kindly."),
        good=_("“I see it differently: the trial period depends on the contract, see service-public.fr.”"),
        bad=_("“Only an idiot would sign that contract.”"),
    ),
    CharterClause.PERSONAL_DATA: Clause(
        key=CharterClause.PERSONAL_DATA,
        title=_("Protect personal data"),
        why=_("A name, phone number or address on a public page can follow someone for years."),
        good=_("“My tutor in a 20-person construction company refuses my days at the CFA.”"),
        bad=_("“Mr Martin, my tutor at Dupont BTP (06 12 34 56 78), refuses my days at the CFA.”"),
    ),
    CharterClause.SPAM: Clause(
        key=CharterClause.SPAM,
        title=_("No spam or advertising"),
        why=_("Readers come for answers, not ads: repeated or promotional messages bury their questions."),
        good=_("“In our company, apprentices are usually recruited in spring; here is how the process works.”"),
        bad=_("“50 apprenticeships available, apply now, send me your CV in private!”"),
    ),
    CharterClause.OFF_TOPIC: Clause(
        key=CharterClause.OFF_TOPIC,
        title=_("Stay on topic"),
        why=_("Each thread answers one question about work-study, so the next student finds it."),
        good=_("“Can I change company during my apprenticeship contract?”"),
        bad=_("“Does anyone want to sell me a used phone?”"),
    ),
    CharterClause.MISLEADING: Clause(
        key=CharterClause.MISLEADING,
        title=_("Give reliable information"),
        why=_("A wrong rule about pay or contracts can cost someone money or their contract."),
        good=_("“In my company the trial period was 45 days; the rule is on service-public.fr.”"),
        bad=_("“Don't worry, an apprentice can never be dismissed.”"),
    ),
    CharterClause.OTHER: Clause(
        key=CharterClause.OTHER,
        title=_("The spirit of the charter"),
        why=_("The charter keeps the forum kind and useful; the moderator's note says what to change."),
        good=_("A clear question, kind words, and a source when you state a rule."),
        bad=_("Anything that would make another member ashamed to ask."),
    ),
}


def clause(key: str) -> Clause | None:
    return CLAUSES.get(key)


def clause_data(key: str) -> dict | None:
    """A clause in the public contract's shape (API, websocket, notifications)."""
    entry = CLAUSES.get(key)
    if entry is None:
        return None
    return {
        "clause": entry.key,
        "clause_title": str(entry.title),
        "clause_why": str(entry.why),
        "clause_example": {"good": str(entry.good), "bad": str(entry.bad)},
        "clause_url": entry.url,
    }


HOLD_EXPLANATIONS: dict[str, Promise] = {
    HoldReason.FIRST_POSTS: _(
        "Awaiting moderation: welcome! The first messages of new members are read by a moderator before "
        "they are published, usually within a few hours. Only you and the moderators see it meanwhile."
    ),
    HoldReason.LINKS: _(
        "Awaiting moderation: messages with links from new accounts are checked by a moderator before they "
        "are published, to keep spam away. Only you and the moderators see it meanwhile."
    ),
    HoldReason.PERSONAL_DATA: _(
        "Awaiting moderation: you chose to publish what looks like personal data, so a moderator checks it "
        "first. You can still edit it to remove that data."
    ),
    HoldReason.FLAGS: _(
        "Awaiting moderation: several members reported this message, so it is hidden while a moderator "
        "reviews it. You will be told the decision."
    ),
    HoldReason.MODERATOR_FLAG: _(
        "Awaiting moderation: a moderator took this message out of view while it is reviewed."
    ),
    HoldReason.APPEAL: _(
        "Awaiting moderation: you asked for a second review; another moderator reads it and you will be told "
        "the decision."
    ),
}


def hold_explanation(reason: str) -> str:
    """What the author of a post waiting for moderation is told, by reason
    (the web pages and the API say the same)."""
    explanation = HOLD_EXPLANATIONS.get(reason)
    if explanation is None:
        return str(_("Awaiting moderation: only you and the moderators can see this message for now."))
    return str(explanation)


# --- Composer hints -------------------------------------------------------------------


@dataclass(frozen=True)
class Hint:
    key: str
    text: Promise
    clause: str
    # The composers it is shown on ("question", "answer").
    contexts: tuple[str, ...] = CONTEXTS

    @property
    def url(self) -> str:
        return CLAUSES[self.clause].url

    @property
    def clause_title(self) -> Promise:
        return CLAUSES[self.clause].title


STUDENT_HINTS = (
    Hint(
        "privacy",
        _("Protect your privacy: no full name, phone number, email or address, yours or anybody's."),
        CharterClause.PERSONAL_DATA,
    ),
    Hint(
        "no_names",
        _("Name no manager, tutor or colleague: describe the situation, not the person."),
        CharterClause.PERSONAL_DATA,
    ),
    Hint(
        "one_question",
        _("One question about work-study per thread, with your context: diploma, year, contract, sector."),
        CharterClause.OFF_TOPIC,
        contexts=("question",),
    ),
    Hint(
        "own_experience",
        _("Say when it is your own experience, and link a source when you state a rule."),
        CharterClause.MISLEADING,
        contexts=("answer",),
    ),
)

STAFF_HINTS = (
    Hint(
        "no_recruiting",
        _("No job ads or recruiting in threads: answer as an expert, not as a recruiter."),
        CharterClause.SPAM,
    ),
    Hint(
        "say_organisation",
        _("Say which organisation you speak for: your verified badge shows it next to your name."),
        CharterClause.MISLEADING,
    ),
    Hint(
        "answer_the_question",
        _("Answer the question asked, in words that help every student in the same case."),
        CharterClause.OFF_TOPIC,
        contexts=("answer",),
    ),
    Hint(
        "no_candidate_data",
        _("Ask without any candidate's or colleague's personal data."),
        CharterClause.PERSONAL_DATA,
        contexts=("question",),
    ),
)

ROLE_STUDENT, ROLE_STAFF = "student", "staff"


@dataclass(frozen=True)
class ComposerHints:
    role: str  # "student", "staff", or "" when none are shown
    hints: tuple[Hint, ...]
    # Why they show: "first_posts" or "recent_hide".
    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.hints)


NO_HINTS = ComposerHints(role="", hints=())


def first_posts_with_hints() -> int:
    return settings.FORUM.get("CHARTER_HINT_POSTS", 3)


def hints_for(user, *, context: str) -> ComposerHints:
    """The hints the composer shows this member, in one query: their first
    `CHARTER_HINT_POSTS` published or pending posts, and again after one of
    their posts was hidden in the last `RECENT_HIDE_DAYS` days, until they
    say "Compris" (a dismissal older than that hide does not count).
    Moderators get none; verified HR and school staff get the staff hints."""
    if context not in CONTEXTS:
        raise ValueError(context)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_HINTS
    if user.is_staff or getattr(user, "_is_moderator", False):
        return NO_HINTS
    row = _HINTS_ROW.first(user.pk, *hint_window())
    if row is None:
        return NO_HINTS
    permissions.remember_membership(user, row["moderator"])
    return hints_from_row(user, row, context=context)


def hint_window() -> tuple:
    """(since, now): the hides that bring the hints back are those after `since`."""
    now = timezone.now()
    return now - timedelta(days=RECENT_HIDE_DAYS), now


def hints_from_row(user, row: dict, *, context: str) -> ComposerHints:
    """The hints, from a row with `hint_annotations` and "moderator" (for
    `user`, whose row is it): a query that asks more of the member can ask
    these too (`queries.thread_page_reader`)."""
    permissions.remember_verified_staff(user, row["staff"])
    if row["moderator"]:
        return NO_HINTS
    last_hide, dismissed_at = row["last_hide"], row["dismissed_at"]
    if last_hide is not None and (dismissed_at is None or dismissed_at < last_hide):
        reason = "recent_hide"
    elif dismissed_at is None and row["questions_posted"] + row["answers_posted"] < first_posts_with_hints():
        reason = "first_posts"
    else:
        return NO_HINTS
    role = ROLE_STAFF if row["staff"] else ROLE_STUDENT
    pool = STAFF_HINTS if role == ROLE_STAFF else STUDENT_HINTS
    return ComposerHints(role=role, hints=tuple(h for h in pool if context in h.contexts), reason=reason)


def hint_annotations(user_ref, since, now) -> dict:
    """What the hints depend on, for the member at `user_ref` (an OuterRef
    or an id), as annotations."""
    live = (Visibility.PUBLISHED, Visibility.PENDING)
    # Withdrawn and hidden posts do not count: the hints stay until N posts
    # were actually written within the charter (or are waiting for review).
    questions = Question.objects.filter(author_id=user_ref, visibility__in=live)
    answers = Answer.objects.filter(author_id=user_ref, visibility__in=live)
    last_hide = (
        ReviewItem.objects.filter(author_id=user_ref, decision=ReviewItem.Decision.HIDE, decided_at__gte=since)
        .values("author")
        .annotate(last=Max("decided_at"))
        .values("last")
    )
    return {
        "staff": Exists(Badge.objects.active(at=now).filter(user_id=user_ref, role__in=STAFF_ROLES)),
        "questions_posted": Coalesce(Subquery(_count(questions)), 0),
        "answers_posted": Coalesce(Subquery(_count(answers)), 0),
        "last_hide": Subquery(last_hide),
        "dismissed_at": Subquery(CharterHintsDismissal.objects.filter(user_id=user_ref).values("dismissed_at")[:1]),
    }


def _hints_row(user_pk, since, now):
    """What the hints depend on, for one member: one row."""
    annotations = {
        "moderator": permissions.moderator_membership(OuterRef("pk")),
        **hint_annotations(OuterRef("pk"), since, now),
    }
    return User.objects.filter(pk=user_pk).annotate(**annotations).values(*annotations).order_by("pk")[:1]


# Compiling the query above cost more CPU than running it, on every member's
# thread and ask page (docs/benchmarks.md): built once.
_HINTS_ROW = compiled_sql.CompiledQuery(
    _hints_row, (compiled_sql.marker_int(0), compiled_sql.marker_datetime(0), compiled_sql.marker_datetime(1))
)


def _count(rows):
    """COUNT(*) of a member's rows as a scalar subquery (the author index
    answers it; not capped at N: the ORM has no COUNT over a LIMIT, and a
    prolific member's count is still an index range)."""
    return rows.order_by().values("author").annotate(n=Count("pk")).values("n")


def hints_data(hints: ComposerHints) -> dict:
    """The composer hints in the public contract's shape."""
    return {
        "role": hints.role or None,
        "reason": hints.reason or None,
        "hints": [
            {
                "key": hint.key,
                "text": str(hint.text),
                "clause": hint.clause,
                "clause_title": str(CLAUSES[hint.clause].title),
                "clause_url": hint.url,
            }
            for hint in hints.hints
        ],
    }


# --- Moderation outcomes ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A decided review item, explained to the author: what happened to which
    post, the clause with its examples, the moderator's note, what to do next."""

    item: ReviewItem
    post: Question | Answer
    question: Question
    clause: Clause | None
    can_edit: bool
    can_appeal: bool
    appealed: bool

    @property
    def kind(self) -> str:
        return self.item.post_kind

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.post.body.split())).chars(EXCERPT_CHARS)

    @property
    def url(self) -> str:
        return outcome_url(self.item.pk)

    @property
    def hidden_now(self) -> bool:
        return self.post.visibility == Visibility.HIDDEN


EXCERPT_CHARS = 200


def outcome_url(review_item_id: int) -> str:
    return reverse("frontend:moderation_outcome", kwargs={"pk": review_item_id})


def get_outcome(user, pk: int) -> Outcome:
    """The outcome of review item `pk` for this viewer (the author of the post
    or a moderator; NotFound for anyone else). Three queries: the item with its
    post, "is this viewer a moderator?" when not the author, and "was it
    already appealed?"."""
    item = (
        ReviewItem.objects.select_related("question", "answer__question", "answer__author", "question__author")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound()
    permissions.check_can_view_moderation_outcome(user, item)
    post = item.post
    question = post if item.question_id else post.question
    post_rows = Q(question_id=item.question_id) if item.question_id else Q(answer_id=item.answer_id)
    appealed = ReviewItem.objects.filter(post_rows, is_appeal=True).exists()
    is_author = post.author_id == user.pk
    return Outcome(
        item=item,
        post=post,
        question=question,
        clause=CLAUSES.get(item.clause),
        can_edit=is_author and permissions.can_edit(user, post),
        can_appeal=is_author and not appealed and permissions.can_appeal(user, post),
        appealed=appealed,
    )


def outcome_data(outcome: Outcome) -> dict:
    """An outcome in the public contract's shape (GET /api/v1/moderation/decisions/<id>/)."""
    item, post = outcome.item, outcome.post
    return {
        "id": item.pk,
        "decision": item.decision,
        "decided_at": item.decided_at,
        "post_type": outcome.kind,
        "post_id": post.pk,
        "question_id": outcome.question.pk,
        "title": outcome.question.title,
        "excerpt": outcome.excerpt,
        "visibility": post.visibility,
        "note": item.note,
        **(clause_data(item.clause) or NO_CLAUSE),
        "can_edit": outcome.can_edit,
        "can_appeal": outcome.can_appeal,
        "appealed": outcome.appealed,
        "outcome_url": outcome.url,
        "web_url": post.get_absolute_url(),
    }


NO_CLAUSE = {"clause": "", "clause_title": None, "clause_why": None, "clause_example": None, "clause_url": None}


def sanction_url(sanction_id: int) -> str:
    """A warning or suspension explained: the member's warnings page, at it
    (the page shows each sanction's clause with its examples)."""
    return f"{reverse('frontend:my_warnings')}#sanction-{sanction_id}"
