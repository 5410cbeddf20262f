"""Something for `demo-mod` to review: a curt answer that two members
reported, waiting in the review queue (still published: two reports stay
under the hiding threshold). Through the real services, so the queue, its
events and the reports' weights are what production would have."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forum.demo.context import SeedContext
from forum.models import Answer, Flag, Question, Visibility
from forum.services.answers import post_answer
from forum.services.flags import flag_post

CURT_ANSWER = (
    "Franchement, cette question revient toutes les semaines. Cherche un peu avant de poster, "
    "tout est déjà expliqué partout."
)
AUTHOR = "thomas-r"
REPORTERS = (("emma-l", "Pas très bienveillant pour quelqu'un qui débute."), ("sarah-k", "Ton méprisant."))


def seed_moderation(ctx: SeedContext) -> None:
    author = ctx.member(AUTHOR)
    if Answer.objects.filter(author=author, body=CURT_ANSWER).exists():
        return
    # A thread that already has a helpful answer or two, not by the curt author.
    question = (
        Question.objects.filter(visibility=Visibility.PUBLISHED, answer_count__in=(1, 2))
        .exclude(author=author)
        .exclude(answers__author=author)
        .order_by("created_at", "id")
        .first()
    )
    if question is None:
        return
    with transaction.atomic():
        answer = post_answer(author=author, question=question, body=CURT_ANSWER)
        for username, text in REPORTERS:
            flag_post(user=ctx.member(username), post=answer, reason="harassment", text=text)
        # Demo only, like the other steps' backdating: a few hours old, not
        # "25 seconds ago" at every fresh seed.
        posted_at = timezone.now() - timedelta(hours=3)
        Answer.objects.filter(pk=answer.pk).update(created_at=posted_at)
        Flag.objects.filter(answer=answer).update(created_at=posted_at + timedelta(minutes=40))
        Question.objects.filter(pk=question.pk).update(last_activity_at=posted_at)
    ctx.created["reports"] += Flag.objects.filter(answer=answer).count()
