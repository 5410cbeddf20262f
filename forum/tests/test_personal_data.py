"""The personal-data guard: the author is warned before publishing contact
details or identifiers, may edit, and a post published anyway waits for a moderator."""

import pytest
from django.utils import timezone

from forum.exceptions import PersonalDataWarning
from forum.models import Answer, Event, HoldReason, Question, ReviewItem, Visibility
from forum.services.answers import edit_answer, post_answer
from forum.services.moderation import decide
from forum.services.personal_data import find_personal_data
from forum.services.questions import ask_question
from tests.factories import make_moderator, make_user


def _nir(first_13: str) -> str:
    """A social security number with its valid key."""
    number = int(first_13.replace("2A", "19").replace("2B", "18"))
    return f"{first_13}{97 - number % 97:02d}"


def kinds(text: str) -> list[str]:
    return [match.kind for match in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("écris-moi à jean.dupont@gmail.com stp", "jean.dupont@gmail.com"),
        ("appelle au 06 12 34 56 78 ce soir", "06 12 34 56 78"),
        ("tel: 0612345678", "0612345678"),
        ("mon fixe 01.23.45.67.89", "01.23.45.67.89"),
        ("WhatsApp +33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+33 (0)6-12-34-56-78", "+33 (0)6-12-34-56-78"),
        ("depuis l'étranger 0033612345678", "0033612345678"),
        ("j'habite 12 rue de la Paix 75002 Paris, passe", "12 rue de la Paix 75002 Paris"),
        ("8 bis avenue Jean Jaurès 69007 Lyon", "8 bis avenue Jean Jaurès 69007 Lyon"),
        ("au 3, boulevard Haussmann", "3, boulevard Haussmann"),
        ("rdv 5 place de la République", "5 place de la République"),
        ("c'est au 12 rue des lilas", "12 rue des lilas"),
        (f"mon numéro de sécu {_nir('1850578006084')}", _nir("1850578006084")),
        (f"corse {_nir('299092A004012')}", _nir("299092A004012")),
    ],
)
def test_it_finds_personal_data(text, found):
    assert found in [match.text for match in find_personal_data(text)]


def test_a_social_security_number_is_found_with_spaces_too():
    nir = _nir("1850578006084")
    spaced = " ".join([nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]])
    assert kinds(f"numéro {spaced} merci") == ["social_security"]


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 2 cours de maths le lundi",
        "1 place en BTS MCO, 3 candidats",
        "mon contrat de 2 ans commence le 12 mai 2024 à 10h",
        "salaire 1200 euros par mois, 10 000 euros par an",
        "SIRET 12345678901234",
        # 13 digits and a wrong key: not a social security number.
        "référence 185057800608400",
        "je gagne 0,5 SMIC la première année",
        "le code postal 75002 seul ne dit pas où tu habites",
    ],
)
def test_it_leaves_ordinary_alternance_talk_alone(text):
    assert find_personal_data(text) == []


def test_a_phone_inside_a_social_security_number_is_reported_once():
    assert kinds(_nir("2850506006084")) == ["social_security"]


BODY_WITH_PHONE = "Contacte-moi au 06 12 34 56 78 pour parler de mon entreprise d'accueil."


def test_the_author_is_warned_and_nothing_is_published(question, other_student):
    with pytest.raises(PersonalDataWarning) as caught:
        post_answer(author=other_student, question=question, body=BODY_WITH_PHONE)
    warning = caught.value
    assert warning.code == "personal_data"
    assert warning.matches == [{"kind": "phone", "text": "06 12 34 56 78"}]
    assert "06 12 34 56 78" in warning.fields["body"][0]
    assert not Answer.objects.exists()
    assert not Event.objects.filter(name="answer.created").exists()


def test_the_warning_names_the_field_where_the_data_is(student):
    with pytest.raises(PersonalDataWarning) as caught:
        ask_question(
            author=student,
            title="Alternance à Lyon, écrivez à marie@exemple.fr",
            body="Je cherche une alternance en BTS NDRC sur Lyon pour septembre.",
            tags=["lyon"],
        )
    assert set(caught.value.fields) == {"title"}


def test_confirming_holds_the_post_for_review(question, other_student):
    answer = post_answer(author=other_student, question=question, body=BODY_WITH_PHONE, confirm_personal_data=True)
    assert answer.visibility == Visibility.PENDING
    assert answer.moderation_reason == HoldReason.PERSONAL_DATA
    item = ReviewItem.objects.get(answer=answer)
    assert item.reasons == [HoldReason.PERSONAL_DATA]
    # The queue records what kind of data, not the data itself.
    assert item.details == {"personal_data": ["phone"]}


def test_a_new_members_confirmed_post_lists_every_reason(question):
    newcomer = make_user(date_joined=timezone.now())
    answer = post_answer(author=newcomer, question=question, body=BODY_WITH_PHONE, confirm_personal_data=True)
    assert answer.moderation_reason == HoldReason.FIRST_POSTS
    assert ReviewItem.objects.get(answer=answer).reasons == [HoldReason.FIRST_POSTS, HoldReason.PERSONAL_DATA]


def test_a_moderator_is_warned_but_publishes_when_confirming(question):
    moderator = make_moderator()
    body = "Le CFA répond au 01 23 45 67 89 du lundi au vendredi, demandez le service alternance."
    with pytest.raises(PersonalDataWarning):
        post_answer(author=moderator, question=question, body=body)
    answer = post_answer(author=moderator, question=question, body=body, confirm_personal_data=True)
    assert answer.visibility == Visibility.PUBLISHED


def test_an_edit_adding_personal_data_warns_then_holds_the_published_answer(answer, other_student):
    with pytest.raises(PersonalDataWarning):
        edit_answer(editor=other_student, answer=answer, body=BODY_WITH_PHONE)
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED
    edit_answer(editor=other_student, answer=answer, body=BODY_WITH_PHONE, confirm_personal_data=True)
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PENDING
    assert Event.objects.filter(name="answer.removed", payload__id=answer.pk).exists()


def test_personal_data_a_moderator_approved_is_not_asked_about_again(question, other_student, moderator):
    answer = post_answer(author=other_student, question=question, body=BODY_WITH_PHONE, confirm_personal_data=True)
    decide(moderator=moderator, item=ReviewItem.objects.get(answer=answer), decision="approve")
    edit_answer(editor=other_student, answer=answer, body=BODY_WITH_PHONE + " Merci d'avance !")
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED


def test_a_question_with_a_postal_address_is_held_once_confirmed(student):
    question = ask_question(
        author=student,
        title="Logement près de mon entreprise d'accueil",
        body="Je travaille au 14 rue Lafayette 75009 Paris, quel quartier pour me loger ?",
        tags=["logement"],
        confirm_personal_data=True,
    )
    assert question.visibility == Visibility.PENDING
    assert Question.objects.get(pk=question.pk).moderation_reason == HoldReason.PERSONAL_DATA
