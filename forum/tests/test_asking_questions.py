import pytest

from forum.exceptions import InvalidInput, NotAllowed
from forum.models import Event, PostRevision, Question
from forum.services.questions import ask_question, edit_question, record_view, viewer_key
from tests.factories import make_question, make_user

BODY = "Je suis en terminale et je cherche un BTS en alternance, par où commencer ?"


def test_it_creates_a_question_with_normalised_tags(student):
    question = ask_question(
        author=student,
        title="Quel BTS choisir en alternance ?",
        body=BODY,
        tags=["BTS", "Contrat apprentissage", "bts"],
    )
    assert sorted(question.tags.names()) == ["bts", "contrat-apprentissage"]
    assert question.status == Question.Status.OPEN
    assert question.body_html.startswith("<p>")


def test_it_accepts_a_comma_separated_tag_string(student):
    question = ask_question(author=student, title="Quel BTS choisir en alternance ?", body=BODY, tags="rythme, Salaire")
    assert sorted(question.tags.names()) == ["rythme", "salaire"]


@pytest.mark.parametrize(
    ("title", "body", "tags", "field"),
    [
        ("", BODY, ["bts"], "title"),
        ("Court", BODY, ["bts"], "title"),
        ("x" * 151, BODY, ["bts"], "title"),
        ("Quel BTS choisir en alternance ?", "", ["bts"], "body"),
        ("Quel BTS choisir en alternance ?", "x" * 50_000, ["bts"], "body"),
        ("Quel BTS choisir en alternance ?", BODY, [], "tags"),
        ("Quel BTS choisir en alternance ?", BODY, ["a", "b", "c", "d", "e", "f"], "tags"),
        ("Quel BTS choisir en alternance ?", BODY, "not, a, list, of, six, tags", "tags"),
        ("Quel BTS choisir en alternance ?", BODY, [1, 2], "tags"),
        (None, None, None, "title"),
    ],
)
def test_it_refuses_bad_input_with_field_errors_and_writes_nothing(student, title, body, tags, field):
    with pytest.raises(InvalidInput) as caught:
        ask_question(author=student, title=title, body=body, tags=tags)
    assert field in caught.value.fields
    assert all(isinstance(msg, str) and msg for msg in caught.value.fields[field])
    assert not Question.objects.exists()
    assert not Event.objects.exists()


def test_it_strips_nul_bytes_that_postgresql_would_refuse(student):
    question = ask_question(author=student, title="Quel BTS\x00 choisir ?", body=BODY + "\x00", tags=["bts"])
    assert "\x00" not in question.title
    assert "\x00" not in question.body


def test_anonymous_and_suspended_members_cannot_ask(db):
    from datetime import timedelta

    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    with pytest.raises(NotAllowed):
        ask_question(author=AnonymousUser(), title="Quel BTS choisir ?", body=BODY, tags=["bts"])
    suspended = make_user(suspended_until=timezone.now() + timedelta(days=3))
    with pytest.raises(NotAllowed, match="suspen"):
        ask_question(author=suspended, title="Quel BTS choisir ?", body=BODY, tags=["bts"])


def test_editing_keeps_the_previous_text_as_a_revision(student):
    question = make_question(author=student, title="Quel BTS choisir en alternance ?", tags=("bts",))
    edit_question(
        editor=student, question=question, title="Quel BTS choisir en alternance en 2027 ?", tags=["bts", "ecole"]
    )
    question.refresh_from_db()
    assert question.title == "Quel BTS choisir en alternance en 2027 ?"
    assert question.edited_at is not None
    revision = PostRevision.objects.get(question=question)
    assert revision.title == "Quel BTS choisir en alternance ?"
    assert revision.tags == "bts"
    assert revision.editor == student


def test_editing_without_change_writes_no_revision(student, question):
    edit_question(editor=student, question=question, title=question.title, body=question.body)
    assert not PostRevision.objects.exists()


def test_only_the_author_or_a_moderator_can_edit(question, other_student, moderator):
    with pytest.raises(NotAllowed):
        edit_question(editor=other_student, question=question, body=BODY + " (modifié)")
    edit_question(editor=moderator, question=question, body=BODY + " (reformulé par la modération)")
    question.refresh_from_db()
    assert "modération" in question.body


def test_a_reader_counts_once_per_period_however_often_they_reload(question, student, other_student):
    counted = [record_view(question=question, viewer=viewer_key(user_id=student.pk)) for _ in range(3)]
    counted.append(record_view(question=question, viewer=viewer_key(user_id=other_student.pk)))

    question.refresh_from_db()
    assert counted == [True, False, False, True]
    assert question.view_count == 2


def test_anonymous_readers_are_told_apart_by_a_hash_never_by_their_raw_address():
    first = viewer_key(address="203.0.113.7")
    assert first == viewer_key(address="203.0.113.7")
    assert first != viewer_key(address="203.0.113.8")
    assert first != viewer_key(address="203.0.113.7", session_key="abc")
    assert "203.0.113.7" not in first


def test_a_view_still_counts_when_the_cache_is_down(question, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    # Nothing listens on port 1: every cache call fails to connect.
    assert record_view(question=question, viewer=viewer_key(user_id=1)) is True
    question.refresh_from_db()
    assert question.view_count == 1


def test_french_elisions_do_not_split_tags(student):
    question = ask_question(
        author=student, title="Quel BTS choisir en alternance ?", body=BODY, tags=["Contrat d'apprentissage", "L’école"]
    )
    assert sorted(question.tags.names()) == ["contrat-apprentissage", "ecole"]
