"""The moderators' pages: the review queue and its decisions, the audit log
and its CSV export, a member's record and sanctions, the thread tools."""

import csv
import io

import pytest
from django.utils import timezone

from forum.models import Answer, AuditLog, ReviewItem, Visibility
from forum.services.flags import flag_post
from forum.services.sanctions import warn_member
from tests.factories import make_answer, make_moderator, make_question, make_user


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def flagged(answer):
    for n in range(3):
        flag_post(user=make_user(username=f"reporter{n}"), post=answer, reason="harassment", text=f"insulte {n}")
    answer.refresh_from_db()
    return answer


def test_the_queue_is_for_moderators(client, student):
    assert client.get("/moderation/").status_code == 302  # to the login page
    client.force_login(student)
    assert client.get("/moderation/").status_code == 403


def test_the_queue_shows_content_reports_reasons_and_author_history(mod_client, flagged):
    page = mod_client.get("/moderation/")
    assert page.status_code == 200
    html = page.text
    assert 'data-live-topics="moderation user:me"' in html
    assert f'id="item-{ReviewItem.objects.get().pk}"' in html
    assert flagged.body_html in html
    assert "Reported by members" in html
    assert "insulte 2" in html
    assert "@reporter0" in html
    assert "Member since" in html
    assert "Past decisions: 0 hidden" in html


def test_the_queue_page_runs_a_constant_number_of_queries(mod_client, question, django_assert_max_num_queries):
    def fill(count):
        for _ in range(count):
            make_answer(author=make_user(date_joined=timezone.now()), question=question)

    fill(2)
    with django_assert_max_num_queries(40) as few:
        mod_client.get("/moderation/")
    fill(10)
    with django_assert_max_num_queries(len(few)):
        assert mod_client.get("/moderation/").text.count("data-review-item=") == 12


def test_hiding_from_the_queue_explains_it_to_the_author(mod_client, flagged, client):
    item = ReviewItem.objects.get()
    response = mod_client.post(
        f"/moderation/file/{item.pk}/decider/",
        {"decision": "hide", "clause": "respect", "note": "Pas d'insultes, même pour rire."},
    )
    assert response.status_code == 303
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.HIDDEN
    client.force_login(flagged.author)
    thread = client.get(flagged.question.get_absolute_url()).text
    assert "Hidden by the moderators." in thread
    assert "Be respectful: no insults, mockery or harassment." in thread
    assert "Pas d&#x27;insultes, même pour rire." in thread
    assert "Ask for a second review" in thread


def test_hiding_without_a_clause_is_refused_with_a_message(mod_client, flagged):
    item = ReviewItem.objects.get()
    response = mod_client.post(f"/moderation/file/{item.pk}/decider/", {"decision": "hide"}, follow=True)
    assert "Choose the charter clause" in response.text
    flagged.refresh_from_db()
    assert flagged.visibility == Visibility.PENDING


def test_bulk_approval(mod_client, question):
    answers = [make_answer(author=make_user(date_joined=timezone.now()), question=question) for _ in range(3)]
    ids = [ReviewItem.objects.get(answer=a).pk for a in answers]
    response = mod_client.post("/moderation/file/groupe/", {"ids": ids[:2], "decision": "approve"}, follow=True)
    assert "2 of 2 items decided." in response.text
    visibilities = (
        Answer.objects.filter(pk__in=[a.pk for a in answers]).order_by("pk").values_list("visibility", flat=True)
    )
    assert list(visibilities) == [
        Visibility.PUBLISHED,
        Visibility.PUBLISHED,
        Visibility.PENDING,
    ]


def test_edit_and_approve(mod_client, question):
    answer = make_answer(author=make_user(date_joined=timezone.now()), question=question)
    item = ReviewItem.objects.get(answer=answer)
    form = mod_client.get(f"/moderation/file/{item.pk}/modifier/")
    assert answer.body in form.text
    response = mod_client.post(
        f"/moderation/file/{item.pk}/modifier/",
        {"body": "Version relue par la modération : contacte le CFA directement.", "note": "Lien retiré."},
    )
    assert response.status_code == 303
    answer.refresh_from_db()
    assert answer.visibility == Visibility.PUBLISHED
    assert answer.body.startswith("Version relue")


