"""Queries built once and run as SQL (forum.compiled_sql) give the rows the ORM
gives, for each call's own values: the composer's charter hints for members in
every state, and a page version's newest event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import charter, compiled_sql, page_versions, queries
from forum.models import Event, LiveQuestion, LiveSession, Notification, NotificationKind, Question, User
from forum.services import live_sessions
from forum.services.charter import dismiss_hints
from forum.services.moderation import hide_post
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_answer, make_question, make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock
from tests.support.requirements import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def on_postgres(db):
    require_postgres()


def test_the_hints_row_is_the_orms_for_members_in_every_state(student, other_student, moderator):
    hr = make_user(username="rh")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    make_question(author=student)
    hidden = make_answer(author=other_student, question=make_question(author=student))
    hide_post(moderator=moderator, post=hidden, clause="respect")
    dismissed = make_user(username="lu")
    dismiss_hints(member=dismissed)
    now = timezone.now()
    since = now - timedelta(days=charter.RECENT_HIDE_DAYS)

    for user in (student, other_student, moderator, hr, dismissed):
        expected = next(iter(charter._hints_row(user.pk, since, now)))
        assert charter._HINTS_ROW.first(user.pk, since, now) == expected
    assert charter._HINTS_ROW.first(-1, since, now) is None
    # The states differ, so the rows were not all alike by chance.
    assert charter.hints_for(student, context="answer").reason == "first_posts"
    assert charter.hints_for(other_student, context="answer").reason == "recent_hide"
    assert charter.hints_for(hr, context="answer").role == charter.ROLE_STAFF
    assert not charter.hints_for(moderator, context="answer")
    assert not charter.hints_for(dismissed, context="answer")


def test_a_thread_page_reader_row_is_the_orms_for_readers_in_every_state(question, answer, moderator):
    """The member's part in the thread, list traits, hints and unread count
    (`queries.thread_page_reader`): asker, answerer, moderator, a member with
    a badge, a newcomer with unread notifications, and a thread not published."""
    hr = make_user(username="rh")
    grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    newcomer = make_user(username="nouveau")
    for group in ("a", "b"):
        Notification.objects.create(
            recipient=newcomer, kind=NotificationKind.ANSWER_IN_FOLLOWED, group_key=group, question=question
        )
    held = make_question(author=hr)
    held.visibility = "pending"
    held.save(update_fields=["visibility"])
    since, now = charter.hint_window()

    rows = {}
    for user in (question.author, answer.author, moderator, hr, newcomer):
        for thread in (question, held):
            expected = next(iter(queries._thread_page_reader(user.pk, thread.pk, since, now)), None)
            assert queries._THREAD_PAGE_READER.first(user.pk, thread.pk, since, now) == expected
            rows[user.username, thread.pk] = expected
    # The states differ, so the rows were not all alike by chance.
    assert rows[question.author.username, question.pk]["asked"]
    assert rows[answer.author.username, question.pk]["answered"]
    assert rows[moderator.username, question.pk]["moderator"]
    assert rows[hr.username, question.pk]["staff"]
    assert rows["nouveau", held.pk] is None
    reader = queries.thread_page_reader(newcomer, question.pk)
    assert (reader.following, reader.hints.reason) == (False, "first_posts")
    assert queries.thread_page_reader(answer.author, question.pk) is None


def test_the_newest_event_of_some_topics_or_of_all(question, answer):
    newest = Event.objects.order_by("-id").first()
    topic = f"thread:{question.pk}"
    mine = Event.objects.filter(topic=topic).order_by("-id").first()

    assert page_versions.newest_event(page_versions.EVERY_TOPIC) == (newest.pk, newest.created_at)
    assert page_versions.newest_event([topic, "thread:0"]) == (mine.pk, mine.created_at)
    assert page_versions.newest_event(["thread:0"]) == (0, None)


def test_a_marker_that_does_not_reach_the_sql_is_refused():
    # Here the query never uses it: the calls' values would be silently ignored.
    query = compiled_sql.CompiledQuery(
        lambda pk: User.objects.filter(username="x").values("pk")[:1], (compiled_sql.marker_int(0),)
    )
    with pytest.raises(ValueError, match="did not reach the SQL"):
        query.first(1)


def test_a_token_read_as_an_instance_is_the_orms_with_its_member_and_annotation(student, moderator):
    from forum.models.tokens import DeviceToken
    from forum.services import tokens

    now = timezone.now()
    for member in (student, moderator):
        token, secret = tokens.issue_token(user=member, device_name="téléphone")
        key_hash = tokens._hash(secret)
        expected = tokens._active_token(key_hash, now).get()
        read = tokens._ACTIVE_TOKEN.instance(key_hash, now)
        for model, left, right in ((DeviceToken, read, expected), (User, read.user, expected.user)):
            fields = [field.attname for field in model._meta.concrete_fields]
            assert [getattr(left, name) for name in fields] == [getattr(right, name) for name in fields]
            assert not left._state.adding
        # The member's list traits come with the token (forum.auth_backends.with_member_read).
        assert read.list_trait_moderator is expected.list_trait_moderator is (member == moderator)
        assert read.list_trait_badge is expected.list_trait_badge is False
        assert tokens.authenticate_token(secret) == token
    assert tokens._ACTIVE_TOKEN.instance("0" * 64, now) is None


def test_instance_converts_what_the_orm_converts(student):
    """A JSON column comes from PostgreSQL's driver as text: the instance holds
    what the field holds, as the ORM's does."""
    question = make_question(author=student)
    Question.objects.filter(pk=question.pk).update(discreet_from=[3, 5])
    read = queries._VISIBLE_QUESTION.instance(question.pk)
    assert read.discreet_from == Question.objects.get(pk=question.pk).discreet_from == [3, 5]
    assert read.author == student
    assert read.author_is_moderator is False


