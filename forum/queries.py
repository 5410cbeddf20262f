"""Reads shared by the web pages, the API and the websocket catch-up.

Every list here runs a fixed number of queries whatever its length (tested).
"""

from django.contrib.auth.models import Group
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from forum import events, permissions
from forum.exceptions import NotFound
from forum.models import (
    Answer,
    AuditLog,
    Badge,
    Event,
    Notification,
    Organisation,
    PostRevision,
    Question,
    TagSynonym,
    ThreadSubscription,
    User,
    VerificationRequest,
    Visibility,
    Vote,
)
from forum.models.moderation import Flag, ReviewItem, Sanction
from forum.models.organisations import STAFF_ROLES
from forum.validation import normalise_tag

# "verified": answered by a verified HR or school staff member (also `verified=True`).
LIST_ORDERINGS = {
    "activity": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-answer_count", "-last_activity_at", "-id"),
}


def question_list(
    user,
    *,
    status: str = "all",
    tag: str | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: str = "activity",
    verified: bool = False,
) -> QuerySet[Question]:
    """`verified`: only questions answered by a verified HR or school staff member."""
    qs = permissions.visible_questions(user, Question.objects.all())
    verified = verified or status == "verified"
    if status == "unanswered":
        qs = qs.filter(answer_count=0)
    elif status == "answered":
        qs = qs.filter(answer_count__gt=0)
    elif status == "solved":
        qs = qs.filter(accepted_answer__isnull=False)
    if tag:
        # "BTS" and "bts" are one tag: the filter matches what posting saves.
        qs = qs.filter(tags__slug=normalise_tag(tag))
    if author:
        qs = qs.filter(author__username=author)
    if search:
        for word in search.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if verified:
        qs = qs.filter(
            Exists(
                Answer.objects.filter(question=OuterRef("pk"), visibility=Visibility.PUBLISHED).filter(
                    Exists(staff_badges(user_ref=OuterRef("author")))
                )
            )
        )
    return (
        qs.select_related("author")
        .prefetch_related("tags", *author_badge_prefetches("author"))
        .order_by(*LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["activity"]))
    )


