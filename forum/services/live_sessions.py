"""Live Q&A sessions ("chats conseil"): schedule, follow, submit and vote for
questions, pick and answer them, moderate them, turn them into threads.

The session's times decide what is allowed (`LiveSession.phase`, checked by
forum.permissions on every call): nothing has to run for a session to close.
Its `live.session.updated` event at start and end is published lazily by
`announce_phase`, which pages, the API and the notifications worker call.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from forum import events, permissions
from forum.exceptions import Conflict, InvalidInput, NotAllowed
from forum.markdown import render_markdown
from forum.models import (
    Answer,
    LiveQuestion,
    LiveSession,
    LiveSessionFollow,
    LiveVote,
    Organisation,
    Phase,
    Question,
    TagQuestionCount,
    User,
    Visibility,
)
from forum.notifications import dispatch as notify
from forum.queries import canonical_tags
from forum.search import index_thread
from forum.services import audit
from forum.services.screening import screen_live_question
from forum.validation import clean_body, clean_tags, clean_title, raise_if, strip_controls

logger = logging.getLogger(__name__)

# A session lasts between these; longer is a mistake (a day instead of an hour).
MIN_DURATION = timedelta(minutes=10)
MAX_DURATION = timedelta(hours=8)
MAX_HOSTS = 5
DESCRIPTION_MAX = 5_000
CANCEL_NOTE_MAX = 500
# Vote coalescing: at most one `live.votes` per session per interval (all the
# counts that changed), plus one trailing event for the votes of the last
# interval. A storm of 50 votes/s thus costs ~1 broadcast/s, not 50: each is
# a frame for every viewer (5,000 in a busy session), and counts that move
# once a second still look live. 250 ms (~4/s) was measured first: vote
# frames were then nearly half of all the frames of a busy session; at
# 500 ms, still 30 %, and the load check's p99 met its 250 ms in 2 runs of
# 6, against 6 of 6 at 1 s (docs/benchmarks.md, "Live sessions").
VOTE_EVENT_INTERVAL = timedelta(milliseconds=1000)


# --- Scheduling ----------------------------------------------------------------------


def _clean_times(starts_at, ends_at, errors: dict, *, now: datetime) -> None:
    if not isinstance(starts_at, datetime):
        errors.setdefault("starts_at", []).append(_("A start date and time is required."))
    if not isinstance(ends_at, datetime):
        errors.setdefault("ends_at", []).append(_("An end date and time is required."))
    if errors:
        return
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        errors.setdefault("starts_at", []).append(_("Dates need a time zone."))
        return
    if starts_at < now - timedelta(minutes=5):
        errors.setdefault("starts_at", []).append(_("The start must be in the future."))
    _clean_duration(starts_at, ends_at, errors)


def _clean_description(description, errors: dict) -> str:
    description = strip_controls(description or "").strip() if isinstance(description, str) else ""
    if len(description) > DESCRIPTION_MAX:
        errors.setdefault("description", []).append(
            _("The text is too long: at most %(max)d characters (yours has %(length)d).")
            % {"max": DESCRIPTION_MAX, "length": len(description)}
        )
    return description


def _clean_duration(starts_at: datetime, ends_at: datetime, errors: dict) -> None:
    duration = ends_at - starts_at
    if duration < MIN_DURATION:
        errors.setdefault("ends_at", []).append(_("A session lasts at least 10 minutes."))
    elif duration > MAX_DURATION:
        errors.setdefault("ends_at", []).append(_("A session lasts at most 8 hours."))


def _clean_hosts(hosts, errors: dict) -> list[User]:
    hosts = list(dict.fromkeys(hosts or []))
    if not hosts:
        errors.setdefault("hosts", []).append(_("A session needs at least one host."))
    elif len(hosts) > MAX_HOSTS:
        errors.setdefault("hosts", []).append(_("At most %(max)d hosts.") % {"max": MAX_HOSTS})
    for host in hosts:
        try:
            permissions.check_can_be_host(host)
        except NotAllowed as refusal:
            errors.setdefault("hosts", []).append(refusal.message)
    return hosts


def schedule_session(
    *,
    organiser: User,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    hosts: list[User],
    tags: list[str] | str = (),
    organisation: Organisation | None = None,
) -> LiveSession:
    """`hosts`: verified HR or school staff, or moderators (the organiser is
    not added implicitly: a moderator may schedule for someone else)."""
    permissions.check_can_schedule_live(organiser)
    errors: dict[str, list[str]] = {}
    title = clean_title(title, errors)
    description = _clean_description(description, errors)
    _clean_times(starts_at, ends_at, errors, now=timezone.now())
    hosts = _clean_hosts(hosts, errors)
    tag_names = canonical_tags(clean_tags(tags, errors)) if tags else []
    raise_if(errors)

    with transaction.atomic():
        session = LiveSession.objects.create(
            title=title,
            description=description,
            description_html=render_markdown(description) if description else "",
            starts_at=starts_at,
            ends_at=ends_at,
            organisation=organisation,
            created_by=organiser,
        )
        session.hosts.set(hosts)
        if tag_names:
            session.tags.set(tag_names)
        audit.record(actor=organiser, action="live.schedule", target=session, after={"hosts": [h.pk for h in hosts]})
        events.live_session_updated(session)
    return session


def update_session(
    *,
    user: User,
    session: LiveSession,
    title: str | None = None,
    description: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    hosts: list[User] | None = None,
    tags: list[str] | str | None = None,
) -> LiveSession:
    """Change what is given (None keeps a value). Before the start anything may
    change; once live, the start stays and the end may move, but not into the
    past (the session would close with questions half answered). Followers
    hear of a new start time; everyone on the page sees the change live."""
    permissions.check_can_edit_live_session(user, session)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    new_title = clean_title(title, errors) if title is not None else session.title
    new_description = _clean_description(description, errors) if description is not None else session.description
    new_starts = starts_at if starts_at is not None else session.starts_at
    new_ends = ends_at if ends_at is not None else session.ends_at
    if session.phase(now) == Phase.LIVE:
        if new_starts != session.starts_at:
            errors.setdefault("starts_at", []).append(_("The session has started: its start can no longer change."))
        elif new_ends <= now:
            errors.setdefault("ends_at", []).append(_("The end must be later than now."))
        else:
            _clean_duration(new_starts, new_ends, errors)
    elif (new_starts, new_ends) != (session.starts_at, session.ends_at):
        _clean_times(new_starts, new_ends, errors, now=now)
    new_hosts = _clean_hosts(hosts, errors) if hosts is not None else None
    tag_names = (canonical_tags(clean_tags(tags, errors)) if tags else []) if tags is not None else None
    raise_if(errors)

    with transaction.atomic():
        before = {"title": session.title, "starts_at": session.starts_at, "ends_at": session.ends_at}
        rescheduled = new_starts != session.starts_at
        session.title = new_title
        if new_description != session.description:
            session.description = new_description
            session.description_html = render_markdown(new_description) if new_description else ""
        session.starts_at, session.ends_at = new_starts, new_ends
        session.save(update_fields=["title", "description", "description_html", "starts_at", "ends_at"])
        after = {"title": session.title, "starts_at": session.starts_at, "ends_at": session.ends_at}
        if new_hosts is not None:
            session.hosts.set(new_hosts)
            session._host_ids = {host.pk for host in new_hosts}
            after["hosts"] = [host.pk for host in new_hosts]
        if tag_names is not None:
            session.tags.set(tag_names)
        audit.record(actor=user, action="live.edit", target=session, before=before, after=after)
        events.live_session_updated(session)
        if rescheduled:
            notify.live_session_changed(session)
    return session


def cancel_session(*, user: User, session: LiveSession, note: str = "") -> LiveSession:
    """Call a session off before it starts. Its page stays, marked cancelled
    with the reason; questions and votes are refused from now on; its
    followers and the members who sent a question are told. Once live, a
    session ends at its time (or earlier, by moving its end)."""
    permissions.check_can_edit_live_session(user, session)
    if session.phase() != Phase.UPCOMING:
        raise Conflict(_("The session has started: it can no longer be cancelled, but its end can be moved."))
    errors: dict[str, list[str]] = {}
    note = strip_controls(note or "").strip() if isinstance(note, str) else ""
    if len(note) > CANCEL_NOTE_MAX:
        errors.setdefault("note", []).append(
            _("The text is too long: at most %(max)d characters (yours has %(length)d).")
            % {"max": CANCEL_NOTE_MAX, "length": len(note)}
        )
    raise_if(errors)
    with transaction.atomic():
        # The conditional update makes one of two racing cancellations the one.
        now = timezone.now()
        if not LiveSession.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
            cancelled_at=now, cancel_note=note
        ):
            raise Conflict(_("This session was cancelled already."))
        session.cancelled_at, session.cancel_note = now, note
        audit.record(actor=user, action="live.cancel", target=session, reason=note)
        events.live_session_updated(session)
        notify.live_session_changed(session)
    return session


def follow_session(*, user: User, session: LiveSession) -> None:
    """Followers are notified when the session starts."""
    permissions.check_can_participate(user)
    LiveSessionFollow.objects.get_or_create(session=session, user=user)


def unfollow_session(*, user: User, session: LiveSession) -> None:
    LiveSessionFollow.objects.filter(session=session, user=user).delete()


def announce_phase(session: LiveSession, *, now: datetime | None = None) -> None:
    """Publish `live.session.updated` once when the session starts and once
    when it ends, and tell followers it started. Idempotent and cheap when
    there is nothing to do (no query): pages and the worker call it freely.
    Correctness never depends on it (the phase is computed from times)."""
    now = now or timezone.now()
    phase = session.phase(now)
    if phase in (Phase.UPCOMING, Phase.CANCELLED):
        return
    if session.start_announced_at is None:
        with transaction.atomic():
            # The conditional update makes one caller the announcer, however many race.
            if LiveSession.objects.filter(pk=session.pk, start_announced_at__isnull=True).update(
                start_announced_at=now
            ):
                session.start_announced_at = now
                if phase == Phase.LIVE:
                    events.live_session_updated(session)
                    notify.live_session_started(session)
    if phase == Phase.CLOSED and session.close_announced_at is None:
        with transaction.atomic():
            if LiveSession.objects.filter(pk=session.pk, close_announced_at__isnull=True).update(
                close_announced_at=now
            ):
                session.close_announced_at = now
                events.live_session_updated(session)


@task
def announce_live_sessions() -> int:
    """Enqueued every minute by `manage.py notifications_worker`."""
    return announce_due_sessions()


def announce_due_sessions(*, now: datetime | None = None) -> int:
    """The worker's sweep: every session that started or ended unannounced."""
    now = now or timezone.now()
    due = LiveSession.objects.filter(starts_at__lte=now, cancelled_at__isnull=True).filter(
        start_announced_at__isnull=True
    ) | LiveSession.objects.filter(ends_at__lte=now, close_announced_at__isnull=True, cancelled_at__isnull=True)
    count = 0
    for session in due.distinct():
        announce_phase(session, now=now)
        count += 1
    return count


