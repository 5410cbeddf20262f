"""An organisation's own figures: questions addressed to it ("ask an
organisation"), how many its verified members answered and how fast, and its
members' accepted answers. Not public: forum.permissions'
`insight_organisations` says who may read them.

A member counts when they hold an active badge at the organisation now (any
role: an ambassador's reply is the organisation answering too)."""

from dataclasses import dataclass

from django.db.models import Min, OuterRef, QuerySet, Subquery

from forum.insights.period import Period
from forum.insights.waits import WaitStats, wait_stats
from forum.models import Answer, Badge, Organisation, Question, QuestionAddressee, Visibility


@dataclass(frozen=True)
class OrganisationFigures:
    organisation: Organisation
    addressed: int  # questions addressed to it during the period
    response: WaitStats  # addressed questions its members answered, and how fast
    accepted_answers: int  # its members' answers of the period that askers accepted

    @property
    def responded(self) -> int:
        return self.response.count

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.addressed if self.addressed else None


def _members(organisation: Organisation) -> QuerySet[Badge]:
    return Badge.objects.active().filter(organisation=organisation)


def organisation_figures(
    organisation: Organisation, period: Period, *, in_python: bool | None = None
) -> OrganisationFigures:
    member_answers = Answer.objects.filter(
        visibility=Visibility.PUBLISHED, author__in=_members(organisation).values("user_id")
    )
    addressed = QuestionAddressee.objects.filter(
        organisation=organisation,
        question__visibility=Visibility.PUBLISHED,
        created_at__gte=period.start,
        created_at__lt=period.end,
    )
    first_reply = Subquery(
        member_answers.filter(question=OuterRef("question"), created_at__gte=OuterRef("created_at"))
        .order_by()
        .values("question")
        .annotate(first=Min("created_at"))
        .values("first")[:1]
    )
    rows = addressed.annotate(first_reply_at=first_reply)
    accepted = member_answers.filter(
        created_at__gte=period.start,
        created_at__lt=period.end,
        pk__in=Question.objects.filter(visibility=Visibility.PUBLISHED, accepted_answer__isnull=False).values(
            "accepted_answer"
        ),
    )
    (response,) = wait_stats(rows, since="created_at", until=("first_reply_at",), in_python=in_python)
    return OrganisationFigures(
        organisation=organisation,
        addressed=addressed.count(),
        response=response,
        accepted_answers=accepted.count(),
    )
