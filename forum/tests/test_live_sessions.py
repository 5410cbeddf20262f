"""Live sessions: who schedules and hosts, the question window, one vote per
member, moderation, conversion to threads, and the events watchers receive."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from forum import events
from forum.exceptions import (
    Conflict,
    DuplicatePost,
    InvalidInput,
    NotAllowed,
    NotFound,
    PersonalDataWarning,
    RateLimited,
)
from forum.models import (
    AuditLog,
    Event,
    LiveQuestion,
    LiveSession,
    LiveVote,
    Notification,
    NotificationKind,
    Visibility,
)
from forum.services import live_sessions
from tests.factories import make_user
from tests.live_factories import make_live_session, make_verified_hr, set_clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Refusals are read in English, the msgids (French is the default language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def hr(moderator):
    return make_verified_hr(moderator=moderator)


@pytest.fixture
def session(hr):
    return make_live_session(organiser=hr)


def ask(author, session, body="Comment relancer une entreprise qui ne répond pas à ma candidature ?"):
    return live_sessions.submit_question(author=author, session=session, body=body)


# --- Scheduling and hosting ----------------------------------------------------------------


def test_verified_hr_schedules_a_session_and_its_phase_follows_the_clock(hr, session):
    assert session.phase() == "upcoming"
    assert list(session.hosts.all()) == [hr]
    assert session.phase(session.starts_at) == "live"
    assert session.phase(session.ends_at) == "closed"


def test_a_moderator_schedules_for_a_verified_host(moderator, hr):
    session = make_live_session(organiser=moderator, hosts=[hr])
    assert list(session.hosts.all()) == [hr]


def test_a_student_cannot_schedule(student):
    with pytest.raises(NotAllowed):
        make_live_session(organiser=student)


def test_a_student_cannot_be_named_host(hr, student):
    with pytest.raises(InvalidInput) as refused:
        make_live_session(organiser=hr, hosts=[hr, student])
    assert "hosts" in refused.value.fields


def test_bad_times_are_field_errors(hr):
    now = timezone.now()
    with pytest.raises(InvalidInput) as refused:
        live_sessions.schedule_session(
            organiser=hr,
            title="Chat conseil du soir",
            description="",
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(days=1, minutes=-5),
            hosts=[hr],
        )
    assert set(refused.value.fields) == {"starts_at", "ends_at"}


def test_students_cannot_answer_as_host(session, student, other_student):
    question = ask(other_student, session)
    set_clock(session, "live")
    with pytest.raises(NotAllowed):
        live_sessions.start_answering(host=student, question=question)
    with pytest.raises(NotAllowed):
        live_sessions.answer_question(
            host=student, question=question, answer="Relancez par téléphone après une semaine."
        )


def test_a_verified_member_who_is_not_a_host_cannot_answer(session, student, moderator):
    other_hr = make_verified_hr(
        moderator=moderator, username="gaspard", organisation=session.hosts.get().badges.get().organisation
    )
    question = ask(student, session)
    set_clock(session, "live")
    with pytest.raises(NotAllowed):
        live_sessions.answer_question(
            host=other_hr, question=question, answer="Relancez par téléphone après une semaine."
        )


def test_a_host_whose_badge_was_revoked_can_no_longer_answer(session, hr, student, moderator):
    from forum.services import verification

    question = ask(student, session)
    set_clock(session, "live")
    verification.revoke_badge(moderator=moderator, badge=hr.badges.get(), reason="left the company")
    hr = type(hr).objects.get(pk=hr.pk)
    with pytest.raises(NotAllowed):
        live_sessions.answer_question(host=hr, question=question, answer="Relancez par téléphone après une semaine.")


def test_hosts_answer_only_while_the_session_is_live(session, hr, student):
    question = ask(student, session)
    with pytest.raises(NotAllowed, match="not started"):
        live_sessions.start_answering(host=hr, question=question)
    set_clock(session, "live")
    picked = live_sessions.start_answering(host=hr, question=question)
    assert picked.status == LiveQuestion.Status.ANSWERING
    answered = live_sessions.answer_question(
        host=hr, question=question, answer="Relancez par téléphone après une semaine."
    )
    assert answered.status == LiveQuestion.Status.ANSWERED
    assert answered.answered_by == hr
    assert "<p>Relancez" in answered.answer_html
    with pytest.raises(NotAllowed, match="already answered"):
        live_sessions.answer_question(
            host=hr, question=question, answer="Une seconde réponse, différente de la première."
        )
    set_clock(session, "closed")
    second = LiveQuestion.objects.create(session=session, author=student, body="x" * 30, body_html="<p>x</p>")
    second.session = session
    with pytest.raises(NotAllowed, match="over"):
        live_sessions.start_answering(host=hr, question=second)


def test_two_hosts_answer_in_parallel(hr, moderator, student, other_student):
    second_host = make_verified_hr(moderator=moderator, username="gaspard", organisation=hr.badges.get().organisation)
    session = make_live_session(organiser=hr, hosts=[hr, second_host])
    first, second = (
        ask(student, session),
        ask(other_student, session, body="Faut-il un CV différent pour chaque entreprise ?"),
    )
    set_clock(session, "live")
    live_sessions.start_answering(host=hr, question=first)
    live_sessions.start_answering(host=second_host, question=second)
    live_sessions.answer_question(
        host=second_host, question=second, answer="Adaptez au moins l'accroche à chaque offre."
    )
    live_sessions.answer_question(host=hr, question=first, answer="Relancez par téléphone après une semaine.")
    assert set(LiveQuestion.objects.values_list("answered_by", flat=True)) == {hr.pk, second_host.pk}


# --- The question window --------------------------------------------------------------------


def test_questions_are_taken_before_and_during_the_session(session, student, other_student):
    assert ask(student, session).visibility == Visibility.PUBLISHED
    set_clock(session, "live")
    assert ask(other_student, session).visibility == Visibility.PUBLISHED


def test_late_questions_are_refused_with_a_clear_message(session, student):
    set_clock(session, "closed")
    with pytest.raises(NotAllowed, match="ended on"):
        ask(student, session)
    assert not LiveQuestion.objects.exists()


def test_questions_get_the_rules_of_posts(session, student):
    with pytest.raises(InvalidInput) as short:
        ask(student, session, body="Trop court")
    assert "body" in short.value.fields
    with pytest.raises(PersonalDataWarning):
        ask(student, session, body="Appelez-moi au 06 12 34 56 78 pour en parler, merci beaucoup !")
    ask(student, session)
    with pytest.raises(DuplicatePost):
        ask(student, session)


def test_a_member_submits_a_limited_number_of_questions_per_session(session, student, settings):
    settings.FORUM = settings.FORUM | {"LIVE_QUESTIONS_PER_SESSION": 2}
    ask(student, session, body="Première question assez longue pour passer ?")
    ask(student, session, body="Deuxième question assez longue pour passer ?")
    with pytest.raises(RateLimited):
        ask(student, session, body="Troisième question assez longue pour passer ?")


def test_a_new_members_question_waits_for_a_moderator(session, moderator):
    newcomer = make_user(username="nouveau", date_joined=timezone.now())
    question = ask(newcomer, session)
    assert question.visibility == Visibility.PENDING
    event = Event.objects.filter(name=events.LIVE_QUESTION_CREATED).latest("id")
    assert (event.audience, event.recipient_id) == ("restricted", newcomer.pk)
    live_sessions.approve_question(moderator=moderator, question=question)
    question.refresh_from_db()
    assert question.visibility == Visibility.PUBLISHED
    assert Event.objects.filter(name=events.LIVE_QUESTION_CREATED).latest("id").audience == "public"


# --- Votes ----------------------------------------------------------------------------------------


def test_one_vote_per_member(session, student, other_student, third_student):
    question = ask(student, session)
    live_sessions.cast_vote(user=other_student, question=question)
    live_sessions.cast_vote(user=other_student, question=question)
    live_sessions.cast_vote(user=third_student, question=question)
    question.refresh_from_db()
    assert question.vote_count == 2
    assert LiveVote.objects.filter(question=question).count() == 2
    _question, voting = live_sessions.toggle_vote(user=other_student, question=question)
    assert not voting
    question.refresh_from_db()
    assert question.vote_count == 1


def test_no_vote_for_ones_own_question_nor_after_the_end(session, student, other_student):
    question = ask(student, session)
    with pytest.raises(NotAllowed):
        live_sessions.cast_vote(user=student, question=question)
    set_clock(session, "closed")
    question.session.refresh_from_db()
    with pytest.raises(NotAllowed):
        live_sessions.cast_vote(user=other_student, question=question)


def test_a_vote_storm_is_coalesced_into_few_events_and_the_counts_stay_exact(session, student, other_student):
    first = ask(student, session)
    second = ask(other_student, session, body="Faut-il un CV différent pour chaque entreprise ?")
    voters = [make_user(username=f"voter{n}") for n in range(12)]
    before = Event.objects.filter(name=events.LIVE_VOTES).count()
    started = time.monotonic()
    for voter in voters:
        live_sessions.cast_vote(user=voter, question=first)
        live_sessions.cast_vote(user=voter, question=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.vote_count, second.vote_count) == (12, 12)
    published = Event.objects.filter(name=events.LIVE_VOTES).count() - before
    # At most one event per VOTE_EVENT_INTERVAL for the whole session (the first vote's at
    # once); what the others changed waits for the trailing flush.
    intervals = (time.monotonic() - started) / live_sessions.VOTE_EVENT_INTERVAL.total_seconds()
    assert 1 <= published <= 1 + intervals
    assert published < 24
    assert live_sessions.flush_votes(session.pk)
    last = Event.objects.filter(name=events.LIVE_VOTES).latest("id")
    assert last.payload == {
        "session_id": session.pk,
        "questions": [{"id": first.pk, "vote_count": 12}, {"id": second.pk, "vote_count": 12}],
    }
    assert not live_sessions.flush_votes(session.pk)


def test_vote_counts_go_out_at_most_once_a_second(session, student, other_student, third_student):
    """Each `live.votes` is a frame for every viewer: a vote 700 ms after the
    last broadcast waits for the trailing flush, one 1.1 s after goes out at
    once (docs/websocket.md, `live.votes`)."""
    question = ask(student, session)
    before = Event.objects.filter(name=events.LIVE_VOTES).count()

    def last_broadcast(ago_ms: int) -> None:
        LiveSession.objects.filter(pk=session.pk).update(
            votes_published_at=timezone.now() - timedelta(milliseconds=ago_ms)
        )

    last_broadcast(700)
    live_sessions.cast_vote(user=other_student, question=question)
    assert Event.objects.filter(name=events.LIVE_VOTES).count() == before
    last_broadcast(1100)
    live_sessions.cast_vote(user=third_student, question=question)
    assert Event.objects.filter(name=events.LIVE_VOTES).count() == before + 1
    # Both votes, the one that waited included.
    assert Event.objects.filter(name=events.LIVE_VOTES).latest("id").payload["questions"] == [
        {"id": question.pk, "vote_count": 2}
    ]


def test_the_queue_is_ordered_by_votes(session, student, other_student, third_student):
    from django.contrib.auth.models import AnonymousUser

    from forum import queries

    first = ask(student, session, body="Première question assez longue pour passer ?")
    second = ask(other_student, session, body="Deuxième question assez longue pour passer ?")
    live_sessions.cast_vote(user=third_student, question=second)
    assert list(queries.live_questions(AnonymousUser(), session)) == [second, first]
    assert list(queries.live_questions(AnonymousUser(), session, order="time")) == [first, second]


# --- Catch-up ---------------------------------------------------------------------------------------


def test_catching_up_on_a_busy_session_costs_the_same_queries_however_many_events(session, hr, moderator):
    """A viewer who comes back replays what it missed, re-presented as it is
    now: the people shown (askers, hosts, with their badges) come with the
    batch, not one query per event."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import queries, replay
    from forum.presenters import live_question_data

    set_clock(session, "live")
    topic = events.live_topic(session.pk)
    voter = make_user(username="votante")
    authors = iter([moderator, *(make_user(username=f"asker{n}") for n in range(7))])

    def busy_minute(questions: int) -> int:
        since = queries.topic_cursor(topic)
        for n in range(questions):
            question = ask(next(authors), session, body=f"Question {n} : comment préparer un entretien d'alternance ?")
            live_sessions.cast_vote(user=voter, question=question)
            live_sessions.flush_votes(session.pk)
            live_sessions.answer_question(host=hr, question=question, answer=f"Réponse {n} : renseignez-vous.")
        return since

    def catch_up(since: int):
        with CaptureQueriesContext(connection) as captured:
            result = replay.catch_up(topic=topic, since=since, user=AnonymousUser(), is_moderator=False, limit=500)
        return result, len(captured)

    few, few_queries = catch_up(busy_minute(2))
    many, many_queries = catch_up(busy_minute(6))
    assert len(many.events) == 3 * len(few.events) == 18
    # The log's newest and horizon, the rows, the session, the questions with
    # their people, the people's badges.
    assert many_queries == few_queries == 6
    # What the batch presents is what a lone question presents, badges included.
    answered = [(name, data) for _cursor, name, data in many.events if name == events.LIVE_QUESTION_ANSWERED]
    for _name, data in answered:
        assert data == live_question_data(LiveQuestion.objects.get(pk=data["id"]))
    assert answered[0][1]["answered_by"]["badges"]
    moderators_question = next(data for _c, name, data in few.events if name == events.LIVE_QUESTION_CREATED)
    assert moderators_question["author"]["badges"][0]["role"] == "moderator"