# --- Questions -------------------------------------------------------------------------


def submit_question(
    *, author: User, session: LiveSession, body: str, confirm_personal_data: bool = False
) -> LiveQuestion:
    """Until the session ends; a new member's question may wait for a moderator
    (the rules of every post: forum.services.screening)."""
    permissions.check_can_submit_live_question(author, session)
    errors: dict[str, list[str]] = {}
    body = clean_body(body, errors)
    raise_if(errors)
    with transaction.atomic():
        screening = screen_live_question(
            author=author, session_id=session.pk, body=body, confirm_personal_data=confirm_personal_data
        )
        # Checked again inside the transaction: the end may have passed while screening.
        permissions.check_can_submit_live_question(author, session)
        question = LiveQuestion.objects.create(
            session=session,
            author=author,
            body=body,
            body_html=render_markdown(body),
            visibility=screening.visibility,
            moderation_reason=screening.reason,
        )
        events.live_question_changed(question, events.LIVE_QUESTION_CREATED)
    return question


def _locked(question: LiveQuestion) -> LiveQuestion:
    locked = LiveQuestion.objects.select_for_update().get(pk=question.pk)
    locked.session = question.session
    return locked


def cast_vote(*, user: User, question: LiveQuestion) -> LiveQuestion:
    """One vote per member and question (the unique constraint decides under
    concurrent clicks); voting twice keeps one vote."""
    permissions.check_can_vote_live(user, question)
    try:
        with transaction.atomic():
            LiveVote.objects.create(user=user, question=question)
            _shift_votes(question, +1)
    except IntegrityError:
        question.refresh_from_db(fields=["vote_count"])
    return question


