"""Reads shared by the web pages, the API and the websocket catch-up.

Every list here runs a fixed number of queries whatever its length (tested).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from forum import charter, compiled_sql, events, legal_dates, list_cache, permissions
from forum.alternance_calendar import Occurrence, active_windows
from forum.exceptions import NotFound
from forum.models import (
    Answer,
    AuditLog,
    Badge,
    CalendarWindow,
    Event,
    LiveQuestion,
    LiveSession,
    LiveSessionFollow,
    LiveVote,
    Notification,
    Organisation,
    PostRevision,
    Question,
    TagDescription,
    TagQuestionCount,
    TagSubscription,
    TagSynonym,
    ThreadSubscription,
    User,
    VerificationRequest,
    Visibility,
    Vote,
)
from forum.models.moderation import Flag, ReviewItem, Sanction
from forum.models.organisations import STAFF_ROLES
from forum.thread_filters import ThreadFilters
from forum.validation import normalise_tag

# "verified": answered by a verified HR or school staff member (also `verified=True`).
# "solved_by_verified": the accepted answer is by one (see `question_list`).
LIST_STATUSES = ("all", "unanswered", "answered", "solved", "verified", "solved_by_verified")

LIST_ORDERINGS = {
    "activity": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    # Waiting longest first: what HR staff look for to help ("Sans réponse").
    "oldest": ("created_at", "id"),
    "votes": ("-answer_count", "-last_activity_at", "-id"),
    # "Populaires cette semaine": see `with_hot_score`.
    "hot": ("-hot_score", "-last_activity_at", "-id"),
}

# What "popular this week" looks back over, and what each kind of activity weighs.
HOT_PERIOD = timedelta(days=7)
HOT_ANSWER_WEIGHT = 3
HOT_VOTE_WEIGHT = 1
# "Popular" is a short list: beyond this many threads it is no longer news.
HOT_LIMIT = 200


def question_list(
    user,
    *,
    status: str = "all",
    tag: str | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: str = "activity",
    verified: bool = False,
    filters: ThreadFilters | None = None,
) -> QuerySet[Question]:
    """`verified`: only questions answered by a verified HR or school staff member.
    `status="solved_by_verified"`: only questions whose accepted answer is by
    one (who holds an active badge now). `filters`: the alternance facets.
    `ordering="hot"` keeps only questions with activity in the last HOT_PERIOD."""
    qs = permissions.visible_questions(user, Question.objects.all())
    verified = verified or status == "verified"
    if status == "unanswered":
        qs = qs.filter(answer_count=0)
    elif status == "answered":
        qs = qs.filter(answer_count__gt=0)
    elif status == "solved":
        qs = qs.filter(accepted_answer__isnull=False)
    elif status == "solved_by_verified":
        # The accepted answer must itself still be public: a hidden answer
        # proves nothing to the reader.
        qs = qs.filter(
            accepted_answer__visibility=Visibility.PUBLISHED,
            accepted_answer__isnull=False,
        ).filter(Exists(staff_badges(user_ref=OuterRef("accepted_answer__author"))))
    if filters is not None:
        qs = filters.apply(qs)
    if tag:
        # "BTS" and "bts" are one tag: the filter matches what posting saves.
        # As EXISTS, not a join: on a tag held by many questions the join read
        # every tagged row and sorted them (357 ms for a tag of 43,000 of
        # 100,000 questions), where EXISTS lets PostgreSQL walk the list's
        # ordering index and stop at the page (30 ms); the same on small tags.
        qs = qs.filter(
            Exists(
                TaggedItem.objects.filter(
                    # Cached by Django after the first use: no query.
                    content_type_id=ContentType.objects.get_for_model(Question).pk,
                    object_id=OuterRef("pk"),
                    tag_id=Subquery(Tag.objects.filter(slug=normalise_tag(tag)).values("pk")[:1]),
                )
            )
        )
    if author:
        qs = permissions.listed_by_author(user, qs.filter(author__username=author))
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
    if ordering == "hot":
        qs = with_hot_score(qs)
    return (
        qs.select_related("author")
        .prefetch_related("tags", *author_badge_prefetches("author"))
        .order_by(*LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["activity"]))
    )


def list_ordering(ordering: str) -> QuerySet[Question]:
    """A queryset ordered as `question_list(ordering=...)` orders, with the
    same sort fields, read nothing and built in microseconds: what a cursor
    is checked against before anything is read (the REST list refuses a bad
    cursor before its version, and never builds the list on a cache hit)."""
    qs = Question.objects.all()
    if ordering == "hot":
        qs = qs.annotate(hot_score=Value(0, output_field=IntegerField()))
    return qs.order_by(*LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["activity"]))


def with_hot_score(qs: QuerySet[Question], *, now=None) -> QuerySet[Question]:
    """The HOT_LIMIT questions with the most activity in the last HOT_PERIOD,
    each with `hot_score`: HOT_ANSWER_WEIGHT per published answer and
    HOT_VOTE_WEIGHT per helpful vote (on its published answers) in that
    period.

    The scores come from two grouped queries over the period's answers and
    votes, found by their indexed `created_at` (so the cost follows the
    week's activity, not the size of the forum), and reach the list as a
    CASE on the top ids. A correlated subquery per candidate cost 9 s at
    100,000 questions (docs/benchmarks.md). The visibility and other filters
    of `qs` still apply: a hidden thread among the top ids is simply not
    listed.

    Without `now`, the top ids come from the shared cache
    (forum.list_cache): recounted after any event on `feed` (a new answer,
    a hidden question) and at least every HOT_IDS_SECONDS, so that the week
    slides; a helpful vote, announced on its thread only, shows within that
    time. The list is then one query for the rows."""
    if now is None:
        top = list_cache.cached(
            "hot",
            list_cache.list_topics(),
            (),
            lambda: hot_top_ids(timezone.now()),
            timeout=list_cache.HOT_IDS_SECONDS,
        )
    else:
        top = hot_top_ids(now)
    if not top:
        return qs.none().annotate(hot_score=Value(0, output_field=IntegerField()))
    return qs.filter(pk__in=[question_id for question_id, _score in top]).annotate(
        hot_score=Case(
            *[When(pk=question_id, then=Value(score)) for question_id, score in top],
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def hot_top_ids(now) -> list[tuple[int, int]]:
    """[(question id, hot score)] of the HOT_LIMIT most active questions of
    the HOT_PERIOD before `now`, highest first: two grouped queries."""
    since = now - HOT_PERIOD
    scores: Counter[int] = Counter()
    recent_answers = (
        Answer.objects.filter(visibility=Visibility.PUBLISHED, created_at__gte=since)
        .order_by()
        .values_list("question_id")
        .annotate(n=Count("pk"))
    )
    for question_id, n in recent_answers:
        scores[question_id] += n * HOT_ANSWER_WEIGHT
    recent_votes = (
        Vote.objects.filter(created_at__gte=since, answer__visibility=Visibility.PUBLISHED)
        .order_by()
        .values_list("answer__question_id")
        .annotate(n=Count("pk"))
    )
    for question_id, n in recent_votes:
        scores[question_id] += n * HOT_VOTE_WEIGHT
    return scores.most_common(HOT_LIMIT)


def thread_answers(user, question: Question, *, badges: bool = True) -> QuerySet[Answer]:
    """Accepted first, then answers by verified HR or school staff (they speak
    for the organisation), then most helpful, then oldest. `badges=False`:
    the caller loads the authors' badges with the other people of its page
    (`with_badges`)."""
    accepted_id = question.accepted_answer_id or 0
    answers = legal_dates.with_legal_flag(
        permissions.visible_answers(user, question.answers.all()).select_related("author")
    )
    if badges:
        answers = answers.prefetch_related(*author_badge_prefetches("author"))
    return answers.annotate(
        accepted_rank=Case(When(pk=accepted_id, then=Value(0)), default=Value(1), output_field=IntegerField()),
        staff_rank=Case(
            When(Exists(staff_badges(user_ref=OuterRef("author"))), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("accepted_rank", "staff_rank", "-vote_count", "created_at", "id")


def viewer_marks(user, *, question: Question, answer_ids, reports: bool = True) -> tuple[set[int], dict[str, set[int]]]:
    """What this viewer did on a thread, for its per-viewer parts: the answers
    they voted for and the posts they reported ({"question": ids, "answer":
    ids}; not asked when `reports` is False), in one query for the whole
    page (a UNION of small indexed reads), nothing for anonymous readers."""
    marks: dict[str, set[int]] = {"vote": set(), "question": set(), "answer": set()}
    if getattr(user, "is_authenticated", False):
        parts = [
            Vote.objects.filter(user=user, answer_id__in=list(answer_ids))
            .order_by()  # SQLite refuses ORDER BY inside a UNION
            .annotate(kind=Value("vote"))
            .values_list("answer_id", "kind")
        ]
        if reports:
            parts += [
                Flag.objects.filter(flagger=user, question=question)
                .order_by()
                .annotate(kind=Value("question"))
                .values_list("question_id", "kind"),
                Flag.objects.filter(flagger=user, answer__question=question)
                .order_by()
                .annotate(kind=Value("answer"))
                .values_list("answer_id", "kind"),
            ]
        rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for pk, kind in rows:
            marks[kind].add(pk)
    return marks["vote"], {"question": marks["question"], "answer": marks["answer"]}


def voted_answer_ids(user, answer_ids) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Vote.objects.filter(user=user, answer_id__in=list(answer_ids)).values_list("answer_id", flat=True))


def _visible_question(pk: int):
    return (
        Question.objects.select_related("author")
        .filter(pk=pk)
        .annotate(author_is_moderator=permissions.moderator_membership(OuterRef("author_id")))
    )


def _visible_question_and_reader(pk: int, reader_pk: int):
    return _visible_question(pk).annotate(reader_is_moderator=permissions.moderator_membership(reader_pk))


# Every read of a thread (its page, the API's detail and answers): built and
# compiled once (forum/compiled_sql.py), the ORM's build was most of the read.
_VISIBLE_QUESTION = compiled_sql.CompiledQuery(_visible_question, (compiled_sql.marker_int(0),))
_VISIBLE_QUESTION_AND_READER = compiled_sql.CompiledQuery(
    _visible_question_and_reader, (compiled_sql.marker_int(0), compiled_sql.marker_int(1))
)
# What a bigint primary key holds: outside it, no question (and no query).
_BIGINT_MIN, _BIGINT_MAX = -(2**63), 2**63 - 1


def get_visible_question(user, pk) -> Question:
    """The question if this user may see it, else NotFound (never a hint it exists)."""
    # "Is the author a moderator?" (their badge) and "is the reader one?"
    # (what they may see and do) come with the row: no query of their own.
    reader = user if getattr(user, "is_authenticated", False) and getattr(user, "_is_moderator", None) is None else None
    try:
        pk = int(pk)
    except (ValueError, TypeError, OverflowError):
        raise NotFound() from None
    if not _BIGINT_MIN <= pk <= _BIGINT_MAX:
        raise NotFound()
    if reader is None:
        question = _VISIBLE_QUESTION.instance(pk)
    else:
        question = _VISIBLE_QUESTION_AND_READER.instance(pk, reader.pk)
    if question is None:
        raise NotFound()
    permissions.remember_membership(question.author, question.author_is_moderator)
    if reader is not None:
        permissions.remember_membership(reader, question.reader_is_moderator)
    permissions.check_can_view_question(user, question)
    return question


def get_visible_answer(user, pk) -> Answer:
    try:
        answer = (
            Answer.objects.select_related("author", "question", "question__author")
            .annotate(
                author_is_moderator=permissions.moderator_membership(OuterRef("author_id")),
                on_legal_thread=legal_dates.legal_thread_flag(),
            )
            .get(pk=int(pk))
        )
    except (Answer.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    permissions.remember_membership(answer.author, answer.author_is_moderator)
    if not permissions.can_view_answer(user, answer):
        raise NotFound()
    return answer


def answers_to_check(user, *, author: User | None = None, tag: str = "") -> QuerySet[Answer]:
    """Dated legal answers that need checking today (forum/legal_dates.py),
    as this user may see them: `author`'s own (their refresh list), or every
    one (the moderators' list), on threads with the legal `tag` if given.
    Oldest first, the most likely out of date; one query per page."""
    answers = Answer.objects.exclude(visibility=Visibility.WITHDRAWN)
    if author is not None:
        answers = answers.filter(author=author)
    answers = permissions.visible_answers(user, answers).filter(
        question__in=permissions.visible_questions(user, Question.objects.all())
    )
    if tag:
        answers = answers.filter(question__tags__name=tag)
    return (
        legal_dates.to_check(answers)
        .select_related("author", "question", "question__author")
        .prefetch_related(*author_badge_prefetches("author"))
        .order_by("created_at", "id")
    )


def get_member(username) -> User:
    """An active member by username, else NotFound."""
    if not isinstance(username, str) or "\x00" in username:
        raise NotFound()
    member = (
        User.objects.filter(username=username, is_active=True)
        .annotate(in_moderators=permissions.moderator_membership(OuterRef("pk")))
        .first()
    )
    if member is None:
        raise NotFound()
    permissions.remember_membership(member, member.in_moderators)
    return member


def user_activity(user, profile_user):
    questions = question_list(user, author=profile_user.username, ordering="newest")
    answers = (
        permissions.answers_listed_by_author(
            user, profile_user, permissions.visible_answers(user, Answer.objects.filter(author=profile_user))
        )
        .filter(question__in=permissions.visible_questions(user, Question.objects.all()))
        .select_related("question")
        .order_by("-created_at", "-id")
    )
    return questions, answers


def tag_counts(user, *, prefix: str | None = None) -> QuerySet[Tag]:
    """Tags of the questions this user can see, each with `question_count`,
    most used first; `prefix` keeps those whose name starts with it
    (autocomplete). Anonymous visitors see exactly the published questions:
    the stored counts, one query. A member also sees their own unpublished
    questions (a moderator: everyone's), counted apart in a second query on
    those few rows: counting every visible tagged row cost 330 ms at 100,000
    questions, on each keystroke of the ask form's tag field."""
    if not getattr(user, "is_authenticated", False):
        return public_tag_counts(prefix=prefix)
    extra = dict(
        TaggedItem.objects.filter(
            content_type_id=ContentType.objects.get_for_model(Question).pk,
            object_id__in=_held_questions(user).values("pk"),
        )
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values_list("tag_id", "n")
    )
    if not extra:
        return public_tag_counts(prefix=prefix)
    own = Case(*(When(pk=tag_id, then=Value(n)) for tag_id, n in extra.items()), default=Value(0))
    return _counted(Tag.objects.all(), prefix, Coalesce(F("published__question_count"), Value(0)) + own)


def public_tag_counts(*, prefix: str | None = None) -> QuerySet[Tag]:
    """Tags with published questions, each with `question_count`, most used
    first: the shared tag cloud of the home page and the tag index, the same
    for every reader. Reads the counts the services keep
    (forum.models.TagQuestionCount) instead of counting tagged rows: one
    query on a table of one row per tag."""
    return _counted(Tag.objects.all(), prefix, F("published__question_count"))


def _counted(tags: QuerySet[Tag], prefix: str | None, count) -> QuerySet[Tag]:
    # Tags that count nothing for this reader (no row: NULL) are left out.
    if prefix:
        tags = tags.filter(_tag_prefix(prefix))
    return tags.annotate(question_count=count).filter(question_count__gt=0).order_by("-question_count", "name")


def _tag_prefix(prefix: str) -> Q:
    # Also the tags one of whose synonyms starts with it: "rupture" finds `rupture-contrat`.
    synonym = normalise_tag(prefix)
    matches = Q(name__istartswith=prefix.strip())
    if synonym:
        matches |= Q(name__in=TagSynonym.objects.filter(name__startswith=synonym).values("tag_name"))
    return matches


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
    otherwise would reveal those posts. The stored published counts first,
    then this user's own held threads for the rest (joining every visible
    tagged row cost 270 ms per keystroke at 100,000 questions)."""
    if not names:
        return set()
    existing = set(Tag.objects.filter(name__in=names, published__question_count__gt=0).values_list("name", flat=True))
    others = [name for name in names if name not in existing]
    if others and getattr(user, "is_authenticated", False):
        existing.update(
            Tag.objects.filter(
                name__in=others,
                taggit_taggeditem_items__content_type_id=ContentType.objects.get_for_model(Question).pk,
                taggit_taggeditem_items__object_id__in=_held_questions(user).values("pk"),
            ).values_list("name", flat=True)
        )
    return existing


def _held_questions(user) -> QuerySet[Question]:
    """The unpublished questions this member sees: their own (a moderator:
    everyone's). Few rows, found through the author or the visibility index."""
    return permissions.visible_questions(
        user, Question.objects.filter(visibility__in=[v for v in Visibility.values if v != Visibility.PUBLISHED])
    )


def get_visible_tag(user, slug: str) -> Tag:
    """A tag whose page this user may see: one used by at least one question
    they can see. A tag used only by pending or hidden threads does not exist
    for others (its page would reveal that such threads exist)."""
    # One query: the tag and whether this user sees one of its questions.
    tagged = permissions.visible_questions(user, Question.objects.filter(tags__id=OuterRef("pk")))
    tag = Tag.objects.filter(slug=slug).annotate(seen=Exists(tagged)).first()
    if tag is None or not tag.seen:
        raise NotFound(_("No tag has this name."))
    return tag


def tag_page_details(user, tag: Tag) -> dict:
    """What a tag's page says above its list: the moderators' description
    (or ""), how many questions this user can see with it, its follower count
    and whether this user follows it (one query for both). On a cached
    anonymous page the follower count may be up to PAGE_CACHE_SECONDS old:
    following publishes no event."""
    description = TagDescription.objects.filter(tag=tag).values_list("text", flat=True).first() or ""
    # The published ones are the count the services keep (TagQuestionCount);
    # counting the tagged rows cost 1.45 s on a big tag at 100,000 questions.
    # Only what else this user sees is counted: their own unpublished
    # questions (a moderator: everyone's), few, found through the author or
    # the visibility index.
    # One query either way: both counts as scalar subqueries of the tag's row.
    count = Coalesce(
        Subquery(TagQuestionCount.objects.filter(tag_id=OuterRef("pk")).values("question_count")[:1]), Value(0)
    )
    if getattr(user, "is_authenticated", False):
        unpublished = permissions.visible_questions(
            user,
            Question.objects.filter(
                # An IN list, not "<> published", so that the visibility index serves.
                tags__id=OuterRef("pk"),
                visibility__in=[v for v in Visibility.values if v != Visibility.PUBLISHED],
            ),
        )
        # COUNT as a plain function: no GROUP BY, one row even when none match.
        count = count + Subquery(
            unpublished.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        )
    question_count = Tag.objects.filter(pk=tag.pk).values_list(count, flat=True).first() or 0
    follower_count, following = tag_follow_state(user, tag.slug)
    return {
        "description": description,
        "question_count": question_count,
        "follower_count": follower_count,
        "following_tag": following,
    }


def tag_follow_state(user, slug: str) -> tuple[int, bool]:
    """A tag's follower count and whether `user` follows it, as its page
    shows them: also what a members' shared tag page is keyed on, since
    following publishes no event. One query."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    followers = TagSubscription.objects.filter(tag__slug=slug).aggregate(
        count=Count("pk"), mine=Count("pk", filter=Q(user_id=user_id))
    )
    return followers["count"], bool(followers["mine"])


def discreet_organisations(question: Question) -> list[Organisation]:
    """The organisations a discreet question hides its asker from, by name
    (for the asker and moderators only: `permissions.can_see_discretion`)."""
    if not question.discreet_from:
        return []
    return list(Organisation.objects.filter(pk__in=question.discreet_from).order_by("name"))


def post_revisions(post: Question | Answer) -> QuerySet[PostRevision]:
    """Previous versions of a post, newest first, with their editors."""
    field = "question" if isinstance(post, Question) else "answer"
    # The thread comes with each row: whether its editor may be named to the
    # reader depends on it (discreet mode, permissions.can_see_person).
    thread = "question" if isinstance(post, Question) else "answer__question"
    return (
        PostRevision.objects.filter(**{field: post})
        .select_related("editor", thread)
        .prefetch_related(*author_badge_prefetches("editor"))
        .order_by("-created_at", "-id")
    )


def latest_cursor() -> str:
    """The cursor a freshly rendered page subscribes from: events after it were
    not in the HTML and will be caught up over the websocket."""
    return str(newest_cursor())


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


def newest_cursor() -> int:
    """The newest cursor of the whole log (0 if empty). Every page rendered
    for a reader asks it: in SQL, its ORM query cost more to build than to run."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {Event._meta.db_table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def event_topics_after(cursor: int, *, limit: int) -> list[tuple[int, str]]:
    """(id, topic) of the events after `cursor`, oldest first, at most `limit`:
    one range scan of the primary key, without the payloads (a process's
    check for live hints the channel layer lost, api/fanout.py)."""
    return list(Event.objects.filter(id__gt=cursor).order_by("id").values_list("id", "topic")[:limit])


def layer_messages(ids: list[int]) -> list[dict]:
    """The channel-layer messages of these events, oldest first, rebuilt from
    their rows."""
    return [events.layer_message(event) for event in Event.objects.filter(id__in=ids).order_by("id")]


def topic_cursor(topic: str) -> int:
    """The newest cursor on one topic (0 if none): where a subscriber told to
    resync resumes."""
    return Event.objects.filter(topic=topic).order_by("-id").values_list("id", flat=True).first() or 0


# --- Verified badges ----------------------------------------------------------------


def staff_badges(*, user_ref, at=None) -> QuerySet[Badge]:
    """Active HR or school-staff badges of `user_ref` (an OuterRef), for
    Exists(); active `at` that moment (now)."""
    return Badge.objects.active(at=at).filter(user=user_ref, role__in=STAFF_ROLES)


def tag_names_of(questions: list[Question]) -> dict[int, tuple[tuple[str, str], ...]]:
    """The (slug, name) of each question's tags, sorted, in one query without
    building a tag (the list pages load their questions without tags)."""
    names: dict[int, list[tuple[str, str]]] = {}
    rows = _TAG_NAMES.rows([q.pk for q in questions], ContentType.objects.get_for_model(Question).pk)
    for question_id, slug, name in rows:
        names.setdefault(question_id, []).append((slug, name))
    return {question_id: tuple(sorted(pairs)) for question_id, pairs in names.items()}


# Every list page and search: built and compiled once (forum/compiled_sql.py).
_TAG_NAMES = compiled_sql.CompiledQuery(
    lambda ids, content_type_id: TaggedItem.objects.filter(
        content_type_id=content_type_id, object_id__among=ids
    ).values_list("object_id", "tag__slug", "tag__name"),
    (compiled_sql.marker_ids(0), compiled_sql.marker_int(1)),
)


def with_badges(users) -> None:
    """Load the badges of every person a page shows (authors, the reader) in
    two queries, for `presenters.verified_badges`: one per page, not one per
    person."""
    people = [user for user in users if getattr(user, "pk", None) and not hasattr(user, "active_badges")]
    prefetch_related_objects(people, *author_badge_prefetches(""))


def active_badges_prefetch(path: str = "author") -> Prefetch:
    """The badges half of `author_badge_prefetches`, for users whose moderator
    membership came with their row (`permissions.moderator_membership`)."""
    return Prefetch(
        f"{path}__badges" if path else "badges",
        queryset=Badge.objects.active().select_related("organisation"),
        to_attr="active_badges",
    )


def author_badge_prefetches(path: str = "author") -> list[Prefetch]:
    """Prefetches that let `presenters.verified_badges` read the badges of the users
    at `path` ("" for users themselves) without a query per user. Built per
    call: "active" means now."""
    return [
        active_badges_prefetch(path),
        Prefetch(
            f"{path}__groups" if path else "groups",
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
        # The list says "a member of this organisation answered": an asker in
        # discreet mode answering in their own thread would be named by it.
        .filter(
            Q(question__discreet_from=[], question__discreet_everywhere=False) | ~Q(question__author_id=F("author_id"))
        )
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


# --- Sitemaps: what search engines may list, as an anonymous reader sees it ------


def sitemap_threads() -> QuerySet:
    """(id, title, last_activity_at) of every thread an anonymous reader can
    open, in id order (stable pages): plain tuples, no model per row, since a
    sitemap page holds 50,000 of them."""
    anonymous = AnonymousUser()
    return (
        permissions.visible_questions(anonymous, Question.objects.all())
        .order_by("id")
        .values_list("id", "title", "last_activity_at")
    )


def sitemap_threads_latest_activity():
    """When the newest of those threads last changed (question_feed_idx)."""
    return (
        permissions.visible_questions(AnonymousUser(), Question.objects.all())
        .order_by("-last_activity_at")
        .values_list("last_activity_at", flat=True)
        .first()
    )


def sitemap_tags() -> QuerySet:
    """(slug, latest activity) of the tags an anonymous reader can open (used
    by at least one thread they can see), in slug order. One grouped pass over
    the published threads' tags (230 ms at 100,000 questions and 245,000
    taggings); a latest-activity subquery per distinct tag ran for more than
    20 minutes there."""
    return (
        permissions.visible_questions(AnonymousUser(), Question.objects.filter(tags__isnull=False))
        .values_list("tags__slug")
        .annotate(latest=Max("last_activity_at"))
        .order_by("tags__slug")
    )


def sitemap_organisations() -> QuerySet:
    return Organisation.objects.order_by("slug").values_list("slug", flat=True)


def sitemap_members() -> QuerySet:
    """Usernames of active members with public activity: a published question,
    or a published answer to a published question. A profile with nothing
    public is not worth a search engine's listing."""
    published = Question.objects.filter(visibility=Visibility.PUBLISHED)
    asked = published.filter(author=OuterRef("pk"))
    answered = Answer.objects.filter(
        author=OuterRef("pk"), visibility=Visibility.PUBLISHED, question__visibility=Visibility.PUBLISHED
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(Exists(asked)) | Q(Exists(answered)))
        .order_by("id")
        .values_list("username", flat=True)
    )


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
    """The header counter: one COUNT on the partial index of unread rows,
    on every signed-in page (compiled once: forum/compiled_sql.py)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    row = _UNREAD_COUNT.first(user.pk)
    return row["unread"] if row else 0


def remember_unread_count(user, count: int | None) -> None:
    """The unread count read with the signed-in member as the request began
    (forum/auth_backends.py) or since, for `current_unread_count`; None
    forgets it (notifications were marked read: forum/services/notifications.py)."""
    user._unread_at_arrival = count


def current_unread_count(user) -> int:
    """The header's unread count: the one read with the member, unless this
    request marked notifications read since, so no query of its own on most
    pages; else `unread_notification_count`, remembered until the next change."""
    count = getattr(user, "_unread_at_arrival", None)
    if count is None:
        count = unread_notification_count(user)
        if getattr(user, "is_authenticated", False):
            remember_unread_count(user, count)
    return count


def unread_count_query(user_id) -> QuerySet:
    """The unread count of the member at `user_id` (an id or an OuterRef): one row, or none."""
    return (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values("unread")
    )


_UNREAD_COUNT = compiled_sql.CompiledQuery(unread_count_query, (compiled_sql.marker_int(0),))


def follows_thread(user, question) -> bool:
    return ThreadSubscription.objects.filter(user=user, question=question, following=True).exists()


def member_suggestions(prefix: str, *, limit: int = 8, exclude_id: int | None = None) -> list:
    """@mention autocomplete: active, not suspended members by username prefix.
    The editor leaves out its own author (`exclude_id`): a self-mention notifies nobody."""
    now = timezone.now()
    members = User.objects.filter(username__istartswith=prefix, is_active=True).filter(
        Q(suspended_until__isnull=True) | Q(suspended_until__lte=now)
    )
    if exclude_id is not None:
        members = members.exclude(pk=exclude_id)
    # Only what the list shows: never an email, even by accident of a serializer.
    # In the order of the prefix index (migration 0026), so that PostgreSQL reads only the matches.
    return list(
        members.only("pk", "username", "display_name", "erased_at").order_by(Upper("username"), "username")[:limit]
    )


def public_facet_counts(
    filters,
    *,
    status: str = "all",
    tag: str | None = None,
    author: str | None = None,
    search: str | None = None,
    verified: bool = False,
    ordering: str = "activity",
):
    """`filters.facet_counts()` of the public list with these parameters (the
    ones `question_list` takes), from the shared cache (forum.list_cache)."""
    # Only "hot" narrows the list; the other orderings give the same counts.
    ordering = "hot" if ordering == "hot" else "activity"
    parts = (status, tag or "", author or "", search or "", verified, ordering, sorted(filters.active.items()))

    def count():
        unfaceted = question_list(
            AnonymousUser(),
            status=status,
            tag=tag,
            author=author,
            search=search,
            verified=verified,
            ordering=ordering,
        )
        return filters.count_values(unfaceted)

    counted = list_cache.cached(
        "facets", list_cache.list_topics(tag), parts, count, timeout=settings.PAGE_CACHE_SECONDS
    )
    return filters.present_counts(counted)


# --- Live sessions ----------------------------------------------------------------------

LIVE_ORDERS = ("votes", "time")


def live_session_exists(pk) -> bool:
    return str(pk).isdigit() and LiveSession.objects.filter(pk=int(pk)).exists()


def live_sessions(*, when: str = "all"):
    """Sessions for lists: "upcoming" (not ended yet, soonest first, cancelled
    ones included), "past" (ended and held, newest first) or "all"; hosts and their badges and tags come with them."""
    now = timezone.now()
    queryset = LiveSession.objects.select_related("organisation").prefetch_related(
        Prefetch("hosts", queryset=User.objects.prefetch_related(*author_badge_prefetches(""))), "tags"
    )
    if when == "upcoming":
        return queryset.filter(ends_at__gt=now).order_by("starts_at", "id")
    if when == "past":
        # A cancelled session has no transcript; until its planned end it is
        # still listed with the upcoming ones, marked, for those who planned it.
        return queryset.filter(ends_at__lte=now, cancelled_at__isnull=True).order_by("-starts_at", "-id")
    return queryset.order_by("-starts_at", "-id")


def get_live_session(pk) -> LiveSession:
    """The session (public to everyone) with its hosts, badges and tags, or NotFound."""
    session = live_sessions().filter(pk=pk).first() if str(pk).isdigit() else None
    if session is None:
        raise NotFound()
    session._host_ids = {host.pk for host in session.hosts.all()}
    return session


def live_questions(user, session: LiveSession, *, order: str = "votes", answered: bool | None = None):
    """The session's questions this user may see, with what each shows
    (authors and their badges, hosts), in queue order: most votes first (ties
    by age), or oldest first."""
    queryset = LiveQuestion.objects.filter(session=session).select_related(
        "author", "answering_host", "answered_by", "thread"
    )
    queryset = permissions.visible_live_questions(user, session, queryset)
    if answered is True:
        queryset = queryset.filter(status=LiveQuestion.Status.ANSWERED)
    elif answered is False:
        queryset = queryset.exclude(status=LiveQuestion.Status.ANSWERED)
    if order == "time":
        queryset = queryset.order_by("created_at", "id")
    elif order == "answered":
        queryset = queryset.order_by("answered_at", "id")
    else:
        queryset = queryset.order_by("-vote_count", "created_at", "id")
    return queryset.prefetch_related(*author_badge_prefetches("author"), *author_badge_prefetches("answered_by"))


def get_live_question(user, session: LiveSession, pk) -> LiveQuestion:
    if not str(pk).isdigit():
        raise NotFound()
    question = live_questions(user, session).filter(pk=int(pk)).first()
    if question is None:
        raise NotFound()
    question.session = session
    return question


def live_votes_of(user, question_ids) -> set[int]:
    """The questions this member voted for, in one query (nothing for anonymous readers)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        LiveVote.objects.filter(user=user, question_id__in=list(question_ids)).values_list("question_id", flat=True)
    )


def follows_live_session(user, session: LiveSession) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return LiveSessionFollow.objects.filter(user=user, session=session).exists()


def sitemap_live_sessions() -> QuerySet:
    """(id, title, ends_at) of every live session, for the sitemap: a past
    session is listed by its transcript, an upcoming one by its page; a
    cancelled one has nothing worth finding."""
    return LiveSession.objects.filter(cancelled_at__isnull=True).order_by("id").values_list("pk", "title", "ends_at")


LIVE_SEARCH_LIMIT = 5


def search_live_transcripts(text: str) -> list[LiveQuestion]:
    """Answered, published questions of past sessions whose question or answer
    matches `text`, newest session first: the "in the live sessions" block of
    the search page. Transcripts are small (a session answers tens of
    questions), so PostgreSQL matches them without an index, with the forum
    search's configuration (French stemming after unaccent); SQLite compares words.
    The first LIVE_SEARCH_LIMIT."""
    return _LIVE_TRANSCRIPT_MATCHES.instances(text, timezone.now())


def _live_transcript_matches(text: str, now) -> QuerySet[LiveQuestion]:
    queryset = LiveQuestion.objects.filter(
        status=LiveQuestion.Status.ANSWERED,
        visibility=Visibility.PUBLISHED,
        session__ends_at__lte=now,
    ).select_related("session", "author", "answered_by")
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("body", "answer", config="fr_unaccent")
        queryset = queryset.annotate(match=vector).filter(
            match=SearchQuery(text, search_type="websearch", config="fr_unaccent")
        )
    else:
        for word in text.split()[:8]:
            queryset = queryset.filter(Q(body__icontains=word) | Q(answer__icontains=word))
    return queryset.order_by("-session__starts_at", "answered_at")


# On every computed search page: built and compiled once (forum/compiled_sql.py).
_LIVE_TRANSCRIPT_MATCHES = compiled_sql.CompiledQuery(
    lambda text, now: _live_transcript_matches(text, now)[:LIVE_SEARCH_LIMIT],
    (compiled_sql.marker_text(0), compiled_sql.marker_datetime(1)),
)


# --- Alternance calendar (nudges) --------------------------------------------------

# The windows change a few times a year; every reader shares one copy. The
# service deletes it on a change (forum.services.calendar), the timeout bounds
# what a lost delete could leave.
CALENDAR_WINDOWS_KEY = "calendar:windows"
CALENDAR_WINDOWS_SECONDS = 600
# The boosted section shows the oldest few; the discovery list below has the rest.
BOOST_LIMIT = 8


def calendar_windows() -> list[CalendarWindow]:
    """Every window, enabled or not, in calendar order: no query when cached."""
    windows = cache.get(CALENDAR_WINDOWS_KEY)
    if windows is None:
        windows = list(CalendarWindow.objects.all())
        cache.set(CALENDAR_WINDOWS_KEY, windows, CALENDAR_WINDOWS_SECONDS)
    return windows


def active_calendar(at: datetime | None = None) -> list[tuple[CalendarWindow, Occurrence]]:
    """The enabled windows active at `at` (now), soonest end first."""
    active = active_windows([w for w in calendar_windows() if w.enabled], at or timezone.now())
    return sorted(active, key=lambda pair: (pair[1].end, pair[0].pk))


@dataclass
class BoostedQuestion:
    pk: int
    title: str
    created_at: datetime
    window: CalendarWindow
    occurrence: Occurrence

    def get_absolute_url(self) -> str:
        return Question(pk=self.pk, title=self.title).get_absolute_url()


def boosted_questions(
    user, *, at: datetime | None = None, limit: int = BOOST_LIMIT, active=None
) -> list[BoostedQuestion]:
    """The unanswered questions in the tags of the active windows, oldest
    first, for verified staff and moderators (nobody else: an empty list).
    One query: the rows with the first matching tag, through the partial
    index of waiting questions (published, unanswered, not locked)."""
    active = active_calendar(at) if active is None else active
    if not active or not permissions.can_see_calendar_boost(user):
        return []
    window_of: dict[str, tuple[CalendarWindow, Occurrence]] = {}
    for window, occurrence in active:
        for slug in window.tags:
            window_of.setdefault(slug, (window, occurrence))
    tagged = TaggedItem.objects.filter(
        content_type_id=ContentType.objects.get_for_model(Question).pk,
        object_id=OuterRef("pk"),
        tag__slug__in=list(window_of),
    )
    rows = (
        Question.objects.filter(answer_count=0, visibility=Visibility.PUBLISHED, is_locked=False)
        .filter(Exists(tagged))
        .annotate(boost_tag=Subquery(tagged.order_by("tag__slug").values("tag__slug")[:1]))
        .order_by("created_at", "id")
        .values_list("pk", "title", "created_at", "boost_tag")[:limit]
    )
    result = []
    for pk, title, created_at, slug in rows:
        window, occurrence = window_of[slug]
        result.append(BoostedQuestion(pk, title, created_at, window, occurrence))
    return result


def calendar_banner(*, tags: list[str] | None = None, at: datetime | None = None):
    """The active window a page may mention (the one ending soonest), among
    those concerning `tags` when given (a tag page): no query when the
    windows are cached."""
    for window, occurrence in active_calendar(at):
        if tags is None or set(tags) & set(window.tags):
            return window, occurrence
    return None


# --- Members' shared pages ---------------------------------------------------------


def sees_lists_as_any_member(user) -> bool:
    """Whether `user` sees the list pages (home, discovery) exactly as every
    other such member does but for the account menu (frontend/page_cache.py):
    active, not staff, no moderator group, no badge (discretion depends on
    organisations), no question of theirs that is not published (lists show
    a member their own held questions) or discreet (its asker is shown to
    them only), no notice from the moderators. One query, none when the
    member's read told."""
    if not _may_read_as_any_member(user):
        return False
    traits = getattr(user, "_list_traits", None)
    if traits is None:
        traits = _MEMBER_TRAITS.first(user.pk)
        if traits is None:
            return False
        remember_list_traits(user, traits)
    return not any(traits.values())


def remember_list_traits(user, traits: dict[str, bool]) -> None:
    """What `sees_lists_as_any_member` asks, told by a query that read it
    anyway (the signed-in member's own read: forum/auth_backends.py)."""
    user._list_traits = traits
    permissions.remember_membership(user, traits["moderator"])
    if not traits["badge"]:
        permissions.remember_verified_staff(user, False)


def _may_read_as_any_member(user) -> bool:
    """The list traits the user row itself tells (no query)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and not user.is_staff
        and not user.unseen_sanctions
        and not permissions.is_suspended(user)
    )


LIST_TRAITS = ("moderator", "badge", "held", "discreet")


def member_trait_annotations(user_ref) -> dict:
    """The list traits the database tells (LIST_TRAITS), for the user at
    `user_ref` (an OuterRef or an id): asked by `sees_lists_as_any_member`,
    with the signed-in member's read, and with the reader's part in a thread
    by `thread_reader_state`."""
    own = Question.objects.filter(author_id=user_ref)
    return {
        "moderator": permissions.moderator_membership(user_ref),
        "badge": Exists(Badge.objects.filter(user_id=user_ref)),
        "held": Exists(own.exclude(visibility=Visibility.PUBLISHED)),
        "discreet": Exists(own.filter(Q(discreet_everywhere=True) | ~Q(discreet_from=[]))),
    }


def _member_traits(user_id: int) -> QuerySet:
    traits = member_trait_annotations(OuterRef("pk"))
    return User.objects.filter(pk=user_id).annotate(**traits).values(*traits)


# Asked on every member's list page: built and compiled once (forum/compiled_sql.py).
_MEMBER_TRAITS = compiled_sql.CompiledQuery(_member_traits, (compiled_sql.marker_int(0),))


def thread_reader_state(user, question_id: int) -> tuple[bool] | None:
    """For the thread reads shared between members (frontend/page_cache.py,
    api/conditional.py): None when the thread shows this member something of
    their own: they asked it, answered it, voted or reported there, or their
    lists are not anyone's (`sees_lists_as_any_member`, asked in the same
    query), or it is not published; else what else of them the page shows
    that no event on the thread tells: whether they follow it. One query."""
    if not _may_read_as_any_member(user):
        return None
    row = _THREAD_RELATION.first(user.pk, question_id)
    if row is None:
        return None
    permissions.remember_membership(user, row["moderator"])
    return None if _took_part(row) else (row["following"],)


@dataclass(frozen=True)
class ThreadPageReader:
    """What a member's thread page shows of them when it is the members'
    shared copy (`thread_page_reader`)."""

    following: bool
    hints: "charter.ComposerHints"


def thread_page_reader(user, question_id: int) -> ThreadPageReader | None:
    """`thread_reader_state` for the thread page, with what else the page
    shows of the member that no event tells: the answer composer's charter
    hints. One query for both, on every member's thread page (the header's
    unread count comes with the member: `current_unread_count`)."""
    if not _may_read_as_any_member(user):
        return None
    row = _THREAD_PAGE_READER.first(user.pk, question_id, *charter.hint_window())
    if row is None:
        return None
    permissions.remember_membership(user, row["moderator"])
    if _took_part(row):
        return None
    return ThreadPageReader(following=row["following"], hints=charter.hints_from_row(user, row, context="answer"))


def _thread_relation(user_id: int, question_id: int, **extra) -> QuerySet:
    """The reader's part in the thread and their list traits (and `extra`
    annotations), as one row of the thread if it is published."""
    thread = OuterRef("pk")
    annotations = {
        "asked": Exists(Question.objects.filter(pk=thread, author_id=user_id)),
        # Any answer of theirs, held or withdrawn ones included: the page shows those to them.
        "answered": Exists(Answer.objects.filter(question_id=thread, author_id=user_id)),
        "voted": Exists(Vote.objects.filter(user_id=user_id, answer__question_id=thread)),
        "reported": Exists(
            Flag.objects.filter(flagger_id=user_id).filter(Q(question_id=thread) | Q(answer__question_id=thread))
        ),
        "following": Exists(ThreadSubscription.objects.filter(user_id=user_id, question_id=thread, following=True)),
        # The list traits, for the reads that ask only this.
        **member_trait_annotations(user_id),
        **extra,
    }
    return (
        Question.objects.filter(pk=question_id, visibility=Visibility.PUBLISHED)
        .annotate(**annotations)
        .values(*annotations)
    )


# Asked on every member's thread read: built and compiled once (forum/compiled_sql.py).
_THREAD_RELATION = compiled_sql.CompiledQuery(
    _thread_relation, (compiled_sql.marker_int(0), compiled_sql.marker_int(1))
)
# What makes a thread the member's own page (the list traits included).
_THREAD_RELATION_PARTS = ("asked", "answered", "voted", "reported", *LIST_TRAITS)


def _took_part(row: dict) -> bool:
    return any(row[name] for name in _THREAD_RELATION_PARTS)


def _thread_page_reader(user_id: int, question_id: int, since, now) -> QuerySet:
    return _thread_relation(user_id, question_id, **charter.hint_annotations(user_id, since, now))


_THREAD_PAGE_READER = compiled_sql.CompiledQuery(
    _thread_page_reader,
    (
        compiled_sql.marker_int(0),
        compiled_sql.marker_int(1),
        compiled_sql.marker_datetime(0),
        compiled_sql.marker_datetime(1),
    ),
)
