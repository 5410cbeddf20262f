"""Every list endpoint runs the same number of queries for 5 items as for 50.

The data is built to expose N+1 reads: every item has its own author, and
every author holds a verified badge (and some are moderators), so a missing
select_related/prefetch on authors, badges, tags or votes shows up as a
difference between the two page sizes.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import token_client
from forum.models import BadgeRole
from forum.permissions import MODERATORS_GROUP
from forum.services.answers import edit_answer
from forum.services.questions import edit_question
from forum.services.tokens import issue_token
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_badge, make_question, make_user

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

N = 50

# Queries per page, whatever its size. Changing one is a decision: it costs on
# every request of the mobile app.
BUDGETS = {
    "threads, anonymous": 5,  # the version for the ETag (api/conditional.py), threads, tags, badges, moderator groups
    # The token (with the member's list traits: forum/services/tokens.py), the
    # version: a member whose list is anyone's reads the anonymous body
    # (api/conditional.py); one with a held thread of theirs gets the list
    # serialised for them.
    "threads, member": 2,
    # The version for the ETag (api/conditional.py), thread, answers, badges,
    # moderator groups; the next anonymous reader of this version: version and thread.
    "thread answers, anonymous": 5,
    # The token (and "moderator?"), their part in the thread with their list
    # traits (a member who took none reads the body shared by such members:
    # api/tests/test_conditional_thread_reads.py), thread, answers, badges,
    # moderator groups, the member's votes.
    "thread answers, member": 7,
    "thread revisions": 4,  # thread, revisions, editors' badges, moderator groups
    "answer revisions": 4,
    "tags": 1,
    "member answers": 2,  # member, answers with their threads
    "my devices": 2,  # the token, the tokens
}


def badged_member(*, moderator: bool = False):
    member = make_user()
    make_badge(user=member, role=BadgeRole.HR)
    if moderator:
        member.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return member


@pytest.fixture
def crowd(student):
    question = make_question(author=student, tags=("bts",))
    answers = [make_answer(author=badged_member(moderator=i % 3 == 0), question=question) for i in range(N)]
    prolific = badged_member()
    for index, answer in enumerate(answers):
        if index % 2:
            cast_vote(user=student, answer=answer)
        thread = make_question(author=answer.author, tags=(f"tag-{index}", "bts"))
        make_answer(author=prolific, question=thread)
        edit_question(
            editor=badged_member(moderator=True), question=question, body=f"Version {index} du texte, précisée."
        )
        edit_answer(editor=badged_member(moderator=True), answer=answers[0], body=f"Version {index} de la réponse.")
        issue_token(user=student, device_name=f"appareil {index}")
    return {"question": question, "answer": answers[0], "student": student, "prolific": prolific}


def queries_for(client, url: str, page_size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}?page_size={page_size}")
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == page_size
    return len(captured)


LISTS = [
    ("threads, anonymous", "/api/v1/threads/", False),
    ("threads, member", "/api/v1/threads/", True),
    ("thread answers, anonymous", "/api/v1/threads/{question}/answers/", False),
    ("thread answers, member", "/api/v1/threads/{question}/answers/", True),
    ("thread revisions", "/api/v1/threads/{question}/revisions/", False),
    ("answer revisions", "/api/v1/answers/{answer}/revisions/", False),
    ("tags", "/api/v1/tags/", False),
    ("member answers", "/api/v1/users/{author}/answers/", False),
    ("my devices", "/api/v1/auth/tokens/", True),
]


def test_every_list_costs_the_same_queries_for_5_or_50_items(crowd, anonymous):
    # One crowd for every list: building it is most of this test's time.
    member = token_client(crowd["student"])
    measured = {}
    for name, path, as_member in LISTS:
        client = member if as_member else anonymous
        url = path.format(question=crowd["question"].pk, answer=crowd["answer"].pk, author=crowd["prolific"].username)
        client.get(url)  # warm up what is cached per process (content types, the token's last use)
        measured[name] = (queries_for(client, url, 5), queries_for(client, url, 50))

    assert measured == {name: (budget, budget) for name, budget in BUDGETS.items()}
