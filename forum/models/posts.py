import functools

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from forum.models.facets import ContractType, DiplomaLevel, Region, Sector
from forum.models.tagging import DeferredTaggableManager
from forum.slugs import slugify_title


class Visibility(models.TextChoices):
    """Who may see a post. Nothing is ever hard-deleted: a withdrawn or hidden
    post keeps its row and its revisions."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting moderation")
    HIDDEN = "hidden", _("Hidden by moderation")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class Question(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SOLVED = "solved", _("Solved")
        LOCKED = "locked", _("Locked")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    tags = TaggableManager(_("tags"), manager=DeferredTaggableManager)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    accepted_answer = models.OneToOneField(
        "forum.Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_locked = models.BooleanField(default=False)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    view_count = models.PositiveIntegerField(default=0)
    # Denormalised: number of published answers, kept by the services with F().
    answer_count = models.PositiveIntegerField(default=0)
    # Moderation: pinned threads lead the home page; a thread closed
    # as a duplicate is locked and points its readers to the original.
    pinned_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # Why the post is pending or hidden (a forum.models.HoldReason or
    # CharterClause value) and the moderator's note to the author.
    moderation_reason = models.CharField(max_length=20, blank=True)
    moderation_note = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Alternance facets (forum/models/facets.py): optional, "" when not given.
    # Indexed so that a list's facet counts are one grouped query each.
    diploma = models.CharField(_("diploma"), max_length=30, choices=DiplomaLevel.choices, blank=True, db_index=True)
    contract = models.CharField(_("contract"), max_length=30, choices=ContractType.choices, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True, db_index=True)
    # Discreet mode: ids of the organisations whose verified members see "An
    # apprentice" instead of the asker on each of the asker's posts in this
    # thread (forum.permissions.can_see_author). A list on the row rather than
    # a join table: every author block of every list asks, and a list must
    # not pay a query (or a prefetch) per row for a thread that is rarely discreet.
    discreet_from = models.JSONField(_("hidden from"), default=list, blank=True)
    # Discreet mode for the whole community: "An apprentice" for every reader
    # (signed out too) but the asker and moderators.
    discreet_everywhere = models.BooleanField(_("hidden from everyone"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["visibility", "-last_activity_at", "-id"], name="question_feed_idx"),
            models.Index(fields=["visibility", "-created_at", "-id"], name="question_newest_idx"),
            # Members see published threads or their own: an OR the feed index
            # cannot serve, so the planner walks this one in order and filters
            # (docs/performance.md has the plans; "newest" has created_at's own index).
            models.Index(fields=["-last_activity_at", "-id"], name="question_activity_idx"),
            # "votes" ordering (most answered first). Without visibility in
            # front, like the activity index: a member's OR filter is checked
            # while walking it (with it: a sort of the whole table, 360 ms at
            # 100,000 questions); the published-only filter walks it the same.
            models.Index(fields=["-answer_count", "-last_activity_at", "-id"], name="question_answers_idx"),
            # "unanswered": a small slice of the table, kept in feed order.
            models.Index(
                fields=["visibility", "-last_activity_at", "-id"],
                condition=models.Q(answer_count=0),
                name="question_unanswered_idx",
            ),
            models.Index(
                fields=["-pinned_at", "-id"], condition=models.Q(pinned_at__isnull=False), name="question_pinned_idx"
            ),
            # A member's profile: their questions, newest first.
            models.Index(fields=["author", "-created_at", "-id"], name="question_author_idx"),
            # The insights dashboard's "waiting longest": oldest unanswered
            # first, walked in order until enough match the viewer's tags
            # (without it PostgreSQL read every question of those tags: 1 s
            # at 100,000 questions; bench/insights.py).
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(answer_count=0, visibility="published", is_locked=False),
                name="question_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The canonical address, with the title's words (forum/slugs.py)."""
        return _thread_url(self.pk, self.title, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)

    @property
    def slug(self) -> str:
        return slugify_title(self.title)

    @property
    def status(self) -> str:
        if self.is_locked:
            return self.Status.LOCKED
        if self.accepted_answer_id:
            return self.Status.SOLVED
        return self.Status.OPEN

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def is_discreet(self) -> bool:
        return bool(self.discreet_from) or self.discreet_everywhere


@functools.lru_cache(maxsize=8192)
def _thread_url(pk: int, title: str, script_prefix: str, urlconf: str) -> str:
    # Every row of a list or a search, every REST thread and notification links
    # to its thread: the slug and `reverse` cost more than the rest of a row.
    # Kept per title (an edited title is a new address) and, as a member's
    # profile address is (forum.models.users._profile_url), per script prefix
    # and URLconf; addresses carry no language prefix.
    return reverse("frontend:thread", kwargs={"pk": pk, "slug": slugify_title(title)})


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("body (Markdown)"))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED)
    # Denormalised count of helpful votes, kept by the vote services with F().
    vote_count = models.IntegerField(default=0)
    # Moderation: see Question.moderation_reason.
    moderation_reason = models.CharField(max_length=20, blank=True)
    moderation_note = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    # Dated legal answers (forum/legal_dates.py): the day the figures were
    # checked ("valable au"), and up to three https links to the sources.
    valid_as_of = models.DateField(_("valid as of"), null=True, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "visibility", "created_at"], name="answer_thread_idx"),
            # A member's profile and GET /users/<name>/answers/: newest first.
            models.Index(fields=["author", "-created_at", "-id"], name="answer_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"

    def get_absolute_url(self) -> str:
        return self.question.get_absolute_url() + f"#answer-{self.pk}"


class Vote(models.Model):
    """A 'this helped me' vote on an answer: one per user and answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "user"], name="one_vote_per_user_and_answer")]
        # "Popular this week" counts the votes of the last days (forum.queries.hot_questions).
        indexes = [models.Index(fields=["created_at"], name="vote_created_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} -> answer {self.answer_id}"


class PostRevision(models.Model):
    """The text a post had *before* an edit, so that history is never lost."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=False)
                ),
                name="revision_of_exactly_one_post",
            )
        ]

    def __str__(self) -> str:
        target = f"question {self.question_id}" if self.question_id else f"answer {self.answer_id}"
        return f"Revision {self.pk} of {target}"
