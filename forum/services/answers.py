from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum import events, legal_dates, permissions
from forum.markdown import render_markdown
from forum.models import Answer, PostRevision, Question, User, Visibility
from forum.notifications import dispatch as notify
from forum.search import index_thread
from forum.services import audit
from forum.services.screening import screen_edit, screen_new_post
from forum.validation import clean_body, clean_sources, clean_valid_as_of, raise_if

# edit_answer(valid_as_of=UNCHANGED): an API PATCH that leaves the dating alone.
UNCHANGED = object()


def post_answer(
    *,
    author: User,
    question: Question,
    body: str,
    confirm_personal_data: bool = False,
    valid_as_of: date | str | None = None,
    sources: list[str] | str | None = None,
) -> Answer:
    """`confirm_personal_data`: the author saw the personal-data warning and
    publishes anyway; the answer then waits for a moderator. A new member's
    answer may also wait (forum.services.screening). `valid_as_of` and
    `sources`: the dating of a legal answer (forum/legal_dates.py)."""
    permissions.check_can_answer(author, question)
    errors: dict[str, list[str]] = {}
    body = clean_body(body, errors)
    valid_as_of = clean_valid_as_of(valid_as_of, errors, today=legal_dates.today())
    sources = clean_sources(sources, errors)
    raise_if(errors)

    now = timezone.now()
    with transaction.atomic():
        screening = screen_new_post(
            author=author, kind="answer", body=body, confirm_personal_data=confirm_personal_data
        )
        answer = Answer.objects.create(
            question=question,
            author=author,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
            visibility=screening.visibility,
            moderation_reason=screening.reason,
            valid_as_of=valid_as_of,
            sources=sources,
        )
        if answer.visibility == Visibility.PUBLISHED:
            Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1, last_activity_at=now)
        question.refresh_from_db(fields=["answer_count", "last_activity_at", "accepted_answer", "is_locked"])
        answer.question = question
        screening.apply(answer)
        index_thread(question.pk)
        events.answer_created(answer)
        events.thread_activity(question)
        notify.answer_posted(answer)
    return answer


def edit_answer(
    *,
    editor: User,
    answer: Answer,
    body: str,
    confirm_personal_data: bool = False,
    valid_as_of=UNCHANGED,
    sources=UNCHANGED,
) -> Answer:
    """The previous text is kept as a revision. An edit may send the answer back
    to review (forum.services.screening). A change of the dating alone
    (`valid_as_of`, `sources`; UNCHANGED leaves them) keeps the text and makes
    no revision."""
    permissions.check_can_edit(editor, answer)
    errors: dict[str, list[str]] = {}
    body = clean_body(body, errors)
    if valid_as_of is not UNCHANGED:
        valid_as_of = clean_valid_as_of(valid_as_of, errors, today=legal_dates.today())
    if sources is not UNCHANGED:
        sources = clean_sources(sources, errors)
    raise_if(errors)

    with transaction.atomic():
        locked = Answer.objects.select_for_update().select_related("question", "author").get(pk=answer.pk)
        permissions.check_can_edit(editor, locked)
        dating = {}
        if valid_as_of is not UNCHANGED and valid_as_of != locked.valid_as_of:
            dating["valid_as_of"] = valid_as_of
        if sources is not UNCHANGED and sources != locked.sources:
            dating["sources"] = sources
        if locked.body == body and not dating:
            return locked
        for name, value in dating.items():
            setattr(locked, name, value)
        if locked.body == body:
            locked.save(update_fields=list(dating))
        else:
            screening = screen_edit(editor=editor, post=locked, body=body, confirm_personal_data=confirm_personal_data)
            PostRevision.objects.create(answer=locked, editor=editor, body=locked.body)
            locked.body = body
            locked.body_html = render_markdown(body)
            locked.edited_at = timezone.now()
            locked.save(update_fields=["body", "body_html", "edited_at", *dating])
            screening.apply(locked)
            index_thread(locked.question_id)
        events.answer_updated(locked)
    return locked


def confirm_answer_validity(*, user: User, answer: Answer, on: date | None = None) -> Answer:
    """ "Still valid as of today", in one click: the answer's `valid_as_of`
    becomes today (Paris; `on` for tests), so it no longer needs checking.
    By its author or a moderator; a moderator's confirmation is audited, since
    it vouches for someone else's figures."""
    with transaction.atomic():
        locked = Answer.objects.select_for_update().select_related("question", "author").get(pk=answer.pk)
        permissions.check_can_confirm_validity(user, locked)
        day = on or legal_dates.today()
        before = locked.valid_as_of
        if before == day:
            return locked
        locked.valid_as_of = day
        locked.save(update_fields=["valid_as_of"])
        if locked.author_id != user.pk:
            audit.record(
                actor=user,
                action="answer.validity_confirmed",
                target=locked,
                before={"valid_as_of": before},
                after={"valid_as_of": day},
            )
        events.answer_updated(locked)
    return locked


def withdraw_answer(*, user: User, answer: Answer) -> Answer:
    """The author takes the answer back. The row and its revisions stay."""
    with transaction.atomic():
        # Check against the locked row, not the caller's possibly stale copy.
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        permissions.check_can_withdraw(user, locked)
        was_published = locked.visibility == Visibility.PUBLISHED
        locked.visibility = Visibility.WITHDRAWN
        locked.save(update_fields=["visibility"])
        question = Question.objects.select_for_update().get(pk=locked.question_id)
        update_fields = []
        if was_published:
            question.answer_count = F("answer_count") - 1
            update_fields.append("answer_count")
        if question.accepted_answer_id == locked.pk:
            question.accepted_answer = None
            update_fields.append("accepted_answer")
        if update_fields:
            question.save(update_fields=update_fields)
            question.refresh_from_db(fields=["answer_count"])
        index_thread(question.pk)
        events.answer_removed(locked, reason="withdrawn")
        notify.post_unpublished(locked)
        events.thread_activity(question)
    return locked


def accept_answer(*, user: User, answer: Answer) -> Question:
    permissions.check_can_accept(user, answer)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        previous_id = question.accepted_answer_id
        if previous_id == answer.pk:
            return question
        question.accepted_answer = answer
        question.last_activity_at = timezone.now()
        question.save(update_fields=["accepted_answer", "last_activity_at"])
        # The accepted answer weighs more in search.
        index_thread(question.pk)
        events.answer_accepted(question, answer, previous_id)
        notify.answer_accepted(answer, actor_id=user.pk)
        events.thread_activity(question)
    return question


def unaccept_answer(*, user: User, answer: Answer) -> Question:
    permissions.check_can_accept(user, answer)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=answer.question_id)
        if question.accepted_answer_id != answer.pk:
            return question
        question.accepted_answer = None
        question.save(update_fields=["accepted_answer"])
        index_thread(question.pk)
        events.answer_unaccepted(question, answer.pk)
        events.thread_activity(question)
    return question
