"""How fast candidates get answers: median and 90th percentile of the time to
a first answer and to a first answer by a verified member, and the share of
answered questions that a verified member answered.

An answer counts when it is published and not by the asker (someone replying
"found it, thanks" has not been answered). "Verified": the answer's author
holds an active HR or school-staff badge now, as the "answered by a verified
HR" list counts it (forum.queries.staff_badges)."""

from dataclasses import dataclass

from django.db.models import Min, OuterRef, QuerySet, Subquery

from forum.insights.activity import published_in
from forum.insights.period import Period
from forum.insights.waits import WaitStats, wait_stats
from forum.models import Answer, Badge, Question, Visibility
from forum.models.organisations import STAFF_ROLES


@dataclass(frozen=True)
class ResponseTimes:
    asked: int
    first_answer: WaitStats
    first_verified_answer: WaitStats

    @property
    def answered(self) -> int:
        return self.first_answer.count

    @property
    def answered_by_verified(self) -> int:
        return self.first_verified_answer.count

    @property
    def verified_share(self) -> float | None:
        """Of the answered questions, the share a verified member answered."""
        return self.answered_by_verified / self.answered if self.answered else None

    @property
    def community_share(self) -> float | None:
        """Of the answered questions, the share only the community answered."""
        return 1 - self.verified_share if self.answered else None


def staff_members() -> QuerySet[Badge]:
    """Ids of members with an active HR or school-staff badge now (the same
    rule as forum.queries.staff_badges)."""
    return Badge.objects.active().filter(role__in=STAFF_ROLES).values("user_id")


def replies() -> QuerySet[Answer]:
    """Published answers to the question at OuterRef("pk"), not by its asker."""
    return Answer.objects.filter(question=OuterRef("pk"), visibility=Visibility.PUBLISHED).exclude(
        author=OuterRef("author")
    )


def first_reply_at(answers: QuerySet[Answer]) -> Subquery:
    # answer_thread_idx (question, visibility, created_at) serves this MIN.
    return Subquery(answers.order_by().values("question").annotate(first=Min("created_at")).values("first")[:1])


def with_first_replies(questions: QuerySet[Question]) -> QuerySet[Question]:
    answers = replies()
    # IN over the (few thousand) staff members: one hashed set for the whole
    # query, where EXISTS per answer probed the badges of every answer.
    verified = answers.filter(author__in=staff_members())
    return questions.annotate(first_answer_at=first_reply_at(answers), first_verified_at=first_reply_at(verified))


def response_times(period: Period, *, in_python: bool | None = None) -> ResponseTimes:
    rows = with_first_replies(published_in(period))
    first, first_verified = wait_stats(
        rows, since="created_at", until=("first_answer_at", "first_verified_at"), in_python=in_python
    )
    return ResponseTimes(asked=published_in(period).count(), first_answer=first, first_verified_answer=first_verified)
