"""A small, realistic French forum built through the real services, for the
page screenshots and the browser tests (the demo seed command is separate)."""

from dataclasses import dataclass

from forum.models import Question, User, UserRole
from forum.services.answers import accept_answer, edit_answer, post_answer
from forum.services.questions import ask_question
from forum.services.votes import cast_vote
from tests.factories import make_user


@dataclass
class SampleForum:
    users: dict[str, User]
    questions: list[Question]
    showcase: Question  # a thread with several answers, one accepted, one edited


PEOPLE = [
    ("ines", "Inès", UserRole.APPRENTICE, "BTS MCO · CFA de Lyon", "Auvergne-Rhône-Alpes"),
    ("karim", "Karim", UserRole.STUDENT, "Terminale STMG", "Hauts-de-France"),
    ("lea", "Léa", UserRole.APPRENTICE, "Licence pro RH · IUT de Nantes", "Pays de la Loire"),
    ("claire", "Claire", UserRole.HR, "Chargée de recrutement alternance", "Île-de-France"),
    ("thomas", "Thomas", UserRole.SCHOOL, "Chargé des relations entreprises, CFA du BTP", "Occitanie"),
    ("mehdi", "Mehdi", UserRole.APPRENTICE, "Master MIAGE en alternance", "Grand Est"),
]

QUESTIONS = [
    (
        "ines",
        "Mon employeur peut-il changer mon rythme d'alternance en cours d'année ?",
        "Je suis en BTS MCO en alternance (2 jours à l'école, 3 jours en magasin). Mon manager veut passer à "
        "une semaine sur deux à partir de janvier parce que ça l'arrange pour les plannings.\n\n"
        "Est-ce qu'il a le droit de le faire sans l'accord du CFA ? Et est-ce que je peux refuser ?",
        ["rythme", "bts", "contrat-apprentissage"],
    ),
    (
        "karim",
        "Comment trouver une entreprise pour un BTS en alternance quand on n'a aucun réseau ?",
        "J'ai envoyé une quarantaine de candidatures sur les sites d'offres, zéro réponse. Je n'ai personne "
        "dans ma famille qui travaille en entreprise. Par où commencer ?",
        ["recherche-entreprise", "bts", "candidature"],
    ),
    (
        "lea",
        "Salaire d'un apprenti de 22 ans en licence pro : quel pourcentage du SMIC ?",
        "Je commence une licence pro en septembre, j'aurai 22 ans. Mon contrat indique 61 % du SMIC, "
        "c'est bien le minimum légal ? Est-ce que la convention collective peut prévoir plus ?",
        ["salaire", "licence-pro", "contrat-apprentissage"],
    ),
    (
        "mehdi",
        "Période d'essai en contrat d'apprentissage : combien de temps et comment ça marche ?",
        "On m'a dit que la période d'essai est de 45 jours, mais est-ce que ce sont des jours en entreprise "
        "ou des jours calendaires ?",
        ["periode-essai", "contrat-apprentissage"],
    ),
    (
        "karim",
        "Lettre de motivation pour une alternance : faut-il parler de l'école ?",
        "Dans ma lettre, je ne sais pas si je dois présenter la formation et le rythme, ou seulement moi et "
        "ce que j'apporte à l'entreprise.",
        ["candidature", "lettre-de-motivation"],
    ),
    (
        "lea",
        "Congés payés en alternance : les jours d'école comptent-ils ?",
        "Je suis apprentie depuis 8 mois. Je ne comprends pas comment sont calculés mes congés : les semaines "
        "au CFA comptent-elles comme du temps de travail ?",
        ["conges", "contrat-apprentissage"],
    ),
    (
        "ines",
        "Rupture du contrat pendant l'été : que devient mon inscription au CFA ?",
        "Mon entreprise met fin à mon contrat d'un commun accord. Est-ce que je peux rester au CFA le temps "
        "de retrouver une entreprise ?",
        ["rupture", "cfa"],
    ),
    (
        "mehdi",
        "Télétravail en alternance : est-ce autorisé pour un apprenti ?",
        "Mon équipe est en télétravail deux jours par semaine. Mon tuteur hésite à me l'accorder. "
        "Y a-t-il une règle particulière pour les apprentis ?",
        ["teletravail", "vie-en-entreprise"],
    ),
]

SHOWCASE_ANSWERS = [
    (
        "thomas",
        "Le rythme est fixé par le **calendrier de formation** annexé au contrat (le document signé par le CFA, "
        "l'entreprise et toi). Ton employeur ne peut pas le modifier seul : il faut un avenant signé par les "
        "trois parties, et le CFA vérifie que le volume d'heures de formation reste respecté.\n\n"
        "Parle-en d'abord avec ton référent au CFA, il peut organiser un échange avec ton manager.",
    ),
    (
        "claire",
        "Côté entreprise, je confirme : on ne change jamais le rythme sans passer par le CFA. Si c'est pour "
        "les plannings, il y a souvent d'autres solutions (échange de jours avec un collègue, horaires "
        "décalés…). Propose-les à ton manager, ça montre ta bonne volonté.",
    ),
    (
        "lea",
        "Ça m'est arrivé l'an dernier : le CFA a refusé parce que les examens blancs tombaient sur les "
        "semaines demandées. Tu peux refuser sans risque, ce n'est pas une faute.\n\n"
        "Source utile : [service-public.fr, contrat d'apprentissage](https://www.service-public.fr/particuliers/vosdroits/F2918)",
    ),
]


