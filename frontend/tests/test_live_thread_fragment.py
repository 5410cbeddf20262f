"""The live parts of a thread (GET /questions/<id>/reponses/): what live.js
swaps in when the thread changes. They are the thread page's own partials for
this viewer, so they must match the page, show what the viewer may see and
nothing else, carry the viewer's controls, and cost the same few queries
whatever the number of answers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Question
from forum.services.answers import accept_answer
from forum.services.moderation import hide_post
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question, make_user

pytestmark = pytest.mark.django_db


def answers_section(html: str) -> str:
    """The answers part, CSRF tokens (masked afresh on every render) and
    relative times ("now", "a second ago") blanked."""
    start = html.index('<div class="thread__answers" data-live-part="answers"')
    end = html.index("</section>", start)
    section = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[start:end])
    return re.sub(r"(<time[^>]*>)[^<]*(</time>)", r"\1\2", section)


def fragment(client, question) -> str:
    response = client.get(f"/questions/{question.pk}/reponses/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("viewer", ["anonymous", "asker", "member", "moderator"])
def test_it_renders_the_answers_section_exactly_as_the_page_does(
    client, student, other_student, third_student, moderator, viewer
):
    question = make_question(author=student)
    first = make_answer(author=other_student, question=question)
    second = make_answer(author=third_student, question=question)
    cast_vote(user=student, answer=second)
    accept_answer(user=student, answer=first)
    person = {"asker": student, "member": third_student, "moderator": moderator}.get(viewer)
    if person:
        client.force_login(person)

    page = client.get(question.get_absolute_url()).content.decode()
    live = fragment(client, question)

    assert answers_section(live) == answers_section(page)
    assert 'data-thread-status data-status="solved" data-live-part="question-status"' in live
    # A fragment, not a page: no layout, no scripts.
    assert "<html" not in live
    assert "<script" not in live


def test_it_carries_the_viewers_controls(client, student, other_student, third_student, moderator):
    question = make_question(author=student)
    answer = make_answer(author=other_student, question=question)

    client.force_login(student)
    as_asker = fragment(client, question)
    client.force_login(third_student)
    as_member = fragment(client, question)
    client.force_login(moderator)
    as_moderator = fragment(client, question)
    client.logout()
    as_anonymous = fragment(client, question)

    accept_url = f'action="/reponses/{answer.pk}/accepter/"'
    vote_url = f'action="/reponses/{answer.pk}/vote/"'
    flag_url = f'href="/signaler/reponse/{answer.pk}/"'
    assert accept_url in as_asker
    assert vote_url in as_asker
    assert flag_url in as_asker
    assert accept_url not in as_member
    assert vote_url in as_member
    assert flag_url in as_member
    assert "data-mod-tools" in as_moderator
    assert "data-mod-tools" not in as_member
    assert accept_url not in as_anonymous
    assert vote_url not in as_anonymous
    assert "csrfmiddlewaretoken" in as_asker


def test_it_shows_a_hidden_answer_to_its_author_and_moderators_only(
    client, student, other_student, third_student, moderator
):
    question = make_question(author=student)
    kept = make_answer(author=third_student, question=question)
    hidden = make_answer(author=other_student, question=question)
    hide_post(moderator=moderator, post=hidden, clause="spam", note="")

    def shown(user) -> list[int]:
        if user:
            client.force_login(user)
        else:
            client.logout()
        return [int(pk) for pk in re.findall(r'data-answer-id="(\d+)"', fragment(client, question))]

    assert shown(None) == [kept.pk]
    assert shown(student) == [kept.pk]
    assert hidden.pk in shown(other_student)
    assert hidden.pk in shown(moderator)


def test_it_is_not_found_for_a_question_the_viewer_may_not_see(client, student, other_student, moderator):
    question = make_question(author=student)
    hide_post(moderator=moderator, post=question, clause="spam", note="")

    assert client.get(f"/questions/{question.pk}/reponses/").status_code == 404
    client.force_login(other_student)
    assert client.get(f"/questions/{question.pk}/reponses/").status_code == 404
    assert client.get("/questions/999999/reponses/").status_code == 404


def test_it_is_never_cached_and_counts_no_view(client, student):
    question = make_question(author=student)

    response = client.get(f"/questions/{question.pk}/reponses/")

    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert Question.objects.get(pk=question.pk).view_count == 0
    assert client.post(f"/questions/{question.pk}/reponses/").status_code == 405


@pytest.mark.parametrize("viewer", ["anonymous", "asker", "moderator"])
def test_it_runs_the_same_number_of_queries_for_3_or_30_answers(client, student, other_student, moderator, viewer):
    question = make_question(author=student)
    authors = [make_user() for _ in range(3)]
    if viewer == "asker":
        client.force_login(student)
    elif viewer == "moderator":
        client.force_login(moderator)

    def add_answers(count: int) -> None:
        for i in range(count):
            answer = make_answer(author=authors[i % 3], question=question)
            cast_vote(user=other_student, answer=answer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            fragment(client, question)
        return len(context.captured_queries)

    add_answers(3)
    with_three = queries()
    add_answers(27)
    with_thirty = queries()

    # Every live update of every watcher pays this: changing it is a decision.
    assert with_three == with_thirty
    assert with_thirty <= 14
