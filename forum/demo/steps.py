"""The seeding steps behind `manage.py seed_demo`.

`run()` executes STEPS in order with one shared SeedContext. Every step is
idempotent: it looks for what it would create and creates only what is
missing, so running the command twice adds nothing the second time. To add a
step (organisations and verified badges, for example), write a function
`def seed_x(ctx: SeedContext) -> None` in a module of this package (the
context comes from forum/demo/context.py, never from this module, which
imports every step), count what it creates with `ctx.created["x"] += 1`, and
append it to STEPS.

Content goes through the real services (ask_question, post_answer,
cast_vote, accept_answer, update_profile), so counters, rendered Markdown and
events are what production would have. The services stamp everything "now";
to make the demo look like a community that has lived for weeks, each thread
is then backdated with queryset updates. That is for demo data only: real
timestamps are never rewritten anywhere else.
"""

import random
import zlib
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from forum import legal_dates, search
from forum.demo.context import SeedContext, Step
from forum.demo.discreet import seed_discreet_thread
from forum.demo.live_sessions import seed_live_sessions
from forum.demo.members import ALL_MEMBERS, COMMUNITY, Member
from forum.demo.moderation import seed_moderation
from forum.demo.organisations import seed_organisations
from forum.demo.threads import Thread, load_threads
from forum.models import Answer, Question, User, Vote
from forum.permissions import MODERATORS_GROUP
from forum.services.answers import accept_answer, post_answer
from forum.services.profiles import update_profile
from forum.services.questions import ask_question
from forum.services.votes import cast_vote


class DemoDataConflict(Exception):
    """The database holds something the demo would overwrite (a real account
    with a demo username): refuse rather than take it over."""


# --- Members --------------------------------------------------------------------


def seed_members(ctx: SeedContext) -> None:
    """The demo accounts and community members, able to log in (verified
    primary address) with the given password, which a second run resets."""
    existing = {user.username: user for user in User.objects.filter(username__in=[m.username for m in ALL_MEMBERS])}
    # All checked before anything is written, so a refusal leaves the database as it was.
    for member in ALL_MEMBERS:
        user = existing.get(member.username)
        if user is not None and user.email.lower() != member.email:
            raise DemoDataConflict(
                f"The username {member.username!r} belongs to an account that is not demo data "
                f"({user.email or 'no email'}); seed_demo will not take it over."
            )
    for member in ALL_MEMBERS:
        user = existing.get(member.username)
        if user is None:
            user = _create_member(ctx, member)
            ctx.created["members"] += 1
        elif member.moderator:
            user.groups.add(_moderators_group())
        ctx.members[member.username] = user

    if existing:
        ctx.passwords_reset = User.objects.filter(pk__in=[u.pk for u in existing.values()]).update(
            password=ctx.password_hash
        )


def _create_member(ctx: SeedContext, member: Member) -> User:
    # date_joined in the past also keeps the members clear of the rules for new
    # accounts (pre-moderation, lower posting limits) when they post below.
    joined = ctx.now - timedelta(days=member.joined_days_ago)
    with transaction.atomic():
        user = User.objects.create_user(
            username=member.username,
            email=member.email,
            password=None,
            date_joined=joined,
            charter_accepted_at=joined,
        )
        user.password = ctx.password_hash
        user.save(update_fields=["password"])
        if member.moderator:
            # Before the profile: only a moderator may call themself one.
            user.groups.add(_moderators_group())
        update_profile(
            user=user,
            display_name=member.display_name,
            role=str(member.role),
            school=member.school,
            region=member.region,
            bio=member.bio,
        )
        EmailAddress.objects.create(user=user, email=member.email, verified=True, primary=True)
    return user


def _moderators_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    return group


# --- Threads --------------------------------------------------------------------


def seed_threads(ctx: SeedContext) -> None:
    """Questions, answers, helpful votes and accepted answers. A thread is
    recognised by its author and title; each one is written in a single
    transaction, so an interrupted run leaves whole threads or none."""
    threads = load_threads()
    authors = {ctx.member(t.author).pk for t in threads}
    existing = set(Question.objects.filter(author__in=authors).values_list("author__username", "title"))
    # Oldest first, so that ids grow with time as they would in real life.
    for thread in sorted(threads, key=lambda t: -t.days_ago):
        if (thread.author, thread.title) in existing:
            # Demo databases seeded before the facets existed get them too.
            Question.objects.filter(author__username=thread.author, title=thread.title, diploma="", contract="").update(
                **dict(thread.facets)
            )
            continue
        with transaction.atomic():
            _seed_thread(ctx, thread)


def _valid_as_of(ctx: SeedContext, reply) -> date | None:
    if reply.valid_days_ago is None:
        return None
    return legal_dates.today(ctx.now - timedelta(days=reply.valid_days_ago))


def _seed_thread(ctx: SeedContext, thread: Thread) -> None:
    # Seeded by the title, so a run gives the same votes and times every time.
    rng = random.Random(zlib.crc32(thread.title.encode()))
    asker = ctx.member(thread.author)
    latest = ctx.now - timedelta(minutes=5)
    asked_at = ctx.now - timedelta(days=thread.days_ago)
    question = ask_question(
        author=asker, title=thread.title, body=thread.body, tags=list(thread.tags), **dict(thread.facets)
    )
    ctx.created["questions"] += 1

    last_activity = asked_at
    answers: list[tuple[Answer, datetime]] = []
    for reply in thread.replies:
        answer = post_answer(
            author=ctx.member(reply.author),
            question=question,
            body=reply.body,
            valid_as_of=_valid_as_of(ctx, reply),
            sources=list(reply.sources),
        )
        answered_at = min(asked_at + timedelta(hours=reply.after_hours), latest)
        answers.append((answer, answered_at))
        last_activity = max(last_activity, answered_at)
        ctx.created["answers"] += 1

        voters = [ctx.member(m.username) for m in COMMUNITY if m.username != reply.author]
        for voter in rng.sample(voters, k=min(reply.votes, len(voters))):
            cast_vote(user=voter, answer=answer)
            # Most votes come soon after an answer is posted, a few much later.
            voted_at = answered_at + (latest - answered_at) * rng.random() ** 3
            Vote.objects.filter(answer=answer, user=voter).update(created_at=voted_at)
            ctx.created["votes"] += 1
        Answer.objects.filter(pk=answer.pk).update(created_at=answered_at)

    if thread.accepted is not None:
        answer, answered_at = answers[thread.accepted]
        accept_answer(user=asker, answer=answer)
        accepted_at = min(answered_at + timedelta(hours=rng.uniform(1, 30)), latest)
        last_activity = max(last_activity, accepted_at)
        ctx.created["accepted answers"] += 1

    views = 20 + 11 * len(thread.replies) + 4 * sum(r.votes for r in thread.replies) + int(3 * thread.days_ago)
    Question.objects.filter(pk=question.pk).update(
        created_at=asked_at, last_activity_at=last_activity, view_count=views + rng.randint(0, 40)
    )


def seed_search_index(ctx: SeedContext) -> None:
    """The threads were indexed as they were written, but the badges came
    after them: index again so verified answers weigh what they should."""
    search.rebuild()


# Organisations last: they need the members, and badges rank existing answers.
STEPS: list[Step] = [
    seed_members,
    seed_threads,
    seed_moderation,
    seed_organisations,
    seed_discreet_thread,
    seed_live_sessions,
    seed_search_index,
]


def run(*, password: str) -> SeedContext:
    if not password:
        raise ValueError("A password is required for the demo accounts.")
    ctx = SeedContext(password=password)
    for step in STEPS:
        step(ctx)
    return ctx
