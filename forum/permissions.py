"""The one permission policy: "may this user do this to that?".

Web views, API views and websocket consumers all ask here. Functions come in
threes: `can_x(user, obj) -> bool` for templates, `check_can_x(...)` which
raises NotAllowed with a message a person can act on, and `visible_*(user, qs)`
for lists.
"""

import functools
import re

from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum import confusables
from forum.exceptions import NotAllowed, NotFound
from forum.models import (
    Answer,
    Badge,
    BadgeRole,
    LiveQuestion,
    LiveSession,
    Organisation,
    Phase,
    Question,
    User,
    VerificationRequest,
    Visibility,
)
from forum.models.organisations import STAFF_ROLES

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


def moderator_membership(user_ref) -> Exists:
    """Whether the user at `user_ref` (an OuterRef) is in the moderators group,
    as an annotation: loaded with the row that brings the user, it saves the
    query `is_moderator` (and the author's badge) would make. Hand the value
    to `remember_membership`."""
    return Exists(User.groups.through.objects.filter(user_id=user_ref, group__name=MODERATORS_GROUP))


def remember_membership(user, in_group: bool) -> None:
    user._is_moderator = bool(in_group)


def remember_verified_staff(user, verified: bool) -> None:
    """What `is_verified_staff` would ask, told by a query that read it anyway."""
    user._is_verified_staff = bool(verified)


def knows_verified_staff(user) -> bool:
    return getattr(user, "_is_verified_staff", None) is not None


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
            # The site's one date format (the pages use the same through |date).
            "date": date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
        }
    return None


def participation_refusal(user) -> str | None:
    """Why this user may not post, vote or flag at all, or None: the ask and
    answer forms say it up front, before anything is typed."""
    return _participation_refusal(user)


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
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.filter(visibility=Visibility.PUBLISHED)
    if user.is_staff or getattr(user, "_is_moderator", None):
        return queryset
    mine = Q(visibility=Visibility.PUBLISHED) | Q(author=user)
    if getattr(user, "_is_moderator", None) is None:
        # Not known yet: the database answers "moderator?" inside the list's own
        # query (an uncorrelated EXISTS, evaluated once) instead of a query of its own.
        mine |= Q(moderator_membership(user.pk))
    return queryset.filter(mine)


