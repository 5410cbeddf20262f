"""A small, controlled forum for the insights dashboard, whose every figure is
computed by hand in the docstring of `build` (forum/tests/test_insights_figures.py
checks them; the page and API tests reuse the data).

Posts go through the real services; only their times are moved afterwards
(the services stamp `now`), and the view counts set (views are counted per
visitor through the cache, not worth simulating here)."""

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.test import TestCase

from forum.insights.period import Period
from forum.models import Answer, Organisation, Question, QuestionAddressee, User, Visibility
from forum.services.answers import accept_answer
from forum.services.notifications import follow_tag, set_thread_following
from forum.services.questions import ask_question
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")

# Monday 23 to Sunday 29 March 2026. France moves to summer time on Sunday 29
# at 01:00 UTC, so the period's last day has 23 hours.
PERIOD = Period(dt.date(2026, 3, 23), dt.date(2026, 3, 29))


@dataclass
class InsightsWorld:
    alice: User  # asker
    bob: User  # asker
    charlie: User  # community member who answers
    hr_a: User  # verified HR at Banque A
    hr_b: User  # verified HR at Banque B
    bank_a: Organisation
    bank_b: Organisation
    q1: Question
    q2: Question
    q3: Question
    q4: Question
    q5: Question
    q6: Question
    q7: Question
    q8: Question


def _at(post, when: dt.datetime) -> None:
    type(post).objects.filter(pk=post.pk).update(created_at=when)
    post.created_at = when


