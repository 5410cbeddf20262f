"""A member with a bit of everything the site can hold about a person, made
through the real services, for the RGPD tests (export, deletion, table scan).

Every personal value is distinctive (a random suffix) so that a scan of the
whole database for it cannot match by accident."""

import secrets
from dataclasses import dataclass

from django.test import Client, TestCase
from django.urls import reverse

from forum.models import Answer, Question, User
from forum.services import charter, flags, notifications, sanctions, tokens, votes
from forum.services.answers import edit_answer
from forum.services.profiles import update_profile
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_moderator, make_question, make_user

PASSWORD = "correct-horse-battery"


@dataclass
class Member:
    user: User
    question: Question
    answer: Answer
    reply_to_them: Answer
    moderator: User
    others: list[User]
    values: dict[str, str]


def make_member_with_everything() -> Member:
    tag = secrets.token_hex(4)
    username = f"zelie-{tag}"
    values = {
        "username": username,
        "email": f"zelie.{tag}@example.org",
        "display_name": f"Zélie Quintard{tag}",
        "first_name": f"Zelie{tag}",
        "last_name": f"Quintard{tag}",
        "school": f"Lycée Vauban{tag}",
        "bio": f"Alternante passionnée de logistique {tag}",
        "work_email": f"zq{tag}@banque-exemple.fr",
        "second_email": f"zelie.perso+{tag}@example.net",  # "+" and "." meet the SQL regex
        "ip": "203.0.113.77",
    }
    moderator = make_moderator(username=f"modo-{tag}")
    other = make_user(username=f"bob-{tag}")
    user = make_user(
        username=username,
        email=values["email"],
        display_name=values["display_name"],
        first_name=values["first_name"],
        last_name=values["last_name"],
    )
    update_profile(user=user, school=values["school"], region="Bretagne", bio=values["bio"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=values["second_email"], verified=False, primary=False)

    question = make_question(author=user, tags=("bts", f"logistique-{tag}"))
    from forum.services.questions import edit_question

    edit_question(
        editor=user,
        question=question,
        title=question.title + " (modifié)",
        body=question.body + " Merci d'avance !",
        tags=["bts", f"logistique-{tag}"],
    )
    their_thread = make_question(author=other)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = make_answer(author=user, question=their_thread)
        # Another member mentions her, then edits: the mention is in the
        # answer, its revision and the events.
        reply_to_them = make_answer(
            author=other, question=question, body=f"@{username} regarde la convention de ton CFA, article 4."
        )
    edit_answer(editor=other, answer=reply_to_them, body=reply_to_them.body + " Et demande à ton tuteur.")
    votes.cast_vote(user=user, answer=reply_to_them)
    votes.cast_vote(user=other, answer=answer)
    flags.flag_post(user=user, post=their_thread, reason="off_topic", text="Hors sujet selon moi.")
    notifications.follow_tag(user=user, slug="bts")
    notifications.update_preferences(user=user, digest="weekly")
    notifications.register_device(user=user, platform="android", token=f"fcm-{tag}-{secrets.token_hex(16)}")
    tokens.issue_token(user=user, device_name=f"Pixel de {values['first_name']}")
    charter.dismiss_hints(member=user)
    sanctions.warn_member(
        moderator=moderator, member=user, clause="respect", message=f"Merci de rester courtoise, {username}."
    )
    organisation = make_organisation(moderator=moderator, name=f"Banque Exemple {tag}", domains=(f"{tag}.fr",))
    values["work_email"] = f"zq{tag}@{tag}.fr"
    grant_badge(
        user=user, organisation=organisation, moderator=moderator, role="ambassador", work_email=values["work_email"]
    )

    # A live Q&A session (issue 13): she follows it, asks, and votes for another's question.
    from datetime import timedelta

    from django.utils import timezone

    from forum.services import live_sessions

    now = timezone.now()
    session = live_sessions.schedule_session(
        organiser=moderator,
        title="Chat conseil : trouver son entreprise",
        description="Posez vos questions avant le début.",
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        hosts=[moderator],
    )
    live_sessions.follow_session(user=user, session=session)
    live_sessions.submit_question(author=user, session=session, body="Comment relancer une entreprise sans réponse ?")
    theirs = live_sessions.submit_question(
        author=other, session=session, body="Faut-il un CV différent par entreprise ?"
    )
    live_sessions.cast_vote(user=user, question=theirs)

    # A real login from a known address, after a wrong password: whatever the
    # login path keeps (session, login-limit row, address) is then in the database.
    browser = Client(REMOTE_ADDR=values["ip"])
    browser.post(reverse("account_login"), {"login": username, "password": "wrong-password"})
    response = browser.post(reverse("account_login"), {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return Member(
        user=User.objects.get(pk=user.pk),
        question=Question.objects.get(pk=question.pk),
        answer=answer,
        reply_to_them=reply_to_them,
        moderator=moderator,
        others=[other],
        values=values,
    )