def visible_answers(user, queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    if is_moderator(user):
        return queryset.exclude(visibility=Visibility.WITHDRAWN)
    if getattr(user, "is_authenticated", False):
        # Authors see their own pending and hidden answers, with the reason.
        return queryset.filter(
            Q(visibility=Visibility.PUBLISHED) | Q(author=user, visibility__in=[Visibility.PENDING, Visibility.HIDDEN])
        )
    return queryset.filter(visibility=Visibility.PUBLISHED)


# --- Discreet mode ----------------------------------------------------------------
# An asker may hide their identity from the verified members of chosen
# organisations (their employer, their school): those members see "An
# apprentice" on every post the asker writes in the thread. Moderators and the
# asker see who it is. "Verified member" = an active badge there, of any role.


def verified_organisation_ids(user) -> frozenset[int]:
    """The organisations where this user holds an active badge, asked once per
    request (kept on the user object) and only when a discreet post is shown."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_verified_organisation_ids", None)
    if cached is None:
        cached = frozenset(Badge.objects.active().filter(user_id=user.pk).values_list("organisation_id", flat=True))
        user._verified_organisation_ids = cached
    return cached


def is_hidden_from(user, question: Question) -> bool:
    """Whether the asker of this discreet question is hidden from this viewer.
    `user` None is a reader not known (a payload for everyone): hidden."""
    if not question.is_discreet:
        return False
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return question.discreet_everywhere
    if user.pk == question.author_id:
        return False
    if not question.discreet_everywhere and not verified_organisation_ids(user) & frozenset(question.discreet_from):
        return False
    # A moderator who also holds a badge there still moderates: they see.
    return not is_moderator(user)


def can_see_author(user, post: Question | Answer, question: Question | None = None) -> bool:
    """May `user` see who wrote `post`? The one rule for every front door
    (pages, API, websocket payloads and catch-up, notifications, search,
    feeds). Only the asker's posts in a discreet thread are masked: an answer
    or a later post by them would otherwise give them away. `question` saves
    loading `post.question` when the caller has it."""
    if isinstance(post, Question):
        question = post
    elif question is None:
        question = post.question
    return can_see_person(user, post.author_id, question)


def can_see_person(user, person_id: int | None, question: Question) -> bool:
    """`can_see_author` for anyone named in a thread (a revision's editor):
    only the asker of a discreet question can be hidden."""
    if not question.is_discreet or person_id != question.author_id:
        return True
    return not is_hidden_from(user, question)


def can_see_discretion(user, question: Question) -> bool:
    """Who may read the list of organisations a question is hidden from: the
    asker and moderators (anyone else would learn where the asker works)."""
    if not question.is_discreet:
        return False
    return _is_author(user, question) or is_moderator(user)


def _sees_every_discreet_asker(user) -> Q | None:
    """None when `user` sees every asker (a moderator), else the condition
    under which they do: their own questions, and, if it is not known yet,
    the database's answer to "moderator?" inside the list's query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_staff or getattr(user, "_is_moderator", None):
        return None
    sees = Q(author=user)
    if getattr(user, "_is_moderator", None) is None:
        sees |= Q(moderator_membership(user.pk))
    return sees


def listed_by_author(user, queryset: QuerySet[Question]) -> QuerySet[Question]:
    """A list of one member's questions (their profile, `?author=`): a
    discreet question is left out for everyone but its asker and moderators,
    because the list itself says who asked it. Leaving it out for all (rather
    than for the hidden-from organisations only) also keeps a signed-out HR
    from reading it there."""
    sees = _sees_every_discreet_asker(user)
    return queryset if sees is None else queryset.filter(Q(discreet_from=[], discreet_everywhere=False) | sees)


def answers_listed_by_author(user, member, queryset: QuerySet[Answer]) -> QuerySet[Answer]:
    """`listed_by_author` for a member's answers: their answers in their own
    discreet threads would name them as the asker."""
    if getattr(user, "is_authenticated", False) and user.pk == member.pk:
        return queryset
    sees = _sees_every_discreet_asker(user)
    if sees is None:
        return queryset
    # `sees` also lets in a moderator not known as one yet (their membership is
    # asked in the list's own query).
    return queryset.filter(
        Q(question__discreet_from=[], question__discreet_everywhere=False) | ~Q(question__author_id=member.pk) | sees
    )


def check_can_set_discretion(user, question: Question) -> None:
    """Only the asker chooses whom they hide from (an editing moderator does not)."""
    if not _is_author(user, question):
        raise NotAllowed(_("Only the person who asked can change discreet mode."))


# --- Writing ------------------------------------------------------------------


def can_participate(user) -> bool:
    return _participation_refusal(user) is None


def check_can_participate(user) -> None:
    refusal = _participation_refusal(user)
    if refusal:
        raise NotAllowed(refusal)


def check_can_ask(user) -> None:
    check_can_participate(user)


def check_can_answer(user, question: Question) -> None:
    check_can_participate(user)
    check_can_view_question(user, question)
    if question.is_locked and not is_moderator(user):
        raise NotAllowed(_("This thread is locked: it no longer accepts answers."))
    if question.visibility != Visibility.PUBLISHED:
        if _is_author(user, question) and question.visibility == Visibility.PENDING:
            raise NotAllowed(
                _("Your question is waiting for a moderator: it can be answered as soon as it is published.")
            )
        raise NotAllowed(_("This question is not published, it cannot be answered yet."))


def can_answer(user, question: Question) -> bool:
    return _allowed(check_can_answer, user, question)


def answer_refusal(user, question: Question) -> str | None:
    """Why the answer box of this thread is closed to this user, or None."""
    try:
        check_can_answer(user, question)
    except (NotAllowed, NotFound) as exc:
        return exc.message
    return None


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


def check_can_confirm_validity(user, answer: Answer) -> None:
    """ "Still valid as of today" on a dated legal answer (forum/legal_dates.py):
    whoever may edit the answer, its author or a moderator."""
    check_can_edit(user, answer)


def can_confirm_validity(user, answer: Answer) -> bool:
    return _allowed(check_can_confirm_validity, user, answer)


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


# --- Moderation ---------------------------------------------------------------


def can_moderate(user) -> bool:
    return is_moderator(user)


def check_can_moderate(user) -> None:
    if not is_moderator(user):
        raise NotAllowed(_("This action is reserved for moderators."))


def check_can_review(user) -> None:
    """The review queue, its decisions and the audit log."""
    check_can_moderate(user)


def check_can_flag(user, post: Question | Answer) -> None:
    """Any member who may take part can report a published post, not their own;
    a suspended member cannot (they could flood the queue)."""
    check_can_participate(user)
    if isinstance(post, Answer):
        if not can_view_answer(user, post):
            raise NotFound()
    else:
        check_can_view_question(user, post)
    if _is_author(user, post):
        raise NotAllowed(_("You cannot report your own post: edit or withdraw it instead."))
    if post.visibility != Visibility.PUBLISHED:
        raise NotAllowed(_("This post is already waiting for a moderator."))


def can_flag(user, post: Question | Answer) -> bool:
    return _allowed(check_can_flag, user, post)


def check_can_appeal(user, post: Question | Answer) -> None:
    """The author of a hidden post may ask for a second review (the service
    checks it is the first appeal). A suspended author may appeal too."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotAllowed(_("Log in to take part."))
    if not _is_author(user, post):
        raise NotFound()
    if post.visibility != Visibility.HIDDEN:
        raise NotAllowed(_("Only a post hidden by moderation can be appealed."))


def can_appeal(user, post: Question | Answer) -> bool:
    return _allowed(check_can_appeal, user, post)


def check_can_view_moderation_outcome(user, item) -> None:
    """A decided review item explained (forum.charter.outcome): for the author
    of the post and for moderators only. Anyone else, signed in or not, gets
    404, so the page does not even confirm that a decision exists."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotFound()
    if item.status != item.Status.DECIDED:
        raise NotFound()
    if item.author_id != user.pk and not is_moderator(user):
        raise NotFound()


def can_view_moderation_outcome(user, item) -> bool:
    return _allowed(check_can_view_moderation_outcome, user, item)


def check_can_sanction(user, member) -> None:
    """Moderators warn, suspend and ban members. Nobody sanctions themselves or
    a superuser; only an administrator (staff) sanctions a moderator, and only
    a superuser sanctions an administrator."""
    check_can_moderate(user)
    if member.pk == user.pk:
        raise NotAllowed(_("You cannot sanction yourself."))
    if (member.is_staff or member.is_superuser) and not user.is_superuser:
        raise NotAllowed(_("Only a superuser can sanction an administrator."))
    if is_moderator(member) and not user.is_staff:
        raise NotAllowed(_("Only an administrator can sanction a moderator."))


def can_sanction(user, member) -> bool:
    return _allowed(check_can_sanction, user, member)


# --- Personal data (RGPD) -----------------------------------------------------------


def check_can_export_data(user, member) -> None:
    """A member downloads their own data; a moderator answers a member's
    data-access request (audited by the service). A deleted account has
    nothing left to export."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in to take part."))
    if getattr(member, "erased_at", None) is not None:
        raise NotFound()
    if user.pk == member.pk and user.is_active:
        return
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can answer a data-access request for another member."))


def can_export_data(user, member) -> bool:
    return _allowed(check_can_export_data, user, member)


def check_can_delete_account(user, member) -> None:
    """Only the member deletes their own account (after confirming their
    password): a moderator bans, and an administrator uses the admin. A
    suspended or banned member may still leave: erasure is a right."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in to take part."))
    if user.pk != member.pk or getattr(member, "erased_at", None) is not None:
        raise NotAllowed(_("Only the member can delete their own account."))
    if member.is_superuser:
        raise NotAllowed(_("A superuser account is deleted by another administrator, not from the site."))