def retract_vote(*, user: User, question: LiveQuestion) -> LiveQuestion:
    permissions.check_can_vote_live(user, question)
    with transaction.atomic():
        deleted, _count = LiveVote.objects.filter(user=user, question=question).delete()
        if deleted:
            _shift_votes(question, -1)
        else:
            question.refresh_from_db(fields=["vote_count"])
    return question


def toggle_vote(*, user: User, question: LiveQuestion) -> tuple[LiveQuestion, bool]:
    """For the web button: the question and whether the member now votes for it."""
    permissions.check_can_vote_live(user, question)
    if LiveVote.objects.filter(user=user, question=question).exists():
        return retract_vote(user=user, question=question), False
    return cast_vote(user=user, question=question), True


def _shift_votes(question: LiveQuestion, delta: int) -> None:
    """The count changes at once in the database; the broadcast is coalesced
    per session.

    The question is marked as having unpublished votes. Then one conditional
    UPDATE of the session row elects, per interval, the one transaction that
    publishes `live.votes` with every marked question of the session (their
    counts as they are then); the others leave a trailing flush to publish
    what they changed once the interval is over. So 50 votes/s spread over 40
    questions are at most ~1 broadcast/s, not 50. The flush is a hint like
    every event: if the process dies first, the count in the database is
    still exact, and the next vote or any reload shows it."""
    now = timezone.now()
    LiveQuestion.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + delta, votes_unpublished=True)
    question.refresh_from_db(fields=["vote_count"])
    # Row lock on the session until commit: concurrent voters wait here, then
    # see the new stamp and do not publish again within the interval.
    elected = (
        LiveSession.objects.filter(pk=question.session_id)
        .filter(Q(votes_published_at__isnull=True) | Q(votes_published_at__lte=now - VOTE_EVENT_INTERVAL))
        .update(votes_published_at=now)
    )
    if elected:
        _publish_marked_votes(question.session_id)
    else:
        transaction.on_commit(lambda: _schedule_vote_flush(question.session_id, VOTE_EVENT_INTERVAL.total_seconds()))


