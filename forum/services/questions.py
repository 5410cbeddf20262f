from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum import events, permissions
from forum.markdown import render_markdown
from forum.models import PostRevision, Question, User
from forum.services.organisations import address_question, clean_addressees
from forum.services.screening import screen_edit, screen_new_post
from forum.validation import clean_body, clean_tags, clean_title, raise_if


def ask_question(
    *,
    author: User,
    title: str,
    body: str,
    tags: list[str] | str,
    addressed_to: list | str | None = None,
    confirm_personal_data: bool = False,
) -> Question:
    """`addressed_to`: organisations (objects or slugs) the question is asked to.
    `confirm_personal_data`: the author saw the personal-data warning and
    publishes anyway; the question then waits for a moderator. A new member's
    question may also wait (forum.services.screening)."""
    permissions.check_can_ask(author)
    errors: dict[str, list[str]] = {}
    title = clean_title(title, errors)
    body = clean_body(body, errors)
    tag_names = clean_tags(tags, errors)
    addressees = clean_addressees(addressed_to, errors)
    raise_if(errors)

    now = timezone.now()
    with transaction.atomic():
        screening = screen_new_post(
            author=author, kind="question", title=title, body=body, confirm_personal_data=confirm_personal_data
        )
        question = Question.objects.create(
            author=author,
            title=title,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
            last_activity_at=now,
            visibility=screening.visibility,
            moderation_reason=screening.reason,
        )
        question.tags.set(tag_names)
        if addressees:
            address_question(question=question, organisations=addressees)
        screening.apply(question)
        events.question_created(question, tag_names)
    return question


def edit_question(
    *,
    editor: User,
    question: Question,
    title: str | None = None,
    body: str | None = None,
    tags: list[str] | str | None = None,
    confirm_personal_data: bool = False,
) -> Question:
    """Fields left as None keep their value. The previous text is kept as a revision.
    An edit may send the question back to review (forum.services.screening)."""
    permissions.check_can_edit(editor, question)
    errors: dict[str, list[str]] = {}
    new_title = clean_title(title, errors) if title is not None else question.title
    new_body = clean_body(body, errors) if body is not None else question.body
    new_tags = clean_tags(tags, errors) if tags is not None else None
    raise_if(errors)

    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        old_tags = sorted(question.tags.names())
        if (
            new_title == question.title
            and new_body == question.body
            and (new_tags is None or sorted(new_tags) == old_tags)
        ):
            return question
        screening = screen_edit(
            editor=editor, post=question, title=new_title, body=new_body, confirm_personal_data=confirm_personal_data
        )
        PostRevision.objects.create(
            question=question, editor=editor, title=question.title, body=question.body, tags=",".join(old_tags)
        )
        question.title = new_title
        question.body = new_body
        question.body_html = render_markdown(new_body)
        question.edited_at = timezone.now()
        question.save(update_fields=["title", "body", "body_html", "edited_at"])
        if new_tags is not None:
            question.tags.set(new_tags)
        screening.apply(question)
        events.question_updated(question, new_tags if new_tags is not None else old_tags)
    return question


def record_view(*, question: Question) -> None:
    """Counted without a lock or an event: a view is not worth a write conflict."""
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
