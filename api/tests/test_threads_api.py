from datetime import timedelta

import pytest
from django.utils import timezone

from api.tests.conftest import error_of, token_client
from forum.models import PostRevision, Question, Visibility
from forum.services.answers import accept_answer
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

NEW_THREAD = {
    "title": "Rupture de contrat d'apprentissage pendant la période d'essai",
    "body": "Mon entreprise veut rompre mon contrat après 30 jours : **quels sont mes droits** ?",
    "tags": ["Contrat apprentissage", "rupture"],
}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def test_the_list_gives_summaries_with_authors_tags_counters_and_links(anonymous, question):
    response = anonymous.get("/api/v1/threads/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    [item] = body["results"]
    assert item["id"] == question.pk
    assert item["title"] == question.title
    assert item["author"] == {
        "id": question.author_id,
        "username": "alice",
        "display_name": "Alice",
        "badges": [],
        "web_url": "http://testserver/membres/alice/",
        "discreet": False,
    }
    assert sorted(item["tags"]) == ["bts", "contrat-apprentissage"]
    assert item["status"] == "open"
    assert item["answer_count"] == 0
    assert item["accepted_answer_id"] is None
    assert item["is_locked"] is False
    assert item["web_url"] == "http://testserver" + question.get_absolute_url()
    assert item["created_at"].endswith("Z")
    assert "body" not in item


def test_timestamps_are_utc_whatever_the_site_time_zone(anonymous, question):
    created = anonymous.get(f"/api/v1/threads/{question.pk}/").json()["created_at"]
    assert created == question.created_at.astimezone(timezone.UTC).isoformat().replace("+00:00", "Z")


def test_threads_filter_by_tag_author_and_words(anonymous, student, other_student):
    rythme = make_question(author=student, title="Quel rythme choisir pour un BTS MCO ?", tags=("rythme",))
    salaire = make_question(author=other_student, title="Salaire d'un apprenti en licence pro", tags=("salaire",))

    assert ids(anonymous.get("/api/v1/threads/?tag=rythme")) == [rythme.pk]
    assert ids(anonymous.get("/api/v1/threads/?author=bob")) == [salaire.pk]
    assert ids(anonymous.get("/api/v1/threads/?q=apprenti+licence")) == [salaire.pk]
    assert ids(anonymous.get("/api/v1/threads/?tag=inconnu")) == []


def test_threads_filter_by_status(anonymous, student, other_student):
    unanswered = make_question(author=student)
    answered = make_question(author=student)
    make_answer(author=other_student, question=answered)
    solved = make_question(author=student)
    accept_answer(user=student, answer=make_answer(author=other_student, question=solved))

    assert ids(anonymous.get("/api/v1/threads/?status=unanswered")) == [unanswered.pk]
    assert set(ids(anonymous.get("/api/v1/threads/?status=answered"))) == {answered.pk, solved.pk}
    assert ids(anonymous.get("/api/v1/threads/?status=solved")) == [solved.pk]


def test_threads_order_by_activity_newest_or_most_answered(anonymous, student, other_student):
    old = make_question(author=student)
    new = make_question(author=student)
    make_answer(author=other_student, question=old)  # old gets activity and an answer

    assert ids(anonymous.get("/api/v1/threads/")) == [old.pk, new.pk]
    assert ids(anonymous.get("/api/v1/threads/?ordering=newest")) == [new.pk, old.pk]
    assert ids(anonymous.get("/api/v1/threads/?ordering=votes")) == [old.pk, new.pk]


@pytest.mark.parametrize("query", ["status=closed", "ordering=random", "page_size=0", "page_size=101", "cursor=zzz"])
def test_a_bad_list_parameter_is_a_400_on_that_parameter(anonymous, query):
    name = query.split("=")[0]
    assert set(error_of(anonymous.get(f"/api/v1/threads/?{query}"), 400)["fields"]) == {name}


def test_asking_creates_the_thread_with_normalised_tags_and_rendered_html(student):
    response = token_client(student).post("/api/v1/threads/", NEW_THREAD, format="json")

    assert response.status_code == 201
    thread = response.json()
    assert response["Location"] == thread["web_url"]
    # "rupture" is a synonym of rupture-contrat (forum migration 0005): saved as its tag.
    assert sorted(thread["tags"]) == ["contrat-apprentissage", "rupture-contrat"]
    assert thread["body"] == NEW_THREAD["body"]
    assert "<strong>quels sont mes droits</strong>" in thread["body_html"]
    assert thread["can_edit"] is True
    assert thread["visibility"] == "published"
    assert Question.objects.get(pk=thread["id"]).author == student


def test_markdown_html_is_sanitised(student):
    body = "Voir [ce lien](javascript:alert(1)) et <script>alert(2)</script> avant de signer."
    thread = token_client(student).post("/api/v1/threads/", {**NEW_THREAD, "body": body}, format="json").json()
    assert 'href="javascript' not in thread["body_html"]
    assert "<script" not in thread["body_html"]


def test_invalid_threads_are_refused_field_by_field_with_the_domain_messages(student):
    bad = {"title": "Aide", "body": "   ", "tags": []}

    error = error_of(token_client(student).post("/api/v1/threads/", bad, format="json"), 400)

    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"title", "body", "tags"}
    assert "short" in error["fields"]["title"][0] or "court" in error["fields"]["title"][0]