def test_a_live_item_fragment_is_the_queue_markup(mod_client, flagged):
    item = ReviewItem.objects.get()
    fragment = mod_client.get(f"/moderation/file/{item.pk}/")
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith("<li")
    assert f'data-review-item="{item.pk}"' in fragment.text


def test_the_audit_log_page_searches_and_exports_csv(mod_client, moderator, flagged, student):
    warn_member(moderator=moderator, member=student, clause="respect", message='=HYPERLINK("http://x")')
    page = mod_client.get("/moderation/journal/?action=member.")
    assert page.status_code == 200
    # The filter lists every action; the entries are the journal's cards.
    entries = page.text.split('<ol class="journal"')[1]
    assert 'title="member.warn"' in entries
    assert "post.hidden_pending_review" not in entries
    export = mod_client.get("/moderation/journal/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:4] == ["id", "created_at", "actor", "action"]
    assert {row[3] for row in rows[1:]} == {"member.warn", "post.hidden_pending_review"}
    warn_row = next(row for row in rows if row[3] == "member.warn")
    # A spreadsheet must not run what a moderator typed.
    assert all(not cell.startswith("=") for cell in warn_row)


def test_the_audit_log_page_is_for_moderators(client, student):
    client.force_login(student)
    assert client.get("/moderation/journal/").status_code == 403
    assert client.get("/moderation/journal/?format=csv").status_code == 403


def test_suspending_from_the_member_page(mod_client, other_student):
    page = mod_client.get(f"/moderation/membres/{other_student.username}/")
    assert page.status_code == 200
    response = mod_client.post(
        f"/moderation/membres/{other_student.username}/",
        {"action": "suspend", "clause": "respect", "days": "3", "message": "Trois jours de pause."},
    )
    assert response.status_code == 303
    other_student.refresh_from_db()
    assert other_student.suspended_until > timezone.now()
    assert AuditLog.objects.get().action == "member.suspend"


def test_a_sanction_without_a_clause_shows_the_form_again(mod_client, other_student):
    response = mod_client.post(f"/moderation/membres/{other_student.username}/", {"action": "warn"})
    assert response.status_code == 400
    assert "Choose the charter clause" in response.text


def test_a_moderator_cannot_sanction_another_from_the_page(mod_client):
    other = make_moderator()
    page = mod_client.get(f"/moderation/membres/{other.username}/")
    assert "You cannot sanction this member" in page.text


def test_thread_tools_from_the_thread_page(mod_client, question):
    page = mod_client.get(question.get_absolute_url())
    assert "data-mod-tools" in page.text
    mod_client.post(f"/moderation/questions/{question.pk}/lock/", {"reason": "Hors sujet"})
    question.refresh_from_db()
    assert question.is_locked
    original = make_question(author=make_user())
    mod_client.post(f"/moderation/questions/{question.pk}/duplicate/", {"original": original.get_absolute_url()})
    thread = mod_client.get(question.get_absolute_url()).text
    assert "Closed as a duplicate" in thread
    assert f'href="{original.get_absolute_url()}"' in thread
    mod_client.post(f"/moderation/questions/{original.pk}/pin/")
    assert "Pinned by the moderators" in mod_client.get("/").text


def test_a_bad_thread_reference_is_a_message_not_an_error(mod_client, question):
    response = mod_client.post(f"/moderation/questions/{question.pk}/merge/", {"into": "nope"}, follow=True)
    assert response.status_code == 200
    assert "Give the number or the link of a thread." in response.text


def test_members_do_not_see_moderator_tools(client, student, question):
    client.force_login(student)
    assert "data-mod-tools" not in client.get(question.get_absolute_url()).text
    assert client.post(f"/moderation/questions/{question.pk}/lock/").status_code == 303
    question.refresh_from_db()
    assert not question.is_locked