def test_every_row_read_as_instances_is_the_orms(moderator):
    """A lone author's active badges (forum.presenters.verified_badges): each
    with its organisation, an expired one left out, as the ORM reads them."""
    from forum import presenters
    from forum.models import Badge

    hr = make_user(username="rh-double")
    bank = make_organisation(moderator=moderator)
    school = make_organisation(moderator=moderator, name="CFA Exemple", domains=("cfa-exemple.fr",))
    grant_badge(user=hr, organisation=bank, moderator=moderator)
    expired = grant_badge(user=hr, organisation=school, moderator=moderator, role="school")
    Badge.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    now = timezone.now()

    read = presenters._ACTIVE_BADGES.instances(hr.pk, now)
    expected = list(presenters._active_badges(hr.pk, now))
    assert [(b.pk, b.role, b.organisation.name, b.verified_at) for b in read] == [
        (b.pk, b.role, b.organisation.name, b.verified_at) for b in expected
    ]
    assert [b.organisation.slug for b in read] == [bank.slug]
    assert presenters._ACTIVE_BADGES.instances(-1, now) == []


def test_the_live_transcript_search_is_the_orms(student, other_student, moderator):
    """The search page's "in the live sessions" block: answered, published
    questions of ended sessions that match, newest session first, at most
    LIVE_SEARCH_LIMIT; not the unanswered, the hidden, nor a session still on."""
    hr = make_verified_hr(moderator=moderator)
    older, newer, live = (make_live_session(organiser=hr, title=f"Chat conseil {n}") for n in range(3))
    for session in (older, newer, live):
        set_clock(session, "live")
    asked = []
    askers = [student, other_student, *(make_user(username=f"eleve{n}") for n in range(3))]
    for n, (session, body, answered) in enumerate(
        [
            (older, "Quel salaire pour un contrat d'apprentissage en BTS ?", True),
            (older, "Combien de temps dure la période d'essai ?", True),
            (newer, "Le contrat de professionnalisation est-il mieux payé ?", True),
            (newer, "Faut-il signer le contrat avant la rentrée ?", False),
            (live, "Les contrats courts comptent-ils ?", True),
        ]
        + [(newer, f"Contrat numéro {n} : que faire ?", True) for n in range(5)]
    ):
        question = live_sessions.submit_question(author=askers[n % len(askers)], session=session, body=body)
        if answered:
            live_sessions.answer_question(host=hr, question=question, answer="Cela dépend de votre convention.")
        asked.append(question)
    live_sessions.hide_question(moderator=moderator, question=asked[-1])
    set_clock(older, "closed")
    set_clock(newer, "closed")
    LiveSession.objects.filter(pk=older.pk).update(starts_at=timezone.now() - timedelta(days=3))

    assert LiveQuestion.objects.filter(visibility="published").count() == len(asked) - 1
    for text in ("contrat", "salaire apprenti", "essai", "rien à voir"):
        expected = list(queries._live_transcript_matches(text, timezone.now())[: queries.LIVE_SEARCH_LIMIT])
        found = queries.search_live_transcripts(text)
        assert [q.pk for q in found] == [q.pk for q in expected]
        assert [(q.session.title, q.author.username, q.answered_by.username) for q in found] == [
            (q.session.title, q.author.username, q.answered_by.username) for q in expected
        ]
    found = queries.search_live_transcripts("contrat")
    # Newer session first, its answered and published questions only, then the older one's.
    assert len(found) == queries.LIVE_SEARCH_LIMIT
    assert {q.session_id for q in found} == {newer.pk}
    assert asked[-1].pk not in {q.pk for q in found}
    assert [q.pk for q in queries.search_live_transcripts("salaire")] == [asked[0].pk]


