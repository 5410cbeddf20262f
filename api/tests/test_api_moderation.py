"""The moderation API as the mobile app and moderators use it: reporting,
the personal-data warning, limits (429 + Retry-After), the queue and its
decisions, and the read-only audit log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of, token_client
from forum.models import Answer, AuditLog, ReviewItem, Visibility
from tests.factories import make_answer, make_moderator, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

PHONE_ANSWER = "Appelle-moi au 06 12 34 56 78, je t'explique comment j'ai trouvé mon alternance."


@pytest.fixture
def thread(student):
    return make_question(author=student)


@pytest.fixture
def insult(thread, other_student):
    return make_answer(author=other_student, question=thread, body="Ta question est débile, cherche un peu toi-même.")


def test_reporting_an_answer(insult, third_student):
    response = token_client(third_student).post(
        f"/api/v1/answers/{insult.pk}/flags/", {"reason": "harassment", "text": "Insulte."}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": response.json()["id"],
        "post_type": "answer",
        "post_id": insult.pk,
        "reason": "harassment",
        "text": "Insulte.",
        "created_at": response.json()["created_at"],
    }


def test_reporting_twice_is_a_conflict_and_a_bad_reason_is_a_field_error(insult, third_student):
    client = token_client(third_student)
    client.post(f"/api/v1/answers/{insult.pk}/flags/", {"reason": "spam"}, format="json")
    assert error_of(client.post(f"/api/v1/answers/{insult.pk}/flags/", {"reason": "spam"}, format="json"), 409)
    error = error_of(
        client.post(f"/api/v1/threads/{insult.question_id}/flags/", {"reason": "rude"}, format="json"), 400
    )
    assert "reason" in error["fields"]


def test_three_reports_take_the_answer_out_of_everyone_elses_thread(insult, thread):
    for _ in range(3):
        token_client(make_user()).post(f"/api/v1/answers/{insult.pk}/flags/", {"reason": "harassment"}, format="json")
    reader = token_client(make_user())
    listed = reader.get(f"/api/v1/threads/{thread.pk}/answers/").json()["results"]
    assert insult.pk not in [answer["id"] for answer in listed]
    assert error_of(reader.get(f"/api/v1/answers/{insult.pk}/"), 404)
    # Its author still sees it, as waiting for moderation.
    mine = token_client(insult.author).get(f"/api/v1/answers/{insult.pk}/").json()
    assert mine["visibility"] == "pending"


def test_personal_data_is_a_400_with_the_matches_then_a_confirmed_post_waits(thread, other_student):
    client = token_client(other_student)
    error = error_of(client.post(f"/api/v1/threads/{thread.pk}/answers/", {"body": PHONE_ANSWER}, format="json"), 400)
    assert error["code"] == "personal_data"
    assert error["matches"] == [{"kind": "phone", "text": "06 12 34 56 78"}]
    assert "body" in error["fields"]
    response = client.post(
        f"/api/v1/threads/{thread.pk}/answers/", {"body": PHONE_ANSWER, "confirm_personal_data": True}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["visibility"] == "pending"


def test_a_new_account_beyond_its_daily_answers_gets_a_429_with_retry_after(thread):
    client = token_client(make_user(date_joined=timezone.now()))
    for n in range(10):
        body = {"body": f"Réponse {n} : contacte le CFA de ta ville, ils ont souvent des offres."}
        assert client.post(f"/api/v1/threads/{thread.pk}/answers/", body, format="json").status_code == 201
    response = client.post(
        f"/api/v1/threads/{thread.pk}/answers/", {"body": "Encore une réponse, la onzième aujourd'hui."}, format="json"
    )
    error = error_of(response, 429)
    assert error["code"] == "rate_limited"
    assert 23 * 3600 < int(response["Retry-After"]) <= 24 * 3600
    assert Answer.objects.filter(question=thread).count() == 10


def test_posting_the_same_text_twice_is_a_409_duplicate(thread, other_student):
    client = token_client(other_student)
    body = {"body": "Regarde du côté des CCI, elles publient des offres d'alternance toute l'année."}
    client.post(f"/api/v1/threads/{thread.pk}/answers/", body, format="json")
    assert error_of(client.post(f"/api/v1/threads/{thread.pk}/answers/", body, format="json"), 409)["code"] == (
        "duplicate"
    )


@pytest.fixture
def moderator_client(moderator):
    return token_client(moderator)


def test_the_queue_lists_items_with_post_flags_and_author_history(insult, moderator_client):
    for n in range(2):
        token_client(make_user()).post(
            f"/api/v1/answers/{insult.pk}/flags/", {"reason": "harassment", "text": f"n{n}"}, format="json"
        )
    page = moderator_client.get("/api/v1/moderation/queue/").json()
    assert page["next"] is None
    [item] = page["results"]
    assert item["post_type"] == "answer"
    assert item["post"]["body"] == insult.body
    assert item["post"]["web_url"].startswith("http")
    assert [flag["text"] for flag in item["flags"]] == ["n0", "n1"]
    assert item["flag_weight"] == 2
    assert item["author"]["username"] == insult.author.username
    assert item["author"]["history"]["answer_count"] == 1


def test_the_queue_filters_by_reason(insult, moderator_client):
    make_answer(author=make_user(date_joined=timezone.now()), question=insult.question)
    token_client(make_user()).post(f"/api/v1/answers/{insult.pk}/flags/", {"reason": "spam"}, format="json")
    flagged = moderator_client.get("/api/v1/moderation/queue/?reason=flags").json()["results"]
    first = moderator_client.get("/api/v1/moderation/queue/?reason=first_posts").json()["results"]
    assert [item["post_id"] for item in flagged] == [insult.pk]
    assert len(first) == 1
    assert error_of(moderator_client.get("/api/v1/moderation/queue/?reason=nope"), 400)


def test_the_queue_runs_a_constant_number_of_queries(thread, moderator_client, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            make_answer(author=make_user(date_joined=timezone.now()), question=thread)

    fill(2)
    with django_assert_max_num_queries(12) as few:
        moderator_client.get("/api/v1/moderation/queue/")
    fill(8)
    with django_assert_max_num_queries(len(few)):
        assert len(moderator_client.get("/api/v1/moderation/queue/").json()["results"]) == 10


def test_hiding_through_the_queue_then_a_second_decision_conflicts(insult, moderator_client):
    token_client(make_moderator()).post(f"/api/v1/answers/{insult.pk}/flags/", {"reason": "harassment"}, format="json")
    item = ReviewItem.objects.get(answer=insult)
    response = moderator_client.post(
        f"/api/v1/moderation/queue/{item.pk}/decision/",
        {"decision": "hide", "clause": "respect", "note": "On reste bienveillant."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "hide"
    assert response.json()["post"]["visibility"] == "hidden"
    again = moderator_client.post(
        f"/api/v1/moderation/queue/{item.pk}/decision/", {"decision": "approve"}, format="json"
    )
    assert error_of(again, 409)
    hidden = token_client(insult.author).get(f"/api/v1/answers/{insult.pk}/").json()
    assert hidden["visibility"] == Visibility.HIDDEN


def test_hiding_needs_a_clause(insult, moderator_client):
    error = error_of(moderator_client.post(f"/api/v1/answers/{insult.pk}/hide/", {}, format="json"), 400)
    assert "clause" in error["fields"]


def test_bulk_approval_reports_each_item(thread, moderator_client):
    items = []
    for _ in range(2):
        answer = make_answer(author=make_user(date_joined=timezone.now()), question=thread)
        items.append(ReviewItem.objects.get(answer=answer).pk)
    response = moderator_client.post(
        "/api/v1/moderation/queue/bulk/", {"ids": [*items, 999999], "decision": "approve"}, format="json"
    )
    results = response.json()["results"]
    assert [results[str(pk)] for pk in items] == ["ok", "ok"]
    assert results["999999"] != "ok"


def test_thread_tools_answer_with_the_threads_new_state(thread, moderator_client):
    other = make_question(author=make_user())
    locked = moderator_client.post(f"/api/v1/threads/{thread.pk}/lock/", {"reason": "Hors sujet"}, format="json")
    assert locked.json()["is_locked"] is True
    assert moderator_client.post(f"/api/v1/threads/{thread.pk}/pin/", {}, format="json").json()["is_pinned"] is True
    duplicate = moderator_client.post(f"/api/v1/threads/{thread.pk}/duplicate/", {"original": other.pk}, format="json")
    assert duplicate.json()["duplicate_of"] == other.pk
    retagged = moderator_client.post(f"/api/v1/threads/{thread.pk}/retag/", {"tags": ["Rythme"]}, format="json")
    assert retagged.json()["tags"] == ["rythme"]
    assert error_of(moderator_client.post(f"/api/v1/threads/{thread.pk}/duplicate/", {}, format="json"), 400)
    assert error_of(
        moderator_client.post(f"/api/v1/threads/{thread.pk}/duplicate/", {"original": 99999999}, format="json"), 404
    )


def test_a_suspension_through_the_api_revokes_the_members_tokens(moderator_client, other_student):
    members_client = token_client(other_student)
    assert members_client.get("/api/v1/me/").status_code == 200
    response = moderator_client.post(
        f"/api/v1/moderation/members/{other_student.username}/suspend/",
        {"days": 3, "clause": "respect", "message": "Trois jours pour souffler."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["sanctions"][0]["kind"] == "suspension"
    assert error_of(members_client.get("/api/v1/me/"), 401)
    warnings = token_client(other_student).get("/api/v1/me/warnings/").json()["results"]
    assert warnings[0]["clause_text"]
    assert warnings[0]["ends_at"]


@pytest.mark.parametrize("days", [0, 400, "abc"])
def test_a_bad_suspension_length_is_a_400(moderator_client, other_student, days):
    response = moderator_client.post(
        f"/api/v1/moderation/members/{other_student.username}/suspend/",
        {"days": days, "clause": "respect"},
        format="json",
    )
    error_of(response, 400)


def test_the_audit_log_is_searchable_and_read_only(insult, moderator, moderator_client):
    moderator_client.post(f"/api/v1/answers/{insult.pk}/hide/", {"clause": "respect"}, format="json")
    moderator_client.post(f"/api/v1/threads/{insult.question_id}/lock/", {}, format="json")
    entries = moderator_client.get("/api/v1/moderation/audit/?action=review.").json()["results"]
    assert [(e["action"], e["actor"], e["target_type"], e["target_id"]) for e in entries] == [
        ("review.hide", moderator.username, "answer", insult.pk)
    ]
    today = timezone.localdate().isoformat()
    assert len(moderator_client.get(f"/api/v1/moderation/audit/?from={today}&to={today}").json()["results"]) == 2
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert moderator_client.get(f"/api/v1/moderation/audit/?from={tomorrow}").json()["results"] == []
    assert error_of(moderator_client.get("/api/v1/moderation/audit/?from=hier"), 400)
    before = list(AuditLog.objects.values())
    for method in ("put", "patch", "delete"):
        error_of(getattr(moderator_client, method)("/api/v1/moderation/audit/", {}, format="json"), 405)
    assert list(AuditLog.objects.values()) == before


def test_appealing_through_the_api(insult, moderator_client):
    moderator_client.post(f"/api/v1/answers/{insult.pk}/hide/", {"clause": "respect"}, format="json")
    author = token_client(insult.author)
    text = {"text": "C'était une citation de mon tuteur, pas une insulte."}
    response = author.post(f"/api/v1/answers/{insult.pk}/appeal/", text, format="json")
    assert response.status_code == 201, response.content
    assert error_of(author.post(f"/api/v1/answers/{insult.pk}/appeal/", text, format="json"), 409)
    queued = moderator_client.get("/api/v1/moderation/queue/?reason=appeal").json()["results"]
    assert queued[0]["is_appeal"] is True
    assert queued[0]["appeal_text"] == text["text"]


def test_the_author_of_a_hidden_or_held_post_is_told_why_in_the_api(insult, moderator_client, thread):
    moderator_client.post(
        f"/api/v1/answers/{insult.pk}/hide/", {"clause": "respect", "note": "Reste bienveillant."}, format="json"
    )
    author = token_client(insult.author)
    author.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    hidden = author.get(f"/api/v1/answers/{insult.pk}/").json()["moderation"]
    assert hidden["clause"] == "respect"
    assert hidden["clause_text"].startswith("Be respectful")
    assert hidden["note"] == "Reste bienveillant."
    assert hidden["can_appeal"] is True
    author.post(f"/api/v1/answers/{insult.pk}/appeal/", {"text": "Je citais mon tuteur, désolé."}, format="json")
    assert author.get(f"/api/v1/answers/{insult.pk}/").json()["moderation"]["can_appeal"] is False

    newcomer_client = token_client(make_user(date_joined=timezone.now()))
    newcomer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    held = newcomer_client.post(
        f"/api/v1/threads/{thread.pk}/answers/",
        {"body": "Ma toute première réponse : demande au service RH de ton école."},
        format="json",
    )
    assert held.json()["visibility"] == "pending"
    assert held.json()["moderation"]["reason"] == "first_posts"
    assert "first messages of new members" in held.json()["moderation"]["explanation"]
    published = token_client(make_user()).get(f"/api/v1/threads/{thread.pk}/").json()
    assert published["moderation"] is None
