from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum import events, permissions
from forum.markdown import render_markdown
from forum.models import Answer, PostRevision, Question, User, Visibility
from forum.notifications import dispatch as notify
from forum.search import index_thread
from forum.services.screening import screen_edit, screen_new_post
from forum.validation import clean_body, raise_if


def post_answer(*, author: User, question: Question, body: str, confirm_personal_data: bool = False) -> Answer:
    """`confirm_personal_data`: the author saw the personal-data warning and
    publishes anyway; the answer then waits for a moderator. A new member's
    answer may also wait (forum.services.screening)."""
    permissions.check_can_answer(author, question)
    errors: dict[str, list[str]] = {}
    body = clean_body(body, errors)
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


def edit_answer(*, editor: User, answer: Answer, body: str, confirm_personal_data: bool = False) -> Answer:
    """The previous text is kept as a revision. An edit may send the answer back
    to review (forum.services.screening)."""
    permissions.check_can_edit(editor, answer)
    errors: dict[str, list[str]] = {}
    body = clean_body(body, errors)
    raise_if(errors)

    with transaction.atomic():
        locked = Answer.objects.select_for_update().select_related("question", "author").get(pk=answer.pk)
        permissions.check_can_edit(editor, locked)
        if locked.body == body:
            return locked
        screening = screen_edit(editor=editor, post=locked, body=body, confirm_personal_data=confirm_personal_data)
        PostRevision.objects.create(answer=locked, editor=editor, body=locked.body)
        locked.body = body
        locked.body_html = render_markdown(body)
        locked.edited_at = timezone.now()
        locked.save(update_fields=["body", "body_html", "edited_at"])
        screening.apply(locked)
        index_thread(locked.question_id)
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