def test_a_page_of_search_results_is_read_as_the_orm_reads_it(student, other_student, moderator):
    """The shown questions of a search (forum.search.postgres): the ids as one
    array, each with its author and "has a verified answer" at the call's
    moment (an expired badge no longer counts), in any number."""
    from forum.models import Badge
    from forum.search import postgres

    hr = make_user(username="rh-recherche")
    badge = grant_badge(user=hr, organisation=make_organisation(moderator=moderator), moderator=moderator)
    verified, plain, expired = (make_question(author=student) for _ in range(3))
    make_answer(author=hr, question=verified)
    make_answer(author=other_student, question=plain)
    former = make_user(username="ex-rh")
    old = grant_badge(user=former, organisation=make_organisation(moderator=moderator, name="Ex", domains=("ex.fr",)),
                      moderator=moderator)  # fmt: skip
    make_answer(author=former, question=expired)
    Badge.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    now = timezone.now()

    for ids in ([verified.pk, plain.pk, expired.pk], [plain.pk], [], [-5, verified.pk]):
        read = sorted(postgres._SHOWN_QUESTIONS.instances(ids, now), key=lambda q: q.pk)
        expected = sorted(postgres._shown_questions(ids, now), key=lambda q: q.pk)
        assert [(q.pk, q.title, q.author.username, q.verified) for q in read] == [
            (q.pk, q.title, q.author.username, q.verified) for q in expected
        ]
    read = {q.pk: q.verified for q in postgres._SHOWN_QUESTIONS.instances([verified.pk, plain.pk, expired.pk], now)}
    assert read == {verified.pk: True, plain.pk: False, expired.pk: False}
    # After the badge expires: not verified then.
    later = postgres._SHOWN_QUESTIONS.instances([verified.pk], badge.expires_at + timedelta(days=1))
    assert later[0].verified is False


def test_tag_names_are_read_as_the_orm_reads_them(student):
    tagged = make_question(author=student, tags=("rythme", "bts"))
    other = make_question(author=student, tags=("licence",))
    make_question(author=student, tags=("master",))
    names = queries.tag_names_of([tagged, other])
    assert names == {tagged.pk: (("bts", "bts"), ("rythme", "rythme")), other.pk: (("licence", "licence"),)}
    assert queries.tag_names_of([]) == {}