def can_delete_account(user, member) -> bool:
    return _allowed(check_can_delete_account, user, member)


# --- Organisations and verified badges ---------------------------------------------


def can_manage_organisations(user) -> bool:
    return is_moderator(user)


def check_can_manage_organisations(user) -> None:
    if not can_manage_organisations(user):
        raise NotAllowed(_("Only moderators manage organisations and their domains."))


def check_can_request_badge(user) -> None:
    check_can_participate(user)


def can_request_badge(user) -> bool:
    return can_participate(user)


def can_view_verification_request(user, request: VerificationRequest) -> bool:
    """The work email in a request is private: the requester and moderators only."""
    if not getattr(user, "is_authenticated", False):
        return False
    return request.user_id == user.pk or is_moderator(user)


def check_can_view_verification_request(user, request: VerificationRequest) -> None:
    if not can_view_verification_request(user, request):
        raise NotFound()


def visible_verification_requests(user, queryset: QuerySet[VerificationRequest]) -> QuerySet[VerificationRequest]:
    if is_moderator(user):
        return queryset
    if getattr(user, "is_authenticated", False):
        return queryset.filter(user=user)
    return queryset.none()


def check_can_cancel_verification_request(user, request: VerificationRequest) -> None:
    if not getattr(user, "is_authenticated", False) or request.user_id != user.pk:
        raise NotFound()


