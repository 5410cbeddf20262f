"""`manage.py seed_demo`: a realistic French alternance community, created
through the services, that the demo accounts can log in to, and that a second
run leaves alone."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone

from forum.demo.members import ALL_MEMBERS, COMMUNITY, DEMO_ACCOUNTS
from forum.demo.threads import load_threads
from forum.models import Answer, Event, Question, User, UserRole, Vote
from forum.permissions import is_moderator
from forum.validation import normalise_tag
from tests.factories import make_user

PASSWORD = "stage-en-alternance-2026"


def seed(password: str = PASSWORD) -> str:
    out = StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    # Every table, not only the ones seed_demo is known to touch today: a step
    # added later must be idempotent too.
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """Seeds once for a whole class (seeding takes seconds), inside a
    transaction rolled back after the class; each test still runs in its own
    savepoint through `db`, so what a test writes does not leak to the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.usefixtures("db")
class TestTheSeededCommunity:
    def test_it_creates_a_french_alternance_community_through_the_services(self, demo):
        output = demo

        assert "Demo community created" in output
        questions = Question.objects.annotate(n_tags=Count("tagged_items"))
        assert questions.count() >= 40
        assert all(1 <= q.n_tags <= 5 for q in questions)
        tags_used = {name for q in Question.objects.prefetch_related("tags") for name in q.tags.names()}
        assert len(tags_used) >= 12
        assert {"contrat-apprentissage", "contrat-pro", "salaire", "rupture-contrat", "e-reputation"} <= tags_used

        answer_counts = [q.answer_count for q in Question.objects.all()]
        assert max(answer_counts) <= 5
        assert 3 <= answer_counts.count(0) <= 10, "a few questions still wait for their first answer"
        solved = Question.objects.filter(accepted_answer__isnull=False).count()
        assert 0.35 <= solved / len(answer_counts) <= 0.65, "about half the threads are solved"

        # Derived state is what the services keep: counters match the rows.
        for question in Question.objects.annotate(rows=Count("answers")):
            assert question.answer_count == question.rows
        for answer in Answer.objects.annotate(rows=Count("votes")):
            assert answer.vote_count == answer.rows
        assert not [v for v in Vote.objects.select_related("answer") if v.user_id == v.answer.author_id]
        assert Vote.objects.count() > Answer.objects.count()
        # The services published their events; nothing else needed for that.
        assert Event.objects.filter(name="question.created", topic="feed").count() == questions.count()

        html = "".join(Question.objects.values_list("body_html", flat=True)) + "".join(
            Answer.objects.values_list("body_html", flat=True)
        )
        assert "<strong>" in html
        assert "<ul>" in html
        assert "<table>" in html
        assert 'rel="nofollow ugc noopener"' in html

    def test_the_community_has_french_members_of_every_kind(self, demo):

        community = User.objects.filter(username__in=[m.username for m in COMMUNITY])
        assert 15 <= community.count() <= 25
        assert set(community.values_list("role", flat=True)) == set(UserRole.values)
        assert all(user.display_name and user.school and user.region for user in community)
        assert community.filter(display_name="Inès Benali", region="Île-de-France").exists()
        # Members can log in: a verified primary address each (email verification is mandatory).
        assert EmailAddress.objects.filter(user__in=community, verified=True, primary=True).count() == community.count()

    def test_timestamps_are_spread_over_the_past_weeks_in_a_plausible_order(self, demo):
        now = timezone.now()

        span = Question.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        assert span["last"] - span["first"] > timedelta(weeks=6)
        assert span["last"] < now
        for question in Question.objects.select_related("author").prefetch_related("answers__votes"):
            assert question.author.date_joined < question.created_at
            assert question.created_at <= question.last_activity_at <= now
            for answer in question.answers.all():
                assert question.created_at < answer.created_at <= question.last_activity_at
                assert all(answer.created_at <= vote.created_at <= now for vote in answer.votes.all())

    @pytest.mark.parametrize("username", [member.username for member in DEMO_ACCOUNTS])
    def test_the_demo_accounts_log_in_with_the_given_password(self, client, demo, username):
        response = client.post(reverse("account_login"), {"login": username, "password": PASSWORD})

        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)

    def test_the_demo_accounts_have_their_roles(self, demo):

        student, hr, mod = (User.objects.get(username=name) for name in ("demo-student", "demo-hr", "demo-mod"))
        assert student.role == UserRole.STUDENT
        assert hr.role == UserRole.HR
        assert is_moderator(mod)
        assert not is_moderator(student)
        assert not is_moderator(hr)
        # demo-student has threads of its own to try accepting an answer on.
        assert Question.objects.filter(author=student, answer_count__gt=0, accepted_answer__isnull=True).exists()

    def test_a_second_run_adds_nothing_and_says_so(self, demo):
        before = row_counts()

        output = seed(password="nouveau-mot-de-passe-2026")

        assert row_counts() == before
        assert "nothing added" in output
        # It may reset the demo accounts' password, and does.
        assert authenticate(username="demo-student", password="nouveau-mot-de-passe-2026") is not None
        assert authenticate(username="demo-student", password=PASSWORD) is None


def test_it_refuses_to_take_over_a_real_account_with_a_demo_username(db):
    real = make_user(username="ines-benali", email="ines@example.org", password="her-own-password")

    with pytest.raises(CommandError, match="ines-benali"):
        seed()

    assert User.objects.count() == 1
    assert Question.objects.count() == 0
    real.refresh_from_db()
    assert real.check_password("her-own-password")


def test_an_empty_password_is_refused(db):
    with pytest.raises(CommandError):
        seed(password="  ")
    assert not User.objects.exists()


def test_the_demo_content_keeps_the_forum_rules():
    """Caught here with the thread's title, rather than as an InvalidInput
    halfway through a seeding run."""
    rules = settings.FORUM
    usernames = {m.username for m in ALL_MEMBERS}
    assert len(usernames) == len(ALL_MEMBERS)
    threads = load_threads()
    assert len({t.title for t in threads}) == len(threads)
    for thread in threads:
        assert rules["TITLE_MIN"] <= len(thread.title) <= rules["TITLE_MAX"], thread.title
        assert len(thread.body) >= rules["BODY_MIN"], thread.title
        assert rules["TAGS_MIN"] <= len(thread.tags) <= rules["TAGS_MAX"], thread.title
        assert all(normalise_tag(tag) == tag for tag in thread.tags), thread.title
        assert len(thread.replies) <= 5, thread.title
        assert thread.author in usernames, thread.title
        for reply in thread.replies:
            assert reply.author in usernames, thread.title
            assert reply.author != thread.author, thread.title
            assert len(reply.body) >= rules["BODY_MIN"], thread.title
            assert 0 <= reply.votes < len(COMMUNITY) - 1, thread.title
        if thread.accepted is not None:
            assert 0 <= thread.accepted < len(thread.replies), thread.title
