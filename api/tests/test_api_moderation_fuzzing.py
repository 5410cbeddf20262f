"""Schemathesis on the moderation endpoints, as a moderator (the general run in
test_schemathesis_fuzzing.py calls them as a member, who only meets 403s):
generated requests must get no 5xx and answers that match the schema, with a
queue, reports, hidden posts, appeals and sanctions to work on."""

import pytest
from django.utils import timezone

from api.tests.test_schemathesis_fuzzing import FUZZ_SERVER_ENV, fuzz
from forum.services.flags import flag_post
from forum.services.moderation import appeal, hide_post
from forum.services.sanctions import warn_member
from forum.services.tokens import issue_token
from tests.factories import make_answer, make_moderator, make_question, make_user

pytestmark = [pytest.mark.server, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def live_server_env():
    return FUZZ_SERVER_ENV


def test_moderation_endpoints_answer_a_moderator_without_5xx_and_within_the_schema(live_server_process, tmp_path):
    moderator = make_moderator(username="modo")
    other_moderator = make_moderator(username="modo2")
    alice, bob = make_user(username="alice"), make_user(username="bob")
    for index in range(3):
        thread = make_question(author=alice, tags=("bts", f"sujet-{index}"))
        answer = make_answer(author=bob, question=thread)
        flag_post(user=make_user(), post=answer, reason="harassment", text="Insulte.")
    make_answer(author=make_user(date_joined=timezone.now()), question=thread)
    hide_post(moderator=other_moderator, post=answer, clause="respect", note="Propos blessants.")
    answer.refresh_from_db()
    appeal(user=bob, post=answer, text="C'était une citation, pas une insulte.")
    warn_member(moderator=moderator, member=alice, clause="off_topic", message="Reste sur le sujet.")
    _token, secret = issue_token(user=moderator, device_name="schemathesis")

    run, entries = fuzz(
        live_server_process,
        tmp_path,
        "moderator",
        "--header",
        f"Authorization: Bearer {secret}",
        "--include-tag",
        "moderation",
        "--include-operation-id",
        "me_warnings_list",
    )

    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert [e["request"]["url"] for e in entries if e["response"]["status"] >= 500] == []
    assert any(e["response"]["status"] < 300 for e in entries)
    assert len(entries) >= 200, len(entries)