def thread_answers(user, question: Question) -> QuerySet[Answer]:
    """Accepted first, then answers by verified HR or school staff (they speak
    for the organisation), then most helpful, then oldest."""
    accepted_id = question.accepted_answer_id or 0
    return (
        permissions.visible_answers(user, question.answers.all())
        .select_related("author")
        .prefetch_related(*author_badge_prefetches("author"))
        .annotate(
            accepted_rank=Case(When(pk=accepted_id, then=Value(0)), default=Value(1), output_field=IntegerField()),
            staff_rank=Case(
                When(Exists(staff_badges(user_ref=OuterRef("author"))), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("accepted_rank", "staff_rank", "-vote_count", "created_at", "id")
    )


def voted_answer_ids(user, answer_ids) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Vote.objects.filter(user=user, answer_id__in=list(answer_ids)).values_list("answer_id", flat=True))


def get_visible_question(user, pk) -> Question:
    """The question if this user may see it, else NotFound (never a hint it exists)."""
    try:
        question = Question.objects.select_related("author").get(pk=int(pk))
    except (Question.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    permissions.check_can_view_question(user, question)
    return question


def get_visible_answer(user, pk) -> Answer:
    try:
        answer = Answer.objects.select_related("author", "question", "question__author").get(pk=int(pk))
    except (Answer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if not permissions.can_view_answer(user, answer):
        raise NotFound()
    return answer


def get_member(username) -> User:
    """An active member by username, else NotFound."""
    if not isinstance(username, str) or "\x00" in username:
        raise NotFound()
    member = User.objects.filter(username=username, is_active=True).first()
    if member is None:
        raise NotFound()
    return member


def user_activity(user, profile_user):
    questions = question_list(user, author=profile_user.username, ordering="newest")
    answers = (
        permissions.visible_answers(user, Answer.objects.filter(author=profile_user))
        .filter(question__in=permissions.visible_questions(user, Question.objects.all()))
        .select_related("question")
        .order_by("-created_at", "-id")
    )
    return questions, answers


def tag_counts(user, *, prefix: str | None = None) -> QuerySet[Tag]:
    """Tags of the questions this user can see, each with `question_count`,
    most used first; `prefix` keeps those whose name starts with it
    (autocomplete). One query, whatever the number of tags."""
    visible = permissions.visible_questions(user, Question.objects.all()).values("pk")
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type__app_label="forum",
        taggit_taggeditem_items__content_type__model="question",
        taggit_taggeditem_items__object_id__in=visible,
    )
    if prefix:
        # Also the tags one of whose synonyms starts with it: "rupture" finds `rupture-contrat`.
        synonym = normalise_tag(prefix)
        matches = Q(name__istartswith=prefix.strip())
        if synonym:
            matches |= Q(name__in=TagSynonym.objects.filter(name__startswith=synonym).values("tag_name"))
        tags = tags.filter(matches)
    return (
        # The filter comes before the annotation so that the count only sees its rows.
        tags.annotate(question_count=Count("taggit_taggeditem_items")).order_by("-question_count", "name")
    )


def tag_suggestions(user, query: str, *, limit: int = 8) -> list[dict]:
    """Existing tags (that this user can see used) for what is being typed,
    most used first, each with the synonym that matched if the name itself
    did not: [{"name", "slug", "question_count", "synonym"}]."""
    tags = list(tag_counts(user, prefix=query)[:limit])
    typed = normalise_tag(query)
    synonyms: dict[str, str] = {}
    if typed:
        for name, tag_name in TagSynonym.objects.filter(
            name__startswith=typed, tag_name__in=[tag.name for tag in tags]
        ).values_list("name", "tag_name"):
            synonyms.setdefault(tag_name, name)
    return [
        {
            "name": tag.name,
            "slug": tag.slug,
            "question_count": tag.question_count,
            "synonym": None if tag.name.startswith(query.strip().lower()) else synonyms.get(tag.name),
        }
        for tag in tags
    ]


def canonical_tags(names: list[str]) -> list[str]:
    """Normalised tag names with synonyms replaced by their tag, in order,
    without repeats ("rupture, rupture-contrat" is one tag)."""
    synonyms = dict(TagSynonym.objects.filter(name__in=names).values_list("name", "tag_name"))
    result: list[str] = []
    for name in names:
        tag = synonyms.get(name, name)
        if tag not in result:
            result.append(tag)
    return result


def existing_tag_names(user, names: list[str]) -> set[str]:
    """Which of these tag names already have a page this user can see (the
    others would be new). A tag only held posts use counts as new: saying
    otherwise would reveal those posts."""
    if not names:
        return set()
    visible = permissions.visible_questions(user, Question.objects.all()).values("pk")
    return set(
        Tag.objects.filter(
            name__in=names,
            taggit_taggeditem_items__content_type__app_label="forum",
            taggit_taggeditem_items__content_type__model="question",
            taggit_taggeditem_items__object_id__in=visible,
        ).values_list("name", flat=True)
    )


def get_visible_tag(user, slug: str) -> Tag:
    """A tag whose page this user may see: one used by at least one question
    they can see. A tag used only by pending or hidden threads does not exist
    for others (its page would reveal that such threads exist)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise NotFound(_("No tag has this name."))
    tagged = Question.objects.filter(tags__slug=tag.slug)
    if not permissions.visible_questions(user, tagged).exists():
        raise NotFound(_("No tag has this name."))
    return tag


def post_revisions(post: Question | Answer) -> QuerySet[PostRevision]:
    """Previous versions of a post, newest first, with their editors."""
    field = "question" if isinstance(post, Question) else "answer"
    return (
        PostRevision.objects.filter(**{field: post})
        .select_related("editor")
        .prefetch_related(*author_badge_prefetches("editor"))
        .order_by("-created_at", "-id")
    )


def latest_cursor() -> str:
    """The cursor a freshly rendered page subscribes from: events after it were
    not in the HTML and will be caught up over the websocket."""
    last = Event.objects.order_by("-id").values_list("id", flat=True).first()
    return str(last or 0)


def events_since(*, topic: str, since: int, user_id: int | None, is_moderator: bool, limit: int) -> list[tuple]:
    """What a websocket subscriber missed on `topic` after cursor `since`, oldest
    first, as (id, name, payload) rows: at most `limit` + 1, so the caller can
    tell that there were more than it is willing to replay. One indexed query
    on (topic, id)."""
    return list(
        Event.objects.filter(topic=topic, id__gt=since)
        .filter(events.audience_filter(user_id=user_id, is_moderator=is_moderator))
        .order_by("id")
        .values_list("id", "name", "payload")[: limit + 1]
    )


def topic_cursor(topic: str) -> int:
    """The newest cursor on one topic (0 if none): where a subscriber told to
    resync resumes."""
    return Event.objects.filter(topic=topic).order_by("-id").values_list("id", flat=True).first() or 0


# --- Verified badges ----------------------------------------------------------------


def staff_badges(*, user_ref) -> QuerySet[Badge]:
    """Active HR or school-staff badges of `user_ref` (an OuterRef), for Exists()."""
    return Badge.objects.active().filter(user=user_ref, role__in=STAFF_ROLES)


def author_badge_prefetches(path: str = "author") -> list[Prefetch]:
    """Prefetches that let `presenters.verified_badges` read the badges of the users
    at `path` without a query per user. Built per call: "active" means now."""
    return [
        Prefetch(
            f"{path}__badges",
            queryset=Badge.objects.active().select_related("organisation"),
            to_attr="active_badges",
        ),
        Prefetch(
            f"{path}__groups",
            queryset=Group.objects.filter(name=permissions.MODERATORS_GROUP),
            to_attr="moderator_groups",
        ),
    ]


def organisation_list() -> QuerySet:
    """The directory, with the number of verified members of each."""
    return (
        Organisation.objects.annotate(
            member_count=Count(
                "badges__user",
                filter=Q(badges__status=Badge.Status.ACTIVE, badges__expires_at__gt=timezone.now()),
                distinct=True,
            )
        )
        .prefetch_related("domains")
        .order_by("name")
    )


def get_organisation(slug) -> Organisation:
    if not isinstance(slug, str) or not 0 < len(slug) <= 80 or "\x00" in slug:
        raise NotFound()
    organisation = Organisation.objects.prefetch_related("domains").filter(slug=slug).first()
    if organisation is None:
        raise NotFound()
    return organisation


def organisation_members(organisation: Organisation) -> QuerySet[Badge]:
    """Active badges at this organisation, staff first, each with its user and
    all of that user's badges (for the author partial)."""
    return (
        Badge.objects.active()
        .filter(organisation=organisation)
        .select_related("user", "organisation")
        .prefetch_related(*author_badge_prefetches("user"))
        .annotate(
            role_rank=Case(When(role__in=STAFF_ROLES, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("role_rank", "verified_at", "id")
    )


def organisation_recent_answers(user, organisation: Organisation, *, limit: int = 10) -> list[Answer]:
    """Recent published answers by the organisation's verified members."""
    member_ids = Badge.objects.active().filter(organisation=organisation).values("user_id")
    return list(
        permissions.visible_answers(user, Answer.objects.filter(author_id__in=member_ids))
        .filter(question__in=permissions.visible_questions(user, Question.objects.all()))
        .select_related("author", "question")
        .prefetch_related(*author_badge_prefetches("author"))
        .order_by("-created_at", "-id")[:limit]
    )


def get_verification_request(user, pk) -> VerificationRequest:
    """The request if this user may see it (its author or a moderator), else
    NotFound: a work address is never shown to anyone else."""
    try:
        request = VerificationRequest.objects.select_related("organisation", "user", "decided_by").get(pk=int(pk))
    except (VerificationRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    permissions.check_can_view_verification_request(user, request)
    return request


def my_verification_requests(user) -> QuerySet[VerificationRequest]:
    return (
        permissions.visible_verification_requests(user, VerificationRequest.objects.all())
        .filter(user_id=getattr(user, "pk", None))
        .select_related("organisation", "decided_by", "user")
        .prefetch_related(*author_badge_prefetches("user"))
        .order_by("-created_at", "-id")
    )


def my_badges(user) -> QuerySet[Badge]:
    """Every badge of this member, active or not, newest first (for their own page)."""
    return Badge.objects.filter(user_id=getattr(user, "pk", None)).select_related("organisation", "request")


def get_badge(pk) -> Badge:
    try:
        return Badge.objects.select_related("organisation", "user", "request").get(pk=int(pk))
    except (Badge.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def verification_queue(user) -> QuerySet[VerificationRequest]:
    """Requests waiting for a moderator, oldest confirmation first."""
    permissions.check_can_review_verification(user)
    return (
        VerificationRequest.objects.filter(status=VerificationRequest.Status.PENDING_REVIEW)
        .select_related("organisation", "user")
        .prefetch_related(*author_badge_prefetches("user"))
        .order_by("email_confirmed_at", "id")
    )


# --- Moderation -------------------------------------------------------------------------

REVIEW_FILTERS = ("all", "flags", "first_posts", "links", "personal_data", "appeal")


def _count_for_member(queryset, field: str = "author", outer: str = "author"):
    """Count of `queryset` rows whose `field` is the member at `outer`, as a
    subquery (one query for the whole page, not one per row)."""
    counted = queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _member_history(outer: str) -> dict:
    """The `history_*` annotations presenters.member_history_data reads."""
    decided = ReviewItem.objects.filter(status=ReviewItem.Status.DECIDED)
    return {
        "history_questions": _count_for_member(Question.objects.all(), outer=outer),
        "history_answers": _count_for_member(Answer.objects.all(), outer=outer),
        "history_hidden": _count_for_member(decided.filter(decision=ReviewItem.Decision.HIDE), outer=outer),
        "history_approved": _count_for_member(decided.exclude(decision=ReviewItem.Decision.HIDE), outer=outer),
        "history_sanctions": _count_for_member(Sanction.objects.all(), field="user", outer=outer),
    }


def _open_items() -> QuerySet[ReviewItem]:
    return (
        ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
        # A post its author withdrew meanwhile needs no decision.
        .exclude(question__visibility=Visibility.WITHDRAWN)
        .exclude(answer__visibility=Visibility.WITHDRAWN)
    )


def _with_details(items: QuerySet[ReviewItem]) -> QuerySet[ReviewItem]:
    """Posts, flags (and flaggers), author badges and `history_*` annotations."""
    flags = Flag.objects.select_related("flagger").order_by("created_at", "id")
    return (
        items.select_related("author", "question", "answer", "answer__question", "decided_by")
        .prefetch_related(
            Prefetch("question__flags", queryset=flags),
            Prefetch("answer__flags", queryset=flags),
            *author_badge_prefetches("author"),
        )
        .annotate(**_member_history("author"))
    )


def review_queue(*, status: str = "open", reason: str = "all", post_type: str = "all") -> QuerySet[ReviewItem]:
    """Review items with their posts, flags and the author's history. Open
    items come oldest first; decided ones newest first. Constant number of queries."""
    if status == "decided":
        qs = ReviewItem.objects.filter(status=ReviewItem.Status.DECIDED).order_by("-decided_at", "-id")
    else:
        qs = _open_items().order_by("created_at", "id")
    # JSON containment is PostgreSQL-only; the quoted text of a reason works on
    # both backends and no reason's name contains another's in quotes.
    if reason == "appeal":
        qs = qs.filter(is_appeal=True)
    elif reason == "flags":
        qs = qs.filter(Q(reasons__icontains='"flags"') | Q(reasons__icontains='"moderator_flag"'))
    elif reason in REVIEW_FILTERS[2:]:
        qs = qs.filter(reasons__icontains=f'"{reason}"')
    if post_type == "question":
        qs = qs.filter(question__isnull=False)
    elif post_type == "answer":
        qs = qs.filter(answer__isnull=False)
    return _with_details(qs)


def member_with_history(member: User) -> User:
    """The member with the same `history_*` annotations as the queue's authors."""
    return User.objects.annotate(**_member_history("pk")).get(pk=member.pk)


def review_item(pk) -> ReviewItem:
    """One review item, open or decided, with the queue's details."""
    try:
        return _with_details(ReviewItem.objects.all()).get(pk=int(pk))
    except (ReviewItem.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def open_review_count() -> int:
    return _open_items().count()


def pinned_questions(*, limit: int = 5) -> QuerySet[Question]:
    """Threads pinned by moderators, newest pin first, for the top of the home
    page (titles and counts only: one query)."""
    return Question.objects.filter(pinned_at__isnull=False, visibility=Visibility.PUBLISHED).order_by(
        "-pinned_at", "-id"
    )[:limit]


def flagged_post_ids(user, *, question: Question) -> dict[str, set[int]]:
    """Which posts of a thread this member already reported (to show "reported")."""
    if not getattr(user, "is_authenticated", False):
        return {"question": set(), "answer": set()}
    rows = Flag.objects.filter(flagger=user).filter(Q(question=question) | Q(answer__question=question))
    ids = {"question": set(), "answer": set()}
    for question_id, answer_id in rows.values_list("question_id", "answer_id"):
        if question_id:
            ids["question"].add(question_id)
        else:
            ids["answer"].add(answer_id)
    return ids


def appealed(post: Question | Answer) -> bool:
    field = "question" if isinstance(post, Question) else "answer"
    return ReviewItem.objects.filter(is_appeal=True, **{field: post}).exists()


def member_sanctions(member) -> QuerySet[Sanction]:
    return Sanction.objects.filter(user=member).select_related("issued_by", "lifted_by").order_by("-created_at", "-id")


def audit_log(
    *, action: str = "", actor: str = "", target: str = "", date_from=None, date_to=None
) -> QuerySet[AuditLog]:
    """The audit log, newest first, filtered for the moderators' search.
    `target` is "type:id" (e.g. "answer:12"), a type, or text in the target's name."""
    qs = AuditLog.objects.select_related("actor").order_by("-created_at", "-id")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor__username__iexact=actor)
    if target:
        kind, _, pk = target.partition(":")
        if pk.isdigit():
            qs = qs.filter(target_type=kind, target_id=int(pk))
        elif target.isdigit():
            qs = qs.filter(target_id=int(target))
        else:
            qs = qs.filter(Q(target_type=target) | Q(target_repr__icontains=target))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


# --- Notifications ---------------------------------------------------------------------


def notifications_of(user, *, unread_only: bool = False, kind: str = "") -> QuerySet:
    """A member's notifications, newest activity first, with what their
    sentence and link need (a constant number of queries per page)."""
    rows = Notification.objects.filter(recipient=user).select_related("question", "answer", "actor")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-updated_at", "-id")


def unread_notification_count(user) -> int:
    """The header counter: one COUNT on the partial index of unread rows."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def follows_thread(user, question) -> bool:
    return ThreadSubscription.objects.filter(user=user, question=question, following=True).exists()


def member_suggestions(prefix: str, *, limit: int = 8) -> list:
    """@mention autocomplete: active, not suspended members by username prefix."""
    now = timezone.now()
    return list(
        User.objects.filter(username__istartswith=prefix, is_active=True)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
        .order_by("username")[:limit]
    )
