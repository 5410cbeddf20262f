"""A discreet thread and everyone who may read it, for the discreet mode tests
(`forum/tests/test_discreet_mode.py`, `tests/test_discreet_mode_matrix.py`,
`api/tests/test_discreet_mode_websocket.py`, the browser test).

The asker, Zelie, is an apprentice at Banque Exemple and hides from its
verified members. Her names are plain ASCII and appear nowhere else, so a
response that contains one of them names her."""

from dataclasses import dataclass

from django.test import TestCase

from forum.models import Organisation, Question, User, UserRole
from forum.services import verification as verification_services
from forum.services.questions import ask_question
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_moderator, make_user

ASKER_USERNAME = "zelie-secrete"
ASKER_NAME = "Zelie Discretos"
TITLE = "Mon tuteur ne me forme pas du tout depuis trois mois, que faire ?"
BODY = "Je fais des photocopies toute la journée au lieu de suivre mon référentiel de BTS."


@dataclass
class DiscreetWorld:
    bank: Organisation  # hidden from
    shop: Organisation  # not hidden from
    asker: User
    member: User  # an ordinary student
    hr_hidden: User  # verified HR at the bank
    hr_other: User  # verified HR at the shop
    hr_former: User  # the bank's HR whose badge was revoked
    moderator: User
    question: Question

    def identity(self) -> tuple[str, ...]:
        """What must never reach a reader the asker hides from."""
        return (ASKER_USERNAME, ASKER_NAME, f"/membres/{ASKER_USERNAME}/")

    def viewers(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "member": self.member,
            "hr_hidden": self.hr_hidden,
            "hr_other": self.hr_other,
            "hr_former": self.hr_former,
            "moderator": self.moderator,
            "asker": self.asker,
        }


def committed(function, *args, **kwargs):
    """Run a service and what it defers to after commit (events, notification
    tasks), as production would once the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(*args, **kwargs)


def make_discreet_world(*, answers: bool = True, everywhere: bool = False) -> DiscreetWorld:
    """`everywhere`: the asker hides from every reader but moderators, not
    only from the bank."""
    moderator = make_moderator(username="modo-discret", display_name="Modo")
    bank = make_organisation(moderator=moderator, name="Banque Exemple", domains=["banque-exemple.fr"])
    shop = make_organisation(moderator=moderator, name="Magasin Exemple", domains=["magasin-exemple.fr"])
    asker = make_user(username=ASKER_USERNAME, display_name=ASKER_NAME, role=UserRole.APPRENTICE, school="BTS MCO")
    member = make_user(username="camille", display_name="Camille")
    hr_hidden = make_user(username="rh-banque", display_name="RH Banque", role=UserRole.HR)
    hr_other = make_user(username="rh-magasin", display_name="RH Magasin", role=UserRole.HR)
    hr_former = make_user(username="ex-rh-banque", display_name="Ex RH Banque", role=UserRole.HR)
    grant_badge(user=hr_hidden, organisation=bank, moderator=moderator)
    grant_badge(user=hr_other, organisation=shop, moderator=moderator)
    former_badge = grant_badge(user=hr_former, organisation=bank, moderator=moderator)
    verification_services.revoke_badge(moderator=moderator, badge=former_badge, reason="A quitté la banque.")
    question = committed(
        ask_question,
        author=asker,
        title=TITLE,
        body=BODY,
        tags=["tuteur", "bts"],
        discreet_from=[] if everywhere else [bank.slug],
        discreet_everywhere=everywhere,
    )
    world = DiscreetWorld(
        bank=bank,
        shop=shop,
        asker=asker,
        member=member,
        hr_hidden=hr_hidden,
        hr_other=hr_other,
        hr_former=hr_former,
        moderator=moderator,
        question=question,
    )
    if answers:
        # The bank's HR answers (and so follows the thread); the asker answers
        # back and mentions them: two notifications whose actor is the asker.
        committed(make_answer, author=hr_hidden, question=question, body="Parlez-en à votre CFA, il peut aider.")
        committed(
            make_answer,
            author=asker,
            question=question,
            body="Merci @rh-banque, je vais écrire à mon référent CFA cette semaine.",
        )
    return world
