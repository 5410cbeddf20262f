"""Plain-data views of domain objects, shared by websocket payloads and the API.

Built once by the publisher so that a thousand watchers need no thousand
database reads. Only public, rendered (sanitised) content goes in here.
"""

from datetime import UTC

from forum.models import Answer, Question, User


def iso(dt) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def badges_for(user: User) -> list[dict]:
    """Verified badges only; filled by organisation verification (issue 5)."""
    return []


def author_data(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.public_name,
        "badges": badges_for(user),
        "web_url": user.get_absolute_url(),
    }


def answer_data(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "question_id": answer.question_id,
        "author": author_data(answer.author),
        "body_html": answer.body_html,
        "vote_count": answer.vote_count,
        "is_accepted": answer.question.accepted_answer_id == answer.pk,
        "visibility": answer.visibility,
        "created_at": iso(answer.created_at),
        "edited_at": iso(answer.edited_at),
        "web_url": answer.get_absolute_url(),
    }


def question_summary_data(question: Question, tags: list[str] | None = None) -> dict:
    return {
        "id": question.pk,
        "title": question.title,
        "author": author_data(question.author),
        "tags": tags if tags is not None else [t.name for t in question.tags.all()],
        "status": str(question.status),
        "answer_count": question.answer_count,
        "view_count": question.view_count,
        "created_at": iso(question.created_at),
        "last_activity_at": iso(question.last_activity_at),
        "web_url": question.get_absolute_url(),
    }
