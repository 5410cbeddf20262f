"""Dated legal answers on the pages: the dating fields of the answer forms, the
card ("Valid as of", sources, "To check"), one-click confirmation, the lists to
check, the help page, and anonymous cached pages across the reference date."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forum import legal_dates
from forum.models import Answer, AuditLog
from forum.services.answers import post_answer
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_moderator, make_question

pytestmark = pytest.mark.django_db

BODY = "À 19 ans en 2e année, c'est 51 % du SMIC minimum, selon la grille légale."
OFFICIAL = "https://www.service-public.fr/particuliers/vosdroits/F2918"
OLD = datetime(2026, 3, 1, 12, tzinfo=legal_dates.PARIS)


@pytest.fixture
def pay_thread(student):
    return make_question(author=student, tags=("salaire", "bts"))


def aged(answer: Answer) -> Answer:
    Answer.objects.filter(pk=answer.pk).update(created_at=OLD)
    answer.refresh_from_db()
    return answer


def test_a_member_posts_a_dated_answer_with_sources_from_the_form(client, pay_thread, other_student):
    client.force_login(other_student)
    response = client.post(
        f"/questions/{pay_thread.pk}/repondre/",
        {"body": BODY, "valid_as_of": "2026-11-30", "sources": f"{OFFICIAL}\r\nhttps://example.org/smic"},
    )
    assert response.status_code == 303
    answer = Answer.objects.get()
    assert (answer.valid_as_of, answer.sources) == (date(2026, 11, 30), [OFFICIAL, "https://example.org/smic"])

    html = client.get(pay_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Valable au 30 novembre 2026" in html
    assert f'<a href="{OFFICIAL}" rel="nofollow noopener">service-public.fr › F2918</a>' in html
    assert html.count("source officielle") == 1
    assert "À vérifier" not in html


def test_bad_dating_comes_back_next_to_the_fields_with_the_text_kept(client, pay_thread, other_student):
    client.force_login(other_student)
    response = client.post(
        f"/questions/{pay_thread.pk}/repondre/",
        {"body": BODY, "valid_as_of": "2999-01-01", "sources": "http://service-public.fr/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date cannot be in the future." in html
    assert "is not a valid https:// link." in html
    assert '<details class="dating-fields" open' in html  # unfolded on its errors
    assert "51 % du SMIC" in html
    assert not Answer.objects.exists()


def test_the_dating_is_folded_but_open_for_verified_staff_on_a_pay_thread(client, pay_thread, other_student):
    client.force_login(other_student)
    assert (
        '<details class="dating-fields" data-dating-fields>'
        in client.get(pay_thread.get_absolute_url()).content.decode()
    )

    moderator = make_moderator(username="modo")
    organisation = make_organisation(moderator=moderator)
    grant_badge(user=other_student, organisation=organisation, moderator=moderator)
    client.force_login(other_student)
    assert '<details class="dating-fields" open' in client.get(pay_thread.get_absolute_url()).content.decode()


def test_an_old_answer_shows_to_check_and_its_author_confirms_in_one_click(client, pay_thread, other_student, settings):
    answer = aged(post_answer(author=other_student, question=pay_thread, body=BODY))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 4)
    anonymous = Client().get(pay_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "À vérifier :" in anonymous
    assert "les montants changent chaque année." in anonymous
    assert 'href="/aide/reponses-datees/"' in anonymous
    assert "data-confirm-validity" not in anonymous  # only for its author and moderators

    client.force_login(other_student)
    page = client.get("/mes-reponses-a-verifier/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'data-answer-id="{answer.pk}"' in page
    profile = client.get(other_student.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 réponse à vérifier" in profile

    response = client.post(f"/reponses/{answer.pk}/toujours-valable/", {"next": "/mes-reponses-a-verifier/"})
    assert response.status_code == 303
    assert response["Location"] == "/mes-reponses-a-verifier/"
    answer.refresh_from_db()
    assert answer.valid_as_of == date(2027, 1, 4)
    page = client.get("/mes-reponses-a-verifier/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Aucune de vos réponses n’est à vérifier" in page


def test_someone_else_cannot_confirm(client, pay_thread, other_student, third_student, settings):
    answer = aged(post_answer(author=other_student, question=pay_thread, body=BODY))
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 4)
    client.force_login(third_student)
    response = client.post(f"/reponses/{answer.pk}/toujours-valable/")
    assert response.status_code == 303
    answer.refresh_from_db()
    assert answer.valid_as_of is None


def test_the_moderators_list_filters_by_tag_and_a_confirmation_is_journaled(client, student, other_student, settings):
    moderator = make_moderator(username="modo")
    aid = make_question(author=student, tags=("aides",))
    on_aid = aged(post_answer(author=other_student, question=aid, body=BODY))
    on_pay = aged(
        post_answer(author=other_student, question=make_question(author=student, tags=("salaire",)), body=BODY)
    )
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 4)

    client.force_login(other_student)
    assert client.get("/moderation/reponses-a-verifier/").status_code == 403
    client.force_login(moderator)
    every = client.get("/moderation/reponses-a-verifier/").content.decode()
    assert f'data-answer-id="{on_aid.pk}"' in every
    assert f'data-answer-id="{on_pay.pk}"' in every
    only_aid = client.get("/moderation/reponses-a-verifier/?tag=aides").content.decode()
    assert f'data-answer-id="{on_aid.pk}"' in only_aid
    assert f'data-answer-id="{on_pay.pk}"' not in only_aid

    client.post(f"/reponses/{on_aid.pk}/toujours-valable/")
    assert AuditLog.objects.filter(action="answer.validity_confirmed", actor=moderator).count() == 1
    journal = client.get("/moderation/journal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Answer confirmed still valid" in journal


def test_the_list_to_check_costs_the_same_for_2_or_12_answers(client, student, other_student, settings):
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 4)
    client.force_login(other_student)

    def post_aged(n: int, tag: str) -> None:
        aged(post_answer(author=other_student, question=make_question(author=student, tags=(tag,)), body=f"{BODY} {n}"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/mes-reponses-a-verifier/").status_code == 200
        return len(queries)

    count()  # the session's first read is not part of the budget
    for n in range(2):
        post_aged(n, "salaire")
    few = count()
    for n in range(2, 12):
        post_aged(n, "aides")
    assert count() == few


@pytest.mark.parametrize(("language", "title"), [("fr", "Réponses datées"), ("en", "Dated answers")])
def test_the_help_page_in_both_languages(client, language, title):
    with translation.override(language):
        response = client.get("/aide/reponses-datees/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200
    assert title in html
    assert "legifrance.gouv.fr" in html
    assert "salaire" in html


def test_an_anonymous_cached_thread_turns_to_check_at_the_new_year(pay_thread, other_student, settings):
    """No event announces midnight: the page's version holds the reference date."""
    aged_at = datetime(2026, 12, 31, 23, 30, tzinfo=legal_dates.PARIS)
    answer = post_answer(author=other_student, question=pay_thread, body=BODY)
    Answer.objects.filter(pk=answer.pk).update(created_at=aged_at)
    reader = Client()
    settings.LEGAL_ANSWERS_TODAY = date(2026, 12, 31)
    first = reader.get(pay_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "À vérifier" not in first.content.decode()
    again = reader.get(pay_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304  # cached and unchanged within the day

    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    after = reader.get(pay_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "À vérifier" in after.content.decode()