def _utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def build(moderator: User) -> InsightsWorld:
    """The period is PERIOD; the one before it is 16-22 March. Times in UTC
    (Paris is UTC+1 until 29 March 01:00 UTC, UTC+2 after).

    q1 23 Mar 09:00 (Paris 23rd), tags bts+teletravail, BTS, Bretagne, addressed to A.
       charlie answers at +2 h, hr_a at +4 h; alice accepts hr_a's answer. 10 views.
    q2 23 Mar 22:30 (Paris 23rd 23:30), tag bts, Île-de-France, addressed to B.
       charlie answers at +1 h. 5 views.
    q3 24 Mar 23:30 (Paris 25th 00:30), tag horaires, Master, addressed to A. No answer.
       Followed by bob and hr_b (who chose to; hr_a follows it because it is
       addressed to Banque A, which is no "me too").
    q4 28 Mar 23:30 (Paris 29th 00:30), tag teletravail. Its asker answers
       herself at +30 min (answered, but not a response), hr_a at +10 h.
    q5 22 Mar 12:00 (previous period), tag bts, charlie answers. 100 views.
    q6 17 Mar 10:00 (previous period), tag horaires. No answer.
    q7 25 Mar, tag bts, hidden by moderation: counted nowhere.
    q8 29 Mar 22:30 (Paris 30th 00:30, summer time): after the period. No answer.

    Figures over PERIOD:
    - asked per Paris day: 23rd 2 (2 answered, 1 solved), 25th 1, 29th 1 (answered); others 0.
      Totals: 4 asked, 3 answered, 1 solved.
    - time to first answer (not by the asker): q1 2 h, q2 1 h, q4 10 h ->
      median 7,200 s, p90 7,200 + 0.8 x 28,800 = 30,240 s.
    - time to first verified answer: q1 4 h, q4 10 h -> median 25,200 s,
      p90 14,400 + 0.9 x 21,600 = 33,840 s. Verified share 2/3.
    - tags: bts 2 (1 before), teletravail 2 (0 before), horaires 1 (1 before).
      Top: bts, teletravail, horaires. Rising: teletravail (+2, new), bts (+1, +100 %).
    - diploma: BTS 1, Master 1, not given 2. Region: Bretagne 1, Île-de-France 1, not given 2.
    - most viewed: q1 (10), q2 (5). Most followed by others: q3 (2).
    - Banque A: 2 addressed (q1, q3), 1 answered by its members after 4 h,
      rate 0.5; 1 accepted answer. Banque B: 1 addressed (q2), none answered.
    - hr_a follows the tag horaires: its oldest unanswered are q6 then q3.
    """
    alice = make_user(username="alice-insights", display_name="Alice")
    bob = make_user(username="bob-insights", display_name="Bob")
    charlie = make_user(username="charlie-insights", display_name="Charlie")
    asker = make_user(username="dora-insights", display_name="Dora")
    bank_a = make_organisation(moderator=moderator, name="Banque A", domains=["banque-a.fr"])
    bank_b = make_organisation(moderator=moderator, name="Banque B", domains=["banque-b.fr"])
    hr_a = make_user(username="hr-a", display_name="Claire RH A")
    hr_b = make_user(username="hr-b", display_name="Hugo RH B")
    grant_badge(user=hr_a, organisation=bank_a, moderator=moderator)
    grant_badge(user=hr_b, organisation=bank_b, moderator=moderator)

    # Run what production runs after each commit (the fan-out makes the
    # verified members of an addressed organisation follow the question).
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        q1 = _ask(alice, ("bts", "teletravail"), diploma="bts", region="bretagne", addressed_to=[bank_a])
        a1 = make_answer(author=charlie, question=q1)
        a1_hr = make_answer(author=hr_a, question=q1)
        accept_answer(user=alice, answer=a1_hr)

        q2 = _ask(bob, ("bts",), region="ile-de-france", addressed_to=[bank_b])
        a2 = make_answer(author=charlie, question=q2)

        q3 = _ask(alice, ("horaires",), diploma="master", addressed_to=[bank_a])
        set_thread_following(user=bob, question=q3, following=True)
        set_thread_following(user=hr_b, question=q3, following=True)

        q4 = make_question(author=bob, tags=("teletravail",))
        a4_self = make_answer(author=bob, question=q4)
        a4_hr = make_answer(author=hr_a, question=q4)

        q5 = make_question(author=asker, tags=("bts",))
        a5 = make_answer(author=charlie, question=q5)
        q6 = make_question(author=asker, tags=("horaires",))
        q7 = make_question(author=asker, tags=("bts",))
        q8 = make_question(author=asker, tags=("teletravail",))

    # A moderator's decision, without the review queue's ceremony: q7 only
    # needs to be invisible to every figure.
    Question.objects.filter(pk=q7.pk).update(visibility=Visibility.HIDDEN)

    _at(q1, _utc(23, 9))
    _at(a1, _utc(23, 11))
    _at(a1_hr, _utc(23, 13))
    _at(q2, _utc(23, 22, 30))
    _at(a2, _utc(23, 23, 30))
    _at(q3, _utc(24, 23, 30))
    _at(q4, _utc(28, 23, 30))
    _at(a4_self, _utc(29, 0))
    _at(a4_hr, _utc(29, 9, 30))
    _at(q5, _utc(22, 12))
    _at(a5, _utc(22, 14))
    _at(q6, _utc(17, 10))
    _at(q7, _utc(25, 10))
    _at(q8, _utc(29, 22, 30))
    for question in (q1, q2, q3):
        QuestionAddressee.objects.filter(question=question).update(created_at=question.created_at)
    Question.objects.filter(pk=q1.pk).update(view_count=10)
    Question.objects.filter(pk=q2.pk).update(view_count=5)
    Question.objects.filter(pk=q5.pk).update(view_count=100)
    follow_tag(user=hr_a, slug="horaires")
    assert not Answer.objects.exclude(visibility=Visibility.PUBLISHED).exists()
    return InsightsWorld(alice, bob, charlie, hr_a, hr_b, bank_a, bank_b, q1, q2, q3, q4, q5, q6, q7, q8)


_numbers = itertools.count(1)


def _ask(author: User, tags, **fields) -> Question:
    n = next(_numbers)
    return ask_question(
        author=author,
        title=f"Question de veille numéro {n} sur l'alternance ?",
        body=f"Je me pose une question sur mon alternance (cas {n}), merci pour vos retours.",
        tags=list(tags),
        **fields,
    )
