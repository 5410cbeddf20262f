"""Demo live sessions ("chats conseil"): one past session with its transcript,
drawn from the seed chat (a live expert chat transcript: an expert answering
questions on social networks and online visibility, posted before the start
and answered one after another), and one upcoming session with questions
already waiting and voted for.

Everything goes through the real services (schedule, submit, vote, pick,
answer). The services refuse the past, so the past session is scheduled ahead,
opened, answered, then moved back two weeks with queryset updates, like the
demo threads: for demo data only.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from forum.demo.context import SeedContext
from forum.models import LiveQuestion, LiveSession
from forum.services import live_sessions


@dataclass(frozen=True)
class Pair:
    asker: str
    question: str
    answer: str = ""
    voters: tuple[str, ...] = ()


PAST_TITLE = "Chat conseil : se rendre visible en ligne pour trouver son alternance"
PAST_DESCRIPTION = (
    "Une heure avec Julie Moreau, chargée de recrutement alternance chez Banque Horizon, pour répondre à vos "
    "questions sur les réseaux sociaux professionnels, votre profil en ligne et la façon dont les recruteurs vous "
    "trouvent. Posez vos questions dès maintenant : elles seront traitées dans l'ordre des votes."
)
PAST = (
    Pair(
        "lucas-m",
        "Comment rendre son profil visible sur internet quand on cherche une alternance ?",
        "Internet vous permet aujourd'hui d'avoir une belle visibilité : vous pouvez construire votre identité "
        "numérique avec les réseaux sociaux professionnels ou un CV en ligne.\n\n"
        "Avant de la construire, tapez votre nom dans un moteur de recherche pour voir quelle image vous donnez "
        "aujourd'hui, parfois malgré vous ! Votre e-réputation, c'est ce que les autres disent de vous ; votre "
        "identité numérique, c'est ce que vous décidez de dire de vous. La première ne se contrôle pas, la seconde "
        "si.\n\nVeillez à une image cohérente : la même photo de profil, les mêmes mots clés, le même intitulé "
        "(« futur alternant en BTS NDRC », par exemple), et reliez vos différents profils entre eux.",
        ("ines-benali", "thomas-r", "sarah-k", "maxime-d", "emma-l"),
    ),
    Pair(
        "julien-c",
        "J'ai un nom très courant, avec beaucoup d'homonymes : comment faire pour que les recruteurs me trouvent ?",
        "Très bonne question ! L'objectif n'est pas forcément d'apparaître en première position, mais au moins en "
        "première page ; dans les trois ou quatre premiers résultats, tant mieux.\n\nLes recruteurs sauront faire "
        "la différence entre un homonyme producteur de cinéma et vous, étudiant en alternance dans la banque, du "
        "moment que votre image est cohérente et soignée sur vos différents profils.",
        ("lucas-m", "yanis-t", "chloe-v"),
    ),
    Pair(
        "sarah-k",
        "Faut-il être présent sur tous les réseaux sociaux, ou seulement sur certains pour ne pas s'éparpiller ?",
        "Le meilleur réseau sera le meilleur pour vous : celui où vous retrouvez le plus de contacts que vous "
        "connaissez déjà, et les interlocuteurs de votre projet (entreprises de votre secteur, CFA, anciens "
        "alternants).\n\nMon conseil : ne choisissez pas a priori. Créez un profil sur les deux grands réseaux "
        "professionnels ; l'un des deux deviendra naturellement le vôtre. Deux réseaux, c'est potentiellement deux "
        "carnets d'adresses : certains recruteurs vous trouveront d'un côté, d'autres de l'autre.",
        ("hugo-b", "manon-g", "lea-n", "lucas-m"),
    ),
    Pair(
        "amandine-p",
        "Existe-t-il des réseaux spécialisés, par exemple dans le médico-social, pour trouver une entreprise ?",
        "Il existe des centaines de réseaux sociaux, par métier, secteur ou centre d'intérêt. Premier réflexe : "
        "cherchez « réseau médico-social » dans un moteur de recherche, il reste peu de domaines sans le leur !\n\n"
        "Mais avant d'aller chercher des réseaux spécialisés, faites un tour sur les grands réseaux professionnels : "
        "vous y trouverez souvent déjà les professionnels de votre secteur, dans les groupes et les pages "
        "d'entreprise.",
        ("clara-f", "camille-j"),
    ),
    Pair(
        "mehdi-a",
        "Comment relier ses différents profils en ligne : faut-il les lier entre eux ou bien les séparer ?",
        "Il est pertinent d'indiquer sur chaque plateforme les liens vers vos autres présences en ligne : le "
        "référencement de vos profils n'en sera que meilleur.\n\nCommencez par la rubrique de présentation de vos "
        "profils : un lien vers votre CV en ligne ou vers un blog où vous parlez de votre projet d'alternance.",
        ("antoine-s",),
    ),
    # Asked, but the hour was over: it stays in the transcript's unanswered list.
    Pair(
        "rayan-o",
        "Est-ce qu'une entreprise regarde vraiment nos réseaux avant un entretien d'alternance ?",
        voters=("lucas-m", "sarah-k"),
    ),
)

UPCOMING_TITLE = "Chat conseil : réussir son entretien d'alternance"
UPCOMING_DESCRIPTION = (
    "Julie Moreau (Banque Horizon) et l'équipe du CFA répondent à vos questions sur l'entretien d'alternance : "
    "préparation, questions pièges, rémunération, rythme école-entreprise. Envoyez vos questions et votez pour "
    "celles des autres : les plus demandées passent en premier."
)
UPCOMING = (
    Pair(
        "lucas-m",
        "Que répondre quand on me demande pourquoi je veux faire mon alternance dans cette entreprise ?",
        voters=("ines-benali", "thomas-r", "emma-l"),
    ),
    Pair(
        "chloe-v",
        "Peut-on parler du salaire pendant un entretien d'alternance, ou est-ce mal vu ?",
        voters=("sarah-k", "maxime-d", "hugo-b", "lea-n", "yanis-t"),
    ),
    Pair(
        "yanis-t",
        "Comment présenter le rythme de mon école si l'entreprise ne le connaît pas encore ?",
        voters=("julien-c",),
    ),
)


def seed_live_sessions(ctx: SeedContext) -> None:
    """Idempotent: a session is recognised by its title."""
    host = ctx.members.get("demo-hr")
    if host is None:
        return
    existing = set(LiveSession.objects.filter(title__in=[PAST_TITLE, UPCOMING_TITLE]).values_list("title", flat=True))
    if PAST_TITLE not in existing:
        with transaction.atomic():
            _seed_past(ctx, host)
    if UPCOMING_TITLE not in existing:
        with transaction.atomic():
            _seed_upcoming(ctx, host)


def _submit(ctx: SeedContext, session: LiveSession, pair: Pair) -> LiveQuestion:
    question = live_sessions.submit_question(author=ctx.member(pair.asker), session=session, body=pair.question)
    for voter in pair.voters:
        live_sessions.cast_vote(user=ctx.member(voter), question=question)
    ctx.created["live questions"] += 1
    return question


def _seed_past(ctx: SeedContext, host) -> None:
    starts = ctx.now + timedelta(minutes=30)
    session = live_sessions.schedule_session(
        organiser=host,
        title=PAST_TITLE,
        description=PAST_DESCRIPTION,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        hosts=[host],
        tags=["recherche-alternance", "reseaux-sociaux"],
    )
    questions = [(_submit(ctx, session, pair), pair) for pair in PAST]
    # Open it (as if the start had come), answer in order of votes, then move it two weeks back.
    LiveSession.objects.filter(pk=session.pk).update(starts_at=ctx.now - timedelta(minutes=1))
    session.refresh_from_db()
    for question, pair in sorted(questions, key=lambda item: -item[0].vote_count):
        if pair.answer:
            live_sessions.start_answering(host=host, question=question)
            live_sessions.answer_question(host=host, question=question, answer=pair.answer)
    started = ctx.now - timedelta(days=14)
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=started,
        ends_at=started + timedelta(hours=1),
        created_at=started - timedelta(days=7),
        start_announced_at=started,
        close_announced_at=started + timedelta(hours=1),
    )
    for index, (question, pair) in enumerate(questions):
        LiveQuestion.objects.filter(pk=question.pk).update(created_at=started - timedelta(days=3, hours=-index * 5))
        if pair.answer:
            LiveQuestion.objects.filter(pk=question.pk).update(answered_at=started + timedelta(minutes=8 + index * 9))
    ctx.created["live sessions"] += 1


def _seed_upcoming(ctx: SeedContext, host) -> None:
    starts = (ctx.now + timedelta(days=6)).replace(hour=17, minute=0, second=0, microsecond=0)
    session = live_sessions.schedule_session(
        organiser=host,
        title=UPCOMING_TITLE,
        description=UPCOMING_DESCRIPTION,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        hosts=[host],
        tags=["entretien", "recherche-alternance"],
    )
    for hours, pair in enumerate(UPCOMING, start=1):
        question = _submit(ctx, session, pair)
        # Sent over the last day, as the page has been online for a week.
        LiveQuestion.objects.filter(pk=question.pk).update(created_at=ctx.now - timedelta(hours=20 - 6 * hours))
    LiveSession.objects.filter(pk=session.pk).update(created_at=ctx.now - timedelta(days=7))
    ctx.created["live sessions"] += 1