def _publish_marked_votes(session_id: int) -> bool:
    # SKIP LOCKED: a question another voter is changing right now is left to
    # that voter (who then leaves a trailing flush). Waiting for it could
    # deadlock: that voter waits for the session row this transaction holds.
    marked = dict(
        LiveQuestion.objects.select_for_update(skip_locked=True)
        .filter(session_id=session_id, votes_unpublished=True)
        .order_by("pk")
        .values_list("pk", "vote_count")
    )
    if not marked:
        return False
    LiveQuestion.objects.filter(pk__in=list(marked)).update(votes_unpublished=False)
    events.live_votes(session_id, marked)
    return True


_pending_flushes: set[int] = set()
_pending_lock = threading.Lock()


def _schedule_vote_flush(session_id: int, delay: float) -> None:
    """One timer per session and process: a storm schedules one flush per
    interval, not one per vote."""
    with _pending_lock:
        if session_id in _pending_flushes:
            return
        _pending_flushes.add(session_id)

    def run():
        with _pending_lock:
            _pending_flushes.discard(session_id)
        close_old_connections()
        try:
            flush_votes(session_id)
        except Exception:
            logger.exception("Could not publish the vote counts of live session %s", session_id)
        finally:
            close_old_connections()

    timer = threading.Timer(delay, run)
    timer.daemon = True
    timer.start()