@pytest.mark.parametrize(
    "payload",
    [
        {"title": 42, "body": ["x"], "tags": "bts"},
        {"title": None, "body": None, "tags": None},
        {"title": "T" * 20, "body": "B" * 30, "tags": [{"name": "bts"}]},
        ["not", "an", "object"],
    ],
)
def test_wrongly_typed_input_is_a_400_not_a_500(student, payload):
    error_of(token_client(student).post("/api/v1/threads/", payload, format="json"), 400)


def test_reading_a_thread_gives_its_text_its_html_and_counts_the_view_once_per_reader(anonymous, question):
    first = anonymous.get(f"/api/v1/threads/{question.pk}/").json()
    second = anonymous.get(f"/api/v1/threads/{question.pk}/").json()

    assert first["body"] == question.body
    assert first["body_html"] == question.body_html
    assert first["can_edit"] is False
    assert first["can_answer"] is False
    # The same reader reloading is one view (once per reader and hour).
    assert second["view_count"] == first["view_count"] == 1


def test_a_thread_unchanged_since_its_etag_is_a_304(anonymous, question, other_student):
    first = anonymous.get(f"/api/v1/threads/{question.pk}/")
    etag = first["ETag"]
    assert etag.startswith('W/"')

    unchanged = anonymous.get(f"/api/v1/threads/{question.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    make_answer(author=other_student, question=question)
    changed = anonymous.get(f"/api/v1/threads/{question.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_differs_per_member_because_the_flags_do(anonymous, student, question):
    assert (
        anonymous.get(f"/api/v1/threads/{question.pk}/")["ETag"]
        != (token_client(student).get(f"/api/v1/threads/{question.pk}/")["ETag"])
    )


def test_the_author_edits_a_thread_and_the_old_text_becomes_a_revision(student, question):
    client = token_client(student)
    old_title = question.title

    response = client.patch(
        f"/api/v1/threads/{question.pk}/", {"title": "Un titre plus précis sur le BTS"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Un titre plus précis sur le BTS"
    assert response.json()["edited_at"] is not None
    [revision] = client.get(f"/api/v1/threads/{question.pk}/revisions/").json()["results"]
    assert revision["title"] == old_title
    assert revision["body"] == question.body
    assert sorted(revision["tags"]) == ["bts", "contrat-apprentissage"]
    assert revision["editor"]["username"] == "alice"
    assert PostRevision.objects.filter(question=question).count() == 1


def test_someone_else_cannot_edit_a_thread(other_student, question):
    response = token_client(other_student).patch(f"/api/v1/threads/{question.pk}/", {"title": "x" * 20}, format="json")
    assert error_of(response, 403)["code"] == "forbidden"


def test_a_hidden_thread_is_a_404_for_others_but_visible_to_its_author(anonymous, student, other_student, question):
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HIDDEN)

    assert error_of(anonymous.get(f"/api/v1/threads/{question.pk}/"), 404)["code"] == "not_found"
    assert token_client(other_student).get(f"/api/v1/threads/{question.pk}/").status_code == 404
    assert ids(anonymous.get("/api/v1/threads/")) == []
    mine = token_client(student)
    assert mine.get(f"/api/v1/threads/{question.pk}/").json()["visibility"] == "hidden"
    assert ids(mine.get("/api/v1/threads/")) == [question.pk]


def test_an_id_too_large_for_the_database_is_a_plain_404(anonymous):
    for path in ("/api/v1/threads/99999999999999999999/", "/api/v1/threads/9223372036854775807/answers/"):
        error_of(anonymous.get(path), 404)


def test_the_last_activity_moves_with_answers(anonymous, question, other_student):
    before = anonymous.get(f"/api/v1/threads/{question.pk}/").json()["last_activity_at"]
    Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now() - timedelta(hours=1))
    make_answer(author=other_student, question=question)
    after = anonymous.get(f"/api/v1/threads/{question.pk}/").json()["last_activity_at"]
    assert after >= before
