"""A discreet demo thread: an apprentice of Banque Horizon asks about their
tutor without the bank's verified HR (`demo-hr` among them) recognising them.
Log in as `demo-hr` to see "Un·e alternant·e", as `demo-mod` to see who it is.

After `seed_organisations`: discreet mode names existing organisations.
"""

from datetime import timedelta

from django.db import transaction

from forum.demo.context import SeedContext
from forum.models import Answer, Question
from forum.services.answers import post_answer
from forum.services.questions import ask_question

ASKER = "thomas-r"
HIDDEN_FROM = ("banque-horizon",)
TITLE = "Mon tuteur ne me confie que des photocopies depuis 3 mois : je peux en parler à qui ?"
BODY = """Je suis en 2e année d'alternance dans une grande entreprise. Depuis la rentrée, mon tuteur
n'a jamais le temps : je fais du classement et des photocopies, rien qui correspond à mon
référentiel. Je n'ose pas en parler aux RH de peur que ça se retourne contre moi.

Est-ce que le CFA peut intervenir ? Est-ce qu'il existe un recours sans que mon employeur sache
que c'est moi qui ai soulevé le problème ?"""
REPLIES = (
    (
        "nathalie-cfa",
        6,
        """Oui, c'est exactement le rôle du CFA : votre référent pédagogique peut organiser une visite ou
un point tripartite « de routine » avec votre tuteur, sans dire que la demande vient de vous.

Préparez la liste des compétences de votre référentiel que vous n'avez pas encore pratiquées :
c'est un constat factuel, pas une plainte.""",
    ),
    (
        ASKER,
        9,
        """Merci, je ne savais pas que le point pouvait être présenté comme une visite normale. Je vais
écrire à mon référent cette semaine.""",
    ),
)
DAYS_AGO = 3


def seed_discreet_thread(ctx: SeedContext) -> None:
    asker = ctx.member(ASKER)
    if Question.objects.filter(author=asker, title=TITLE).exists():
        return
    with transaction.atomic():
        question = ask_question(
            author=asker,
            title=TITLE,
            body=BODY,
            tags=["tuteur", "maitre-apprentissage", "cfa"],
            discreet_from=list(HIDDEN_FROM),
            contract="apprentissage",
        )
        ctx.created["questions"] += 1
        asked_at = ctx.now - timedelta(days=DAYS_AGO)
        last = asked_at
        for username, after_hours, body in REPLIES:
            answer = post_answer(author=ctx.member(username), question=question, body=body)
            last = asked_at + timedelta(hours=after_hours)
            Answer.objects.filter(pk=answer.pk).update(created_at=last)
            ctx.created["answers"] += 1
        Question.objects.filter(pk=question.pk).update(created_at=asked_at, last_activity_at=last, view_count=57)
