"""Dated legal answers through the public contract: the REST fields
(`valid_as_of`, `sources`, `needs_check`), the input rules as 400s, the lists
to check (the member's and the moderators'), one-click confirmation, and the
websocket: live payloads and catch-up re-present the dating of today."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import token_client
from api.tests.websocket_support import events_in, in_thread, open_socket, receive, subscribe, subscribed
from forum import legal_dates
from forum.models import Answer
from forum.services.answers import confirm_answer_validity, post_answer
from tests.factories import make_moderator, make_question, make_user

BODY = "À 19 ans en 2e année, c'est 51 % du SMIC minimum, selon la grille légale."
OFFICIAL = "https://www.service-public.fr/particuliers/vosdroits/F2918"


@pytest.fixture
def pay_thread(student):
    return make_question(author=student, tags=("salaire",))


def dated(answer, *, created: datetime) -> Answer:
    Answer.objects.filter(pk=answer.pk).update(created_at=created)
    answer.refresh_from_db()
    return answer


def test_posting_a_dated_answer_returns_its_dating(pay_thread, other_student):
    client = token_client(other_student)
    response = client.post(
        f"/api/v1/threads/{pay_thread.pk}/answers/",
        {"body": BODY, "valid_as_of": "2026-11-30", "sources": [OFFICIAL, "https://example.org/blog"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["valid_as_of"] == "2026-11-30"
    assert data["sources"] == [
        {"url": OFFICIAL, "official": True},
        {"url": "https://example.org/blog", "official": False},
    ]
    assert data["needs_check"] is False
    assert data["can_confirm_validity"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"valid_as_of": "2999-01-01"}, "valid_as_of"),
        ({"valid_as_of": "pas une date"}, "valid_as_of"),
        ({"sources": ["http://service-public.fr/"]}, "sources"),
        ({"sources": ["https://a.fr/1", "https://a.fr/2", "https://a.fr/3", "https://a.fr/4"]}, "sources"),
        ({"sources": "https://a.fr/1"}, "sources"),
        ({"sources": [{"url": "https://a.fr"}]}, "sources"),
    ],
    ids=["future", "not-a-date", "http", "four", "not-a-list", "objects"],
)
def test_bad_dating_is_a_400_with_the_field(pay_thread, other_student, payload, field):
    response = token_client(other_student).post(
        f"/api/v1/threads/{pay_thread.pk}/answers/", {"body": BODY, **payload}, format="json"
    )
    assert response.status_code == 400
    # A bad list item is named by its index ("sources.0").
    assert {name.split(".")[0] for name in response.json()["error"]["fields"]} == {field}
    assert not Answer.objects.exists()


def test_patch_changes_the_dating_and_leaves_it_when_left_out(pay_thread, other_student):
    answer = post_answer(author=other_student, question=pay_thread, body=BODY, valid_as_of="2026-10-01")
    client = token_client(other_student)
    response = client.patch(f"/api/v1/answers/{answer.pk}/", {"body": BODY}, format="json")
    assert response.json()["valid_as_of"] == "2026-10-01"
    response = client.patch(
        f"/api/v1/answers/{answer.pk}/", {"body": BODY, "valid_as_of": None, "sources": [OFFICIAL]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["valid_as_of"] is None
    assert response.json()["sources"] == [{"url": OFFICIAL, "official": True}]


def test_needs_check_turns_on_after_the_reference_date(pay_thread, other_student, anonymous, settings):
    answer = dated(
        post_answer(author=other_student, question=pay_thread, body=BODY),
        created=datetime(2026, 12, 31, 23, 30, tzinfo=legal_dates.PARIS),
    )
    settings.LEGAL_ANSWERS_TODAY = date(2026, 12, 31)
    assert anonymous.get(f"/api/v1/answers/{answer.pk}/").json()["needs_check"] is False
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    assert anonymous.get(f"/api/v1/answers/{answer.pk}/").json()["needs_check"] is True
    listed = anonymous.get(f"/api/v1/threads/{pay_thread.pk}/answers/").json()["results"]
    assert [(a["id"], a["needs_check"]) for a in listed] == [(answer.pk, True)]


def test_my_answers_to_check_and_one_click_confirmation(pay_thread, other_student, third_student, settings):
    answer = dated(
        post_answer(author=other_student, question=pay_thread, body=BODY),
        created=datetime(2026, 6, 1, 12, tzinfo=legal_dates.PARIS),
    )
    post_answer(author=third_student, question=pay_thread, body=BODY + " Pareil pour moi.")
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 5)
    client = token_client(other_student)

    listed = client.get("/api/v1/me/answers-to-check/").json()["results"]
    assert [(a["id"], a["thread"]["id"], a["needs_check"]) for a in listed] == [(answer.pk, pay_thread.pk, True)]

    # Only the author or a moderator.
    refused = token_client(third_student).post(f"/api/v1/answers/{answer.pk}/confirm-validity/")
    assert refused.status_code == 403
    confirmed = client.post(f"/api/v1/answers/{answer.pk}/confirm-validity/")
    assert confirmed.status_code == 200
    assert (confirmed.json()["valid_as_of"], confirmed.json()["needs_check"]) == ("2027-01-05", False)
    assert client.get("/api/v1/me/answers-to-check/").json()["results"] == []


def test_the_moderators_list_filters_by_tag_and_is_for_moderators(student, other_student, settings):
    moderator = make_moderator(username="modo")
    aid = make_question(author=student, tags=("aides",))
    pay = make_question(author=student, tags=("salaire",))
    old = datetime(2026, 3, 1, tzinfo=legal_dates.PARIS)
    on_aid = dated(post_answer(author=other_student, question=aid, body=BODY), created=old)
    on_pay = dated(post_answer(author=other_student, question=pay, body=BODY), created=old)
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)

    assert token_client(other_student).get("/api/v1/moderation/answers-to-check/").status_code == 403
    client = token_client(moderator)
    every = client.get("/api/v1/moderation/answers-to-check/").json()["results"]
    assert {a["id"] for a in every} == {on_aid.pk, on_pay.pk}
    only_aid = client.get("/api/v1/moderation/answers-to-check/?tag=aides").json()["results"]
    assert [a["id"] for a in only_aid] == [on_aid.pk]


def test_the_list_to_check_costs_the_same_for_2_or_12_answers(student, settings):
    """Budget pinned: changing it is a decision (docs/performance.md)."""
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 2)
    author = make_user(username="rh-paie")
    client = token_client(author)
    old = datetime(2026, 3, 1, tzinfo=legal_dates.PARIS)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me/answers-to-check/").status_code == 200
        return len(queries)

    count()  # the token's first use of the day is recorded once: not part of the budget
    for n in range(2):
        thread = make_question(author=student, tags=("salaire",))
        dated(post_answer(author=author, question=thread, body=f"{BODY} ({n})"), created=old)
    few = count()
    for n in range(2, 12):
        thread = make_question(author=student, tags=("aides",))
        dated(post_answer(author=author, question=thread, body=f"{BODY} ({n})"), created=old)
    assert count() == few
    # The token, the page of answers (thread flag and reference date in SQL),
    # the authors' badges (two prefetches) and the member's votes.
    assert few == 5


# --- Websocket ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_live_and_caught_up_payloads_carry_todays_dating(student, other_student, settings):
    thread = await in_thread(make_question)(author=student, tags=("salaire",))
    topic = f"thread:{thread.pk}"
    ws = await open_socket()
    cursor = (await subscribed(ws, topic))["cursor"]

    answer = await in_thread(post_answer)(
        author=other_student, question=thread, body=BODY, valid_as_of="2026-06-01", sources=[OFFICIAL]
    )
    live = await receive(ws)
    assert live["event"] == "answer.created"
    assert live["data"]["valid_as_of"] == "2026-06-01"
    assert live["data"]["sources"] == [{"url": OFFICIAL, "official": True}]
    await ws.disconnect()

    # The year turns: catch-up re-presents the answer as of today, "to check".
    settings.LEGAL_ANSWERS_TODAY = date(2027, 1, 1)
    ws = await open_socket()
    replayed = events_in(await subscribe(ws, topic, since=cursor))
    assert [(f["event"], f["data"]["needs_check"]) for f in replayed] == [("answer.created", True)]

    # Confirmed still valid: an answer.updated with the new date, live.
    await in_thread(confirm_answer_validity)(user=other_student, answer=answer)
    updated = await receive(ws)
    assert updated["event"] == "answer.updated"
    assert (updated["data"]["valid_as_of"], updated["data"]["needs_check"]) == ("2027-01-01", False)
    await ws.disconnect()