def check_can_review_verification(user, request: VerificationRequest | None = None) -> None:
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators review badge requests."))
    if request is not None and request.user_id == user.pk:
        raise NotAllowed(_("Another moderator must review your own badge request."))


def check_can_revoke_badge(user, badge: Badge) -> None:
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can revoke a badge."))


def check_can_renew_badge(user, badge: Badge) -> None:
    if not getattr(user, "is_authenticated", False) or badge.user_id != user.pk:
        raise NotFound()
    if not user.is_active:
        raise NotAllowed(_("This account is deactivated."))


def can_renew_badge(user, badge: Badge) -> bool:
    return _allowed(check_can_renew_badge, user, badge) and badge.is_active


# --- HR insights ("veille") -------------------------------------------------------


def _staff_badges_of(user) -> QuerySet[Badge]:
    return Badge.objects.active().filter(user=user, role__in=STAFF_ROLES)


def can_view_insights(user) -> bool:
    """The dashboard is for people who answer for an organisation (an active HR
    or school-staff badge) and for moderators; ambassadors and students are not
    its audience."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_moderator(user) or is_verified_staff(user)


def check_can_view_insights(user) -> None:
    if not can_view_insights(user):
        raise NotAllowed(_("The insights dashboard is for verified HR and school staff, and for moderators."))


def insight_organisations(user, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Organisations whose own (non-public) figures this user may read:
    moderators every one, staff the organisations of their active badges."""
    if is_moderator(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    return queryset.filter(pk__in=_staff_badges_of(user).values("organisation_id"))


def check_can_view_organisation_insights(user, organisation: Organisation) -> None:
    check_can_view_insights(user)
    if not insight_organisations(user, Organisation.objects.filter(pk=organisation.pk)).exists():
        raise NotAllowed(_("Only this organisation's verified staff and moderators see its figures."))


# Names must not pass for a badge or for someone else. A badge is drawn by the
# site from verified data only, and a name like "Claire [RH] ✔" would fake it.
# One rule for every name a reader sees next to a post (username, display
# name, school, bio, organisation names), on what the reader sees: words are
# compared through forum.confusables' key (UTS #39 skeleton after NFKC, case
# and accent folding), so "Rècruteuse", "R.H.", "M0dérateur", "ᴍᴏᴅᴇʀᴀᴛᴏʀ",
# "ꓣꓧ" (Lisu) or "dеmo-hr" (Cyrillic е) are caught by data, not by a table.
# Role words are listed in French and English, written out and abbreviated.
_ROLE_WORDS = {
    BadgeRole.HR: {
        "rh",
        "drh",
        "rrh",
        "hr",
        "recruteur",
        "recruteuse",
        "recruteurs",
        "recruiter",
        "recruiters",
        "recrutement",
        "recruitment",
        "ressourceshumaines",
        "humanresources",
        "talentacquisition",
        "chargeederecrutement",
        "chargederecrutement",
    },
    BadgeRole.AMBASSADOR: {"ambassadeur", "ambassadrice", "ambassadeurs", "ambassador", "ambassadors"},
    "moderator": {
        "moderateur",
        "moderatrice",
        "moderateurs",
        "moderator",
        "moderators",
        "modo",
        "modos",
        "moderation",
        # Only the bare word: "administrateur réseaux" is a common alternance job.
        "admin",
        "staff",
        "equipemoderation",
    },
}
_VERIFIED_WORDS = {
    "verifie",
    "verifiee",
    "verified",
    "certifie",
    "certifiee",
    "certified",
    "officiel",
    "officielle",
    "official",
    "badge",
}
# Digits written for letters ("M0d3rat3ur"): leetspeak, not confusables, so
# the Unicode data does not cover it (0 and 1 it does).
_LEET = str.maketrans("3457@$", "easta" + "s")


@functools.cache
def _keyed(words: frozenset[str]) -> frozenset[str]:
    return frozenset(confusables.compact_key(word) for word in words)


def _tokens(text: str) -> list[str]:
    """The words of `text` as comparison keys ("M0dérateur" -> "rnoderateur")."""
    # Split before mapping: a single letter stays one token even when its key
    # is longer ("m" -> "rn"), so that "M.O.D.O" still joins up.
    tokens = re.findall(r"[^\W_]+", confusables.fold(text).translate(_LEET))
    return [confusables.compact_key(token.translate(_LEET)) for token in tokens]


def _words(tokens: list[str]) -> list[str]:
    """The tokens, plus runs of single letters joined ("R. H." -> "rh") and
    each run of two or three words joined ("Ressources Humaines",
    "Moderation-Officielle")."""
    joined, run = [], []
    for token in [*tokens, ""]:
        if token and len(token) <= 2 and not token.isdigit():
            run.append(token)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        run = []
    pairs = ["".join(tokens[i : i + n]) for n in (2, 3) for i in range(len(tokens) - n + 1)]
    return tokens + joined + pairs


def _contains_name(tokens: list[str], name: str) -> bool:
    """Whether the organisation's name appears as whole words, spaced or not
    ("Société Générale", "societe-generale", "SocieteGenerale")."""
    compact = "".join(_tokens(name))
    if not compact:
        return False
    for start in range(len(tokens)):
        joined = ""
        for end in range(start, len(tokens)):
            joined += tokens[end]
            if joined == compact:
                return True
            if len(joined) >= len(compact):
                break
    return False


def _held_roles(user) -> tuple[set[str], set[int]]:
    held_roles: set[str] = set()
    held_organisations: set[int] = set()
    if getattr(user, "pk", None):
        held = Badge.objects.active().filter(user_id=user.pk).values_list("role", "organisation_id")
        for role, organisation_id in held:
            held_roles.add(role)
            held_organisations.add(organisation_id)
        if user.groups.filter(name=MODERATORS_GROUP).exists():
            held_roles.add("moderator")
    return held_roles, held_organisations


# Which checks apply to which field. Role words are refused in names only:
# "Licence pro RH" or "Master Recrutement" is a school, and "la RH de mon
# entreprise" an everyday sentence in a bio. A school may be a verified
# organisation, so its name is allowed there. Bios get the character rules.
NAME_FIELDS = {
    "username": {"mixed_script", "verified", "roles", "organisations"},
    "display_name": {"mixed_script", "verified", "roles", "organisations", "staff_lookalike"},
    "school": {"mixed_script", "verified"},
    "region": {"mixed_script", "verified"},
    "bio": {"mixed_script_words"},
    "organisation": {"mixed_script", "verified"},
}


def name_refusal(user, value: str, *, field: str = "display_name") -> str | None:
    """Why `value` may not be used by `user` in this name `field`, or None.
    `user` is None at sign-up (no badge held yet)."""
    if not value:
        return None
    checks = NAME_FIELDS[field]
    if confusables.badge_symbols(value):
        return _("A name cannot contain a check mark or a badge-like symbol: verified badges are shown by the site.")
    if "mixed_script" in checks and confusables.is_mixed_script(value):
        return _(
            "This mixes letters from different alphabets (for example a Cyrillic or Greek letter among Latin "
            "ones), which can imitate another name. Use one alphabet."
        )
    if "mixed_script_words" in checks and confusables.mixed_script_words(value):
        return _(
            "Some words mix letters from different alphabets (for example a Cyrillic or Greek letter among Latin "
            "ones), which can imitate another name. Use one alphabet per word."
        )
    tokens = _tokens(value)
    found = set(_words(tokens))
    if "verified" in checks and found & _keyed(frozenset(_VERIFIED_WORDS)):
        return _("A name cannot claim to be verified: verified badges are shown by the site itself.")
    if not {"roles", "organisations", "staff_lookalike"} & checks:
        return None
    held_roles, held_organisations = _held_roles(user)
    if "roles" in checks:
        for role, role_words in _ROLE_WORDS.items():
            if role not in held_roles and found & _keyed(frozenset(role_words)):
                return _(
                    "A name cannot announce a role such as HR, recruiter, ambassador or moderator: "
                    "ask for a verified badge instead."
                )
    if "organisations" in checks:
        for organisation_id, name in Organisation.objects.values_list("id", "name"):
            if organisation_id not in held_organisations and _contains_name(tokens, name):
                return _(
                    "“%(organisation)s” is a verified organisation: only its verified members may use its name. "
                    "Ask for a badge instead."
                ) % {"organisation": name}
    if "staff_lookalike" in checks and _looks_like_staff(user, value):
        return _("This name looks like the name of a moderator or verified member. Choose another one.")
    return None


def _looks_like_staff(user, value: str) -> bool:
    """Display names repeat (two students may both be "Léa"), so they are not
    unique; but one may not look like the name of a moderator or of a
    verified member, whose name readers trust."""
    wanted = confusables.compact_key(value)
    staff = (
        User.objects.filter(
            Q(groups__name=MODERATORS_GROUP)
            | Q(is_staff=True)
            | Q(badges__status=Badge.Status.ACTIVE, badges__expires_at__gt=timezone.now())
        )
        .exclude(pk=getattr(user, "pk", None))
        .values_list("username", "display_name")
        .distinct()
    )
    return any(wanted in {confusables.compact_key(username), confusables.compact_key(name)} for username, name in staff)


def display_name_refusal(user, display_name: str) -> str | None:
    """Why this display name may not be used by this user, or None."""
    return name_refusal(user, display_name, field="display_name")


# --- helpers --------------------------------------------------------------------


def _is_author(user, post) -> bool:
    return getattr(user, "is_authenticated", False) and post.author_id == user.pk


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except (NotAllowed, NotFound):
        return False
    return True


# --- Live sessions ("chats conseil") -------------------------------------------------
# Scheduling and hosting need a verified HR or school-staff badge (or moderation);
# a session's times decide what members may do (LiveSession.phase), checked on
# every call so that a session closes on time with no job running.


def is_verified_staff(user) -> bool:
    """An active HR or school-staff badge: the people who speak for an organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not knows_verified_staff(user):
        remember_verified_staff(user, _staff_badges_of(user).exists())
    return user._is_verified_staff


def can_schedule_live(user) -> bool:
    return _allowed(check_can_schedule_live, user)


def check_can_schedule_live(user) -> None:
    check_can_participate(user)
    if not (is_moderator(user) or is_verified_staff(user)):
        raise NotAllowed(_("Only verified HR or school staff and moderators can schedule a live session."))


def check_can_be_host(user) -> None:
    """Whether this member may be named host (not whether they host a given session)."""
    if not getattr(user, "is_active", False) or is_suspended(user):
        raise NotAllowed(_("%(name)s cannot host: the account is not active.") % {"name": user})
    if not (is_moderator(user) or is_verified_staff(user)):
        raise NotAllowed(
            _("%(name)s cannot host: hosts need a verified HR or school-staff badge.") % {"name": user.display_name}
        )


def is_host(user, session: LiveSession) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    hosts = getattr(session, "_host_ids", None)
    if hosts is None:
        hosts = set(session.hosts.values_list("pk", flat=True))
        session._host_ids = hosts
    return user.pk in hosts


def check_can_host(user, session: LiveSession) -> None:
    """Pick and answer questions: a named host, still verified, while the session is live."""
    check_can_participate(user)
    if not is_host(user, session):
        raise NotAllowed(_("Only the hosts of this session can answer its questions."))
    check_can_be_host(user)
    phase = session.phase()
    if phase == Phase.UPCOMING:
        raise NotAllowed(_("The session has not started yet: questions can be answered from its start."))
    if phase == Phase.CLOSED:
        raise NotAllowed(_("This session is over: it no longer takes answers."))
    if phase == Phase.CANCELLED:
        raise NotAllowed(_("This session was cancelled."))


def can_host(user, session: LiveSession) -> bool:
    return _allowed(check_can_host, user, session)


def check_can_edit_live_session(user, session: LiveSession) -> None:
    """Change or cancel a session: its organiser or a host while verified, or a
    moderator; only until it ends (a transcript is a record, not a draft)."""
    check_can_participate(user)
    is_organiser = getattr(user, "pk", None) == session.created_by_id
    if not (is_moderator(user) or ((is_organiser or is_host(user, session)) and is_verified_staff(user))):
        raise NotAllowed(_("Only the organiser, the hosts of this session and moderators can change it."))
    phase = session.phase()
    if phase == Phase.CLOSED:
        raise NotAllowed(_("This session is over: it can no longer be changed."))
    if phase == Phase.CANCELLED:
        raise NotAllowed(_("This session was cancelled: schedule a new one instead."))


def can_edit_live_session(user, session: LiveSession) -> bool:
    return _allowed(check_can_edit_live_session, user, session)


def _closed_refusal(session: LiveSession) -> str | None:
    phase = session.phase()
    if phase == Phase.CLOSED:
        return _("This session ended on %(date)s: it no longer takes questions or votes.") % {
            "date": date_format(timezone.localtime(session.ends_at), "DATETIME_FORMAT")
        }
    if phase == Phase.CANCELLED:
        return _("This session was cancelled: it no longer takes questions or votes.")
    return None


def check_can_submit_live_question(user, session: LiveSession) -> None:
    check_can_participate(user)
    refusal = _closed_refusal(session)
    if refusal:
        raise NotAllowed(refusal)


def can_submit_live_question(user, session: LiveSession) -> bool:
    return _allowed(check_can_submit_live_question, user, session)


def check_can_vote_live(user, question: LiveQuestion) -> None:
    check_can_participate(user)
    refusal = _closed_refusal(question.session)
    if refusal:
        raise NotAllowed(refusal)
    if question.visibility != Visibility.PUBLISHED or question.status == LiveQuestion.Status.MERGED:
        raise NotFound()
    if _is_author(user, question):
        raise NotAllowed(_("You cannot vote for your own question."))


def can_vote_live(user, question: LiveQuestion) -> bool:
    return _allowed(check_can_vote_live, user, question)


def check_can_moderate_live(user, session: LiveSession) -> None:
    """Hide, merge or approve questions: moderators."""
    if not is_moderator(user):
        raise NotAllowed(_("Only moderators can hide, approve or merge questions."))


def check_can_convert_live_question(user, question: LiveQuestion) -> None:
    """Turn a question (and its answer, if any) into a forum thread: a host or a
    moderator; an unanswered question also by its author."""
    check_can_participate(user)
    if question.visibility != Visibility.PUBLISHED or question.status == LiveQuestion.Status.MERGED:
        raise NotFound()
    if is_moderator(user) or (is_host(user, question.session) and is_verified_staff(user)):
        return
    if _is_author(user, question) and question.status != LiveQuestion.Status.ANSWERED:
        if question.session.phase() not in (Phase.CLOSED, Phase.CANCELLED):
            raise NotAllowed(_("Unanswered questions become threads once the session is over."))
        return
    raise NotAllowed(_("Only the hosts, moderators or the asker can turn this question into a thread."))


def can_convert_live_question(user, question: LiveQuestion) -> bool:
    return _allowed(check_can_convert_live_question, user, question)


def visible_live_questions(user, session: LiveSession, queryset: QuerySet[LiveQuestion]) -> QuerySet[LiveQuestion]:
    """Published questions for everyone; a held one for its author and moderators.
    Merged questions live on in the question they were merged into."""
    queryset = queryset.exclude(status=LiveQuestion.Status.MERGED)
    if is_moderator(user):
        return queryset.exclude(visibility=Visibility.WITHDRAWN)
    if getattr(user, "is_authenticated", False):
        return queryset.filter(Q(visibility=Visibility.PUBLISHED) | Q(author=user, visibility=Visibility.PENDING))
    return queryset.filter(visibility=Visibility.PUBLISHED)


# --- Alternance calendar (nudges) --------------------------------------------------
# The boost asks the people who answer for an organisation to look at questions
# that cannot wait; nobody else sees it. Moderators keep the calendar.


def can_see_calendar_boost(user) -> bool:
    return is_moderator(user) or is_verified_staff(user)


def check_can_see_calendar_boost(user) -> None:
    if not can_see_calendar_boost(user):
        raise NotAllowed(_("Boosted questions are shown to verified HR and school staff, and to moderators."))


def can_edit_calendar(user) -> bool:
    return is_moderator(user)


def check_can_edit_calendar(user) -> None:
    if not can_edit_calendar(user):
        raise NotAllowed(_("The alternance calendar is kept by moderators."))