def flush_votes(session_id: int) -> bool:
    """Publish the counts of a session's questions whose last votes were not
    announced (the trailing edge of the coalescing)."""
    with transaction.atomic():
        LiveSession.objects.filter(pk=session_id).update(votes_published_at=timezone.now())
        return _publish_marked_votes(session_id)


# --- Hosting ----------------------------------------------------------------------------


def start_answering(*, host: User, question: LiveQuestion) -> LiveQuestion:
    """The host picks the question: everyone sees "being answered". Hosts
    answer in parallel, each their own question; a host may take over one
    another host left."""
    permissions.check_can_host(host, question.session)
    with transaction.atomic():
        locked = _locked(question)
        _check_answerable(locked)
        if locked.status == LiveQuestion.Status.ANSWERING and locked.answering_host_id == host.pk:
            return locked
        locked.status = LiveQuestion.Status.ANSWERING
        locked.answering_host = host
        locked.save(update_fields=["status", "answering_host"])
        events.live_question_changed(locked, events.LIVE_QUESTION_ANSWERING)
    return locked


def answer_question(*, host: User, question: LiveQuestion, answer: str) -> LiveQuestion:
    permissions.check_can_host(host, question.session)
    errors: dict[str, list[str]] = {}
    answer = clean_body(answer, errors, field="answer")
    raise_if(errors)
    with transaction.atomic():
        locked = _locked(question)
        _check_answerable(locked)
        locked.status = LiveQuestion.Status.ANSWERED
        locked.answer = answer
        locked.answer_html = render_markdown(answer)
        locked.answered_by = host
        locked.answered_at = timezone.now()
        locked.answering_host = None
        locked.save(update_fields=["status", "answer", "answer_html", "answered_by", "answered_at", "answering_host"])
        events.live_question_changed(locked, events.LIVE_QUESTION_ANSWERED)
    return locked


def _check_answerable(question: LiveQuestion) -> None:
    if question.visibility != Visibility.PUBLISHED:
        raise NotAllowed(_("This question is not published: it cannot be answered."))
    if question.status == LiveQuestion.Status.MERGED:
        raise NotAllowed(_("This question was merged into another one: answer that one."))
    if question.status == LiveQuestion.Status.ANSWERED:
        raise NotAllowed(_("This question is already answered."))


# --- Moderation --------------------------------------------------------------------------


def hide_question(*, moderator: User, question: LiveQuestion, note: str = "") -> LiveQuestion:
    permissions.check_can_moderate_live(moderator, question.session)
    with transaction.atomic():
        locked = _locked(question)
        if locked.visibility == Visibility.HIDDEN:
            return locked
        before = locked.visibility
        locked.visibility = Visibility.HIDDEN
        locked.save(update_fields=["visibility"])
        audit.record(
            actor=moderator,
            action="live.hide",
            target=locked,
            reason=note,
            before={"visibility": before},
            after={"visibility": locked.visibility},
        )
        events.live_question_removed(locked, reason="hidden")
    return locked


def approve_question(*, moderator: User, question: LiveQuestion) -> LiveQuestion:
    """A held (or hidden) question is published: everyone sees it arrive."""
    permissions.check_can_moderate_live(moderator, question.session)
    with transaction.atomic():
        locked = _locked(question)
        if locked.visibility == Visibility.PUBLISHED:
            return locked
        before = locked.visibility
        locked.visibility = Visibility.PUBLISHED
        locked.moderation_reason = ""
        locked.save(update_fields=["visibility", "moderation_reason"])
        audit.record(
            actor=moderator,
            action="live.approve",
            target=locked,
            before={"visibility": before},
            after={"visibility": locked.visibility},
        )
        events.live_question_changed(locked, events.LIVE_QUESTION_CREATED)
    return locked