def build_sample_forum() -> SampleForum:
    users = {}
    for username, name, role, school, region in PEOPLE:
        users[username] = make_user(username=username, display_name=name, role=role, school=school, region=region)

    questions = []
    for author, title, body, tags in QUESTIONS:
        questions.append(ask_question(author=users[author], title=title, body=body, tags=tags))

    showcase = questions[0]
    answers = [post_answer(author=users[a], question=showcase, body=body) for a, body in SHOWCASE_ANSWERS]
    for voter in ("karim", "mehdi", "lea", "claire"):
        cast_vote(user=users[voter], answer=answers[0])
    for voter in ("karim", "mehdi"):
        cast_vote(user=users[voter], answer=answers[2])
    cast_vote(user=users["ines"], answer=answers[1])
    edit_answer(
        editor=users["claire"],
        answer=answers[1],
        body=SHOWCASE_ANSWERS[1][1] + "\n\nEt garde une trace écrite de vos échanges, c'est toujours utile.",
    )
    accept_answer(user=users["ines"], answer=answers[0])

    # Some life on the other threads: answered, solved, still open.
    second = post_answer(
        author=users["claire"],
        question=questions[1],
        body="Vise les **forums alternance** de ta région et les *job datings* des CFA : les recruteurs y viennent "
        "pour rencontrer des candidats sans réseau. Relance aussi chaque candidature par téléphone une semaine après.",
    )
    accept_answer(user=users["karim"], answer=second)
    post_answer(
        author=users["mehdi"],
        question=questions[2],
        body="Oui, 61 % du SMIC est le minimum à 21-25 ans en première année. Vérifie ta convention collective : "
        "certaines prévoient un pourcentage plus élevé.",
    )
    post_answer(
        author=users["thomas"],
        question=questions[3],
        body="Ce sont 45 jours, consécutifs ou non, de formation pratique **en entreprise** : les jours au CFA ne "
        "comptent pas.",
    )
    return SampleForum(users=users, questions=questions, showcase=showcase)


@dataclass
class LayoutStress:
    """What breaks layouts: the sample forum plus long titles and French words,
    a bare URL, a hidden answer seen by its author, an organisation, a
    moderator with a review queue and a journal of every kind of decision."""

    forum: SampleForum
    student: User  # the author of the hidden answer
    moderator: User
    thread: Question
    organisation_slug: str


LONG_TITLE = (
    "Quelles sont les obligations anticonstitutionnellement oubliées par les employeurs "
    "d'apprentis en reconversion professionnelle intercontinentale ?"
)
LONG_URL = "https://www.service-public.fr/particuliers/vosdroits/F2918?exemple=" + "tres-long-parametre-" * 8


def build_layout_stress() -> LayoutStress:
    from forum.services.flags import flag_post
    from forum.services.moderation import hide_post
    from forum.services.sanctions import suspend_member, warn_member
    from tests.badge_factories import make_organisation
    from tests.factories import make_moderator

    forum = build_sample_forum()
    moderator = make_moderator(username="modo", display_name="Modératrice Camille")
    student = forum.users["karim"]
    thread = ask_question(
        author=student,
        title=LONG_TITLE,
        body="Je cherche la liste complète, avec le lien officiel : " + LONG_URL + "\n\n```\n" + "x" * 200 + "\n```",
        tags=["contrat-apprentissage", "reconversion-professionnelle-a-distance"],
    )
    sourced = post_answer(author=forum.users["claire"], question=thread, body="Voici la source : " + LONG_URL)
    flag_post(user=forum.users["ines"], post=sourced, reason="spam", text="Lien publicitaire " + "très" * 30)
    hidden = post_answer(
        author=student,
        question=thread,
        body="Réponse hors charte avec un mot interminable : " + "intercompréhensibilité" * 3,
    )
    hide_post(
        moderator=moderator,
        post=hidden,
        clause="respect",
        note="Merci de reformuler sans attaque personnelle, en restant bienveillant et précis.",
    )
    warn_member(moderator=moderator, member=forum.users["mehdi"], clause="respect", message="Premier avertissement.")
    suspend_member(moderator=moderator, member=forum.users["thomas"], days=3, clause="spam", message="Trois jours.")
    organisation = make_organisation(
        moderator=moderator, name="Compagnie Nationale des Entreprises d'Apprentissage Intercontinentales"
    )
    return LayoutStress(
        forum=forum, student=student, moderator=moderator, thread=thread, organisation_slug=organisation.slug
    )