def test_a_catch_up_counts_the_questions_only_votes_name_without_loading_them(
    session, student, other_student, third_student, moderator
):
    """A vote storm names most of a session's questions: a viewer who comes
    back gets their counts as they are now (one light query), not each
    question with its people; a question hidden since keeps its count secret."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import queries, replay

    set_clock(session, "live")
    topic = events.live_topic(session.pk)
    older = ask(student, session)
    hidden = ask(other_student, session, body="Une deuxième question sur le rythme école-entreprise ?")
    since = queries.topic_cursor(topic)
    for question in (older, hidden):
        live_sessions.cast_vote(user=third_student, question=question)
    live_sessions.flush_votes(session.pk)
    live_sessions.hide_question(moderator=moderator, question=hidden)
    newer = ask(third_student, session, body="Peut-on changer d'entreprise en cours de contrat ?")
    live_sessions.cast_vote(user=student, question=newer)
    live_sessions.flush_votes(session.pk)

    with CaptureQueriesContext(connection) as captured:
        result = replay.catch_up(topic=topic, since=since, user=AnonymousUser(), is_moderator=False, limit=500)
    counts = {
        item["id"]: item["vote_count"]
        for _cursor, name, data in result.events
        if name == events.LIVE_VOTES
        for item in data["questions"]
    }
    assert counts == {older.pk: 1, newer.pk: 1}
    shown = [data["id"] for _cursor, name, data in result.events if name == events.LIVE_QUESTION_CREATED]
    assert shown == [newer.pk]
    # Only the question an event shows is loaded with its people (the one
    # select_related query); the others are counted in a query of their own.
    loaded = [q["sql"] for q in captured if 'FROM "forum_livequestion"' in q["sql"]]
    assert len(loaded) == 2
    assert sum('"forum_user"' in sql for sql in loaded) == 1
    assert len(captured) == 7


# --- Moderation ----------------------------------------------------------------------------------


def test_moderators_hide_and_merge_questions(session, student, other_student, third_student, moderator, hr):
    original = ask(student, session)
    copy = ask(other_student, session, body="Que faire quand une entreprise ne répond pas à ma candidature ?")
    live_sessions.cast_vote(user=third_student, question=copy)
    with pytest.raises(NotAllowed):
        live_sessions.hide_question(moderator=hr, question=copy)
    target = live_sessions.merge_questions(moderator=moderator, question=copy, into=original)
    assert target.vote_count == 1
    copy.refresh_from_db()
    assert copy.status == LiveQuestion.Status.MERGED
    assert Event.objects.filter(name=events.LIVE_QUESTION_REMOVED).latest("id").payload["merged_into"] == original.pk
    live_sessions.hide_question(moderator=moderator, question=original, note="hors sujet")
    original.refresh_from_db()
    assert original.visibility == Visibility.HIDDEN


# --- After the session ------------------------------------------------------------------------------


def test_an_answered_pair_becomes_a_thread_linked_both_ways(session, hr, student, other_student):
    question = ask(student, session)
    set_clock(session, "live")
    live_sessions.answer_question(host=hr, question=question, answer="Relancez par téléphone après une semaine.")
    with pytest.raises(NotAllowed):
        live_sessions.convert_to_thread(user=other_student, question=question)
    thread = live_sessions.convert_to_thread(user=hr, question=question)
    question.refresh_from_db()
    assert question.thread == thread
    assert thread.author == student
    assert session.get_transcript_url() in thread.body_html
    assert thread.answer_count == 1
    assert thread.answers.get().author == hr
    with pytest.raises(Conflict):
        live_sessions.convert_to_thread(user=hr, question=question)


def test_the_asker_converts_an_unanswered_question_once_the_session_is_over(session, student):
    question = ask(student, session)
    with pytest.raises(NotAllowed):
        live_sessions.convert_to_thread(user=student, question=question)
    set_clock(session, "closed")
    question.session.refresh_from_db()
    thread = live_sessions.convert_to_thread(user=student, question=question)
    assert thread.answer_count == 0
    assert thread.title.endswith("?")


def test_hidden_questions_cannot_be_converted(session, student, moderator):
    question = ask(student, session)
    live_sessions.hide_question(moderator=moderator, question=question)
    question.refresh_from_db()
    with pytest.raises(NotFound):
        live_sessions.convert_to_thread(user=moderator, question=question)


# --- Start and end -----------------------------------------------------------------------------------


def test_followers_are_notified_once_when_the_session_starts(session, student, django_capture_on_commit_callbacks):
    live_sessions.follow_session(user=student, session=session)
    live_sessions.announce_phase(session)
    assert not Event.objects.filter(name=events.LIVE_SESSION_UPDATED, payload__phase="live").exists()
    set_clock(session, "live")
    with django_capture_on_commit_callbacks(execute=True):
        assert live_sessions.announce_due_sessions() == 1
    from forum.notifications import fanout

    fanout.fan_out_live_starting(session.pk)
    notification = Notification.objects.get(recipient=student)
    assert notification.kind == NotificationKind.LIVE_STARTING
    assert live_sessions.announce_due_sessions() == 0
    set_clock(session, "closed")
    live_sessions.announce_phase(session)
    assert Event.objects.filter(name=events.LIVE_SESSION_UPDATED, payload__phase="closed").count() == 1
    live_sessions.announce_phase(session)
    assert Event.objects.filter(name=events.LIVE_SESSION_UPDATED, payload__phase="closed").count() == 1


# --- Changing and cancelling --------------------------------------------------------------


def test_the_organiser_moves_an_upcoming_session_and_followers_are_told(session, hr, student):
    from forum.notifications import fanout

    live_sessions.follow_session(user=student, session=session)
    new_start = session.starts_at + timedelta(days=1)
    live_sessions.update_session(
        user=hr,
        session=session,
        title="Chat conseil : le CV d'alternant",
        starts_at=new_start,
        ends_at=new_start + timedelta(minutes=90),
    )
    session.refresh_from_db()
    assert (session.title, session.starts_at, session.ends_at - session.starts_at) == (
        "Chat conseil : le CV d'alternant",
        new_start,
        timedelta(minutes=90),
    )
    assert Event.objects.filter(name=events.LIVE_SESSION_UPDATED).count() == 2  # scheduled, then changed
    fanout.fan_out_live_changed(session.pk)
    notification = Notification.objects.get(recipient=student, kind=NotificationKind.LIVE_CHANGED)
    assert notification.data["change"] == "rescheduled"
    assert AuditLog.objects.filter(action="live.edit", target_id=session.pk).exists()


def test_a_change_that_keeps_the_start_tells_nobody(session, hr, student, django_capture_on_commit_callbacks):
    live_sessions.follow_session(user=student, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        live_sessions.update_session(user=hr, session=session, description="Venez avec votre CV.")
    assert not Notification.objects.filter(kind=NotificationKind.LIVE_CHANGED).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the fan-out runs on commit (immediate tasks)
        later = timedelta(hours=2)
        live_sessions.update_session(
            user=hr, session=session, starts_at=session.starts_at + later, ends_at=session.ends_at + later
        )
    assert Notification.objects.filter(kind=NotificationKind.LIVE_CHANGED, recipient=student).exists()


def test_who_may_change_a_session(session, hr, student, moderator):
    from tests.badge_factories import make_organisation

    school = make_organisation(moderator=moderator, name="École Exemple", domains=["ecole-exemple.fr"])
    other_hr = make_verified_hr(moderator=moderator, username="gaspard", organisation=school)
    for outsider in (student, other_hr):
        with pytest.raises(NotAllowed):
            live_sessions.update_session(user=outsider, session=session, title="Un autre titre de session")
        with pytest.raises(NotAllowed):
            live_sessions.cancel_session(user=outsider, session=session)
    live_sessions.update_session(user=moderator, session=session, title="Titre revu par la modération")
    session.refresh_from_db()
    assert session.title == "Titre revu par la modération"


def test_once_live_the_start_stays_and_the_end_moves_only_forward(session, hr):
    set_clock(session, "live")
    with pytest.raises(InvalidInput) as refused:
        live_sessions.update_session(user=hr, session=session, starts_at=session.starts_at + timedelta(minutes=30))
    assert "starts_at" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        live_sessions.update_session(user=hr, session=session, ends_at=timezone.now() - timedelta(minutes=1))
    assert "ends_at" in refused.value.fields
    later = session.ends_at + timedelta(minutes=30)
    live_sessions.update_session(user=hr, session=session, ends_at=later)
    session.refresh_from_db()
    assert session.ends_at == later
    with pytest.raises(Conflict):
        live_sessions.cancel_session(user=hr, session=session)


def test_a_closed_session_cannot_be_changed(session, hr):
    set_clock(session, "closed")
    with pytest.raises(NotAllowed):
        live_sessions.update_session(user=hr, session=session, title="Un titre après coup, trop tard")


def test_a_cancelled_session_refuses_questions_and_votes_and_tells_those_waiting(
    session, hr, student, other_student, third_student
):
    from forum.notifications import fanout

    question = ask(student, session)
    live_sessions.follow_session(user=third_student, session=session)
    live_sessions.cancel_session(user=hr, session=session, note="L'intervenante est malade : reportée en janvier.")
    session.refresh_from_db()
    assert session.phase() == "cancelled"
    assert session.phase(session.starts_at) == "cancelled"  # whatever the clock says
    assert session.cancel_note.startswith("L'intervenante")
    with pytest.raises(NotAllowed) as refused:
        ask(other_student, session)
    assert "cancelled" in refused.value.message
    with pytest.raises(NotAllowed):
        live_sessions.cast_vote(user=other_student, question=question)
    with pytest.raises(NotAllowed):
        live_sessions.update_session(user=hr, session=session, title="Finalement on la garde ?")
    with pytest.raises(NotAllowed):
        live_sessions.cancel_session(user=hr, session=session)
    fanout.fan_out_live_changed(session.pk)
    told = set(Notification.objects.filter(kind=NotificationKind.LIVE_CHANGED).values_list("recipient_id", flat=True))
    assert told == {student.pk, third_student.pk}
    assert Notification.objects.filter(data__change="cancelled").count() == 2
    # The asker may still take their question to the forum.
    thread = live_sessions.convert_to_thread(user=student, question=question)
    assert thread.pk
    # Nothing announces a start that will not happen.
    set_clock(session, "live")
    assert live_sessions.announce_due_sessions() == 0


def test_a_cancellation_note_is_bounded(session, hr):
    with pytest.raises(InvalidInput) as refused:
        live_sessions.cancel_session(user=hr, session=session, note="x" * 501)
    assert "note" in refused.value.fields


def test_the_demo_has_a_past_session_with_a_transcript_and_an_upcoming_one():
    from forum.demo import steps
    from forum.demo.live_sessions import PAST_TITLE, UPCOMING_TITLE
    from forum.models import LiveSession

    steps.run(password="demo-password-123")
    past, upcoming = LiveSession.objects.get(title=PAST_TITLE), LiveSession.objects.get(title=UPCOMING_TITLE)
    assert past.phase() == "closed"
    assert past.questions.filter(status=LiveQuestion.Status.ANSWERED).count() == 5
    assert past.questions.exclude(status=LiveQuestion.Status.ANSWERED).count() == 1
    assert upcoming.phase() == "upcoming"
    assert upcoming.questions.order_by("-vote_count").first().vote_count == 5
    assert steps.run(password="demo-password-123").created["live sessions"] == 0