def merge_questions(*, moderator: User, question: LiveQuestion, into: LiveQuestion) -> LiveQuestion:
    """Two questions asking the same thing: `question` leaves the queue and its
    voters' votes count for `into` (one vote per member still)."""
    permissions.check_can_moderate_live(moderator, question.session)
    if question.pk == into.pk or question.session_id != into.session_id:
        raise InvalidInput(fields={"into": [_("Choose another question of the same session.")]})
    with transaction.atomic():
        # Locked in id order, so that two opposite merges cannot deadlock.
        first, second = sorted([question.pk, into.pk])
        rows = {q.pk: q for q in LiveQuestion.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = rows[question.pk], rows[into.pk]
        source.session = target.session = question.session
        if source.status == LiveQuestion.Status.MERGED:
            return target
        if target.status == LiveQuestion.Status.MERGED or target.visibility != Visibility.PUBLISHED:
            raise InvalidInput(fields={"into": [_("Choose a published question that was not merged itself.")]})
        already = set(LiveVote.objects.filter(question=target).values_list("user_id", flat=True))
        moved = [
            LiveVote(question=target, user_id=user_id)
            for user_id in LiveVote.objects.filter(question=source).values_list("user_id", flat=True)
            if user_id not in already and user_id != target.author_id
        ]
        LiveVote.objects.bulk_create(moved)
        target.vote_count = LiveVote.objects.filter(question=target).count()
        target.save(update_fields=["vote_count"])
        source.status = LiveQuestion.Status.MERGED
        source.merged_into = target
        source.save(update_fields=["status", "merged_into"])
        audit.record(actor=moderator, action="live.merge", target=source, after={"merged_into": target.pk})
        events.live_question_removed(source, reason="merged", merged_into_id=target.pk)
        events.live_votes(target.session_id, {target.pk: target.vote_count})
    return target


# --- After the session --------------------------------------------------------------------


def _thread_title(body: str) -> str:
    """The first sentence of the question, within the title limits."""
    text = " ".join(body.split())
    for end in ("?", ".", "!"):
        index = text.find(end)
        if 10 <= index < 150:
            return text[: index + 1]
    if len(text) <= 150:
        return text
    cut = text[:148].rsplit(" ", 1)[0]
    return f"{cut}…"


def convert_to_thread(*, user: User, question: LiveQuestion) -> Question:
    """The question becomes a forum thread by its asker, with the host's answer
    as its first answer when there is one. The thread says where it comes from
    (a line with the session's link) and the question keeps the thread's link:
    linked both ways, with nothing to change on the thread page."""
    permissions.check_can_convert_live_question(user, question)
    if question.thread_id:
        raise Conflict(_("This question is already a forum thread."))
    session = question.session
    errors: dict[str, list[str]] = {}
    title = clean_title(_thread_title(question.body), errors)
    tag_names = canonical_tags(list(session.tags.names())) or ["alternance"]
    raise_if(errors)
    # The forum is French first; the line is stored in the thread's text.
    with override("fr"):
        origin = _("Asked during the live session [%(title)s](%(url)s).") % {
            "title": session.title.replace("]", ")").replace("[", "("),
            "url": session.get_transcript_url(),
        }
    body = f"{question.body}\n\n*{origin}*"
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(question)
        permissions.check_can_convert_live_question(user, locked)
        if locked.thread_id:
            raise Conflict(_("This question is already a forum thread."))
        thread = Question.objects.create(
            author_id=locked.author_id,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
            last_activity_at=now,
        )
        thread.tags.set(tag_names)
        TagQuestionCount.objects.shift(thread.tags.values_list("id", flat=True), +1)
        answer = None
        if locked.status == LiveQuestion.Status.ANSWERED and locked.answered_by_id:
            answer = Answer.objects.create(
                question=thread,
                author_id=locked.answered_by_id,
                body=locked.answer,
                body_html=locked.answer_html,
                created_at=now,
            )
            Question.objects.filter(pk=thread.pk).update(answer_count=F("answer_count") + 1)
            thread.refresh_from_db(fields=["answer_count"])
        locked.thread = thread
        locked.save(update_fields=["thread"])
        index_thread(thread.pk)
        events.question_created(thread, tag_names)
        notify.question_posted(thread)
        if answer is not None:
            events.answer_created(answer)
            notify.answer_posted(answer)
        events.thread_activity(thread)
        audit.record(actor=user, action="live.convert", target=locked, after={"thread": thread.pk})
    return thread
