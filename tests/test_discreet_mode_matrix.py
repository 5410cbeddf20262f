"""The permission matrix of discreet mode over every front door: the verified
members of the organisations the asker hides from never get the asker's
identity (username, display name, profile address) in any response body,
while moderators and the asker do (issue 17, acceptance).

Each viewer reads every door; the response bodies are searched as text. The
websocket doors (live payloads and catch-up) are in
`api/tests/test_discreet_mode_websocket.py`."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.services.questions import edit_question
from tests.discreet_factories import ASKER_NAME, ASKER_USERNAME, TITLE, committed, make_discreet_world

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "member", "hr_hidden", "hr_other", "hr_former", "moderator", "asker"]
# Readers who see who asked (the asker hides from the bank's verified members only).
SEE_THE_ASKER = {"anonymous", "member", "hr_other", "hr_former", "moderator", "asker"}
# Doors that show the author of the thread to whoever may see them.
NAMING_DOORS = {
    "thread",
    "answers_fragment",
    "home",
    "tag",
    "search",
    "question_history",
    "answer_history",
    "api_threads",
    "api_thread",
    "api_answers",
    "api_revisions",
    "api_search",
}
# The author block of a masked author (frontend/partials/author.html).
MASKED_BLOCK = '<span class="author__name" data-author-name data-discreet>Un·e alternant·e</span>'


def with_a_revision(world):
    # A revision edited by the asker: the history pages name its editor.
    committed(
        edit_question,
        editor=world.asker,
        question=world.question,
        body="Je fais des photocopies toute la journée au lieu de suivre mon référentiel, depuis septembre.",
    )
    return world


@pytest.fixture
def world():
    return with_a_revision(make_discreet_world())


def doors(world) -> dict[str, str]:
    question = world.question
    asker_answer = question.answers.get(author=world.asker)
    return {
        "thread": question.get_absolute_url(),
        "answers_fragment": reverse("frontend:thread_answers", args=[question.pk]),
        "home": reverse("frontend:home"),
        "tag": reverse("frontend:tag", args=["tuteur"]),
        "hot": reverse("frontend:hot"),
        "search": reverse("frontend:search") + "?q=photocopies",
        "similar": reverse("frontend:similar_questions") + "?title=tuteur+forme+pas",
        "question_history": reverse("frontend:question_history", args=[question.pk]),
        "answer_history": reverse("frontend:answer_history", args=[asker_answer.pk]),
        "organisation": reverse("frontend:organisation", args=[world.bank.slug]),
        "notifications": reverse("frontend:notifications"),
        "insights": reverse("frontend:insights"),
        "feed": reverse("frontend:feed_questions"),
        "feed_organisation": reverse("frontend:feed_organisation", args=[world.bank.slug]),
        "api_threads": "/api/v1/threads/",
        "api_threads_by_author": f"/api/v1/threads/?author={ASKER_USERNAME}",
        "api_thread": f"/api/v1/threads/{question.pk}/",
        "api_answers": f"/api/v1/threads/{question.pk}/answers/",
        "api_revisions": f"/api/v1/threads/{question.pk}/revisions/",
        "api_search": "/api/v1/search/?q=photocopies",
        "api_similar": "/api/v1/threads/similar/?title=tuteur+forme+pas",
        "api_notifications": "/api/v1/notifications/",
        "api_insights": "/api/v1/insights/",
        "api_export": "/api/v1/me/export/",
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def read(client: Client, path: str) -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    # Members-only doors answer 302/401/403 to others: nothing leaks there either.
    assert response.status_code in (200, 302, 401, 403, 404), (path, response.status_code)
    return response.content.decode()


def identity_in(body: str) -> list[str]:
    return [value for value in (ASKER_USERNAME, ASKER_NAME, f"/membres/{ASKER_USERNAME}/") if value in body]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_asker_is_named_only_to_those_allowed_to_know(world, viewer):
    # Shared caches first: the thread and its fragment rendered for a reader
    # who sees the asker, so a cached author block would be served next.
    warm = client_for(world.member)
    for path in (world.question.get_absolute_url(), reverse("frontend:thread_answers", args=[world.question.pk])):
        read(warm, path)
    read(Client(), world.question.get_absolute_url())

    client = client_for(world.viewers()[viewer])
    bodies = {name: read(client, path) for name, path in doors(world).items()}

    if viewer == "hr_hidden":
        leaks = {name: identity_in(body) for name, body in bodies.items() if identity_in(body)}
        assert leaks == {}
        # They read the thread all the same, with the asker masked.
        assert TITLE in bodies["thread"]
        assert MASKED_BLOCK in bodies["thread"]
        assert MASKED_BLOCK in bodies["answers_fragment"]
    else:
        for name in NAMING_DOORS:
            assert identity_in(bodies[name]), (viewer, name)
        # (Structured data masks the asker for everyone: it is made once for all.)
        assert MASKED_BLOCK not in bodies["thread"]
    if viewer in ("asker", "moderator"):
        # The note saying whom the asker hides from is theirs alone.
        assert "data-discreet-from" in bodies["thread"]
        assert world.bank.name in bodies["thread"]
    else:
        assert "data-discreet-from" not in bodies["thread"]
    assert viewer in SEE_THE_ASKER or viewer == "hr_hidden"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_hidden_from_everyone_the_asker_is_named_to_moderators_only(viewer):
    world = with_a_revision(make_discreet_world(everywhere=True))
    # Shared caches first, as above: a member's render, then an anonymous page.
    for path in (world.question.get_absolute_url(), reverse("frontend:thread_answers", args=[world.question.pk])):
        read(client_for(world.member), path)

    client = client_for(world.viewers()[viewer])
    bodies = {name: read(client, path) for name, path in doors(world).items()}

    if viewer in ("asker", "moderator"):
        for name in NAMING_DOORS:
            assert identity_in(bodies[name]), (viewer, name)
        assert "data-discreet-from" in bodies["thread"]
    else:
        leaks = {name: identity_in(body) for name, body in bodies.items() if identity_in(body)}
        assert leaks == {}
        assert MASKED_BLOCK in bodies["thread"]
        assert MASKED_BLOCK in bodies["answers_fragment"]
        assert "data-discreet-from" not in bodies["thread"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_askers_profile_does_not_list_the_discreet_thread(world, viewer):
    client = client_for(world.viewers()[viewer])
    profile = read(client, reverse("frontend:profile", args=[ASKER_USERNAME]))
    api_answers = read(client, f"/api/v1/users/{ASKER_USERNAME}/answers/")
    api_questions = read(client, f"/api/v1/threads/?author={ASKER_USERNAME}")
    listed = [TITLE in profile, str(world.question.pk) in api_answers, TITLE in api_questions]
    if viewer in ("asker", "moderator"):
        assert listed == [True, True, True]
    else:
        # Listed under the asker's name, the thread would say who asked it.
        assert listed == [False, False, False]


def test_the_discreet_help_page_exists_in_both_languages(client):
    french = client.get(reverse("frontend:help_discreet"), HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get(reverse("frontend:help_discreet") + "?lang=en")
    assert "Mode discret" in french.content.decode()
    assert english.status_code in (200, 302)
