"""The notification centre's pages: list and filters, opening one (read, then
the exact answer), mark all read, follow toggle, preferences, unsubscribe."""

import pytest

from forum.models import Channel, Notification, NotificationKind, NotificationPreference, ThreadSubscription
from forum.notifications.texts import unsubscribe_token
from tests.factories import make_answer, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(django_capture_on_commit_callbacks, student, other_student):
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(author=student)
        answer = make_answer(author=other_student, question=question)
    return answer


def test_the_list_shows_the_sentence_and_the_header_counts_it(client, student, answered):
    client.force_login(student)
    page = client.get("/notifications/").content.decode()
    assert "Bob answered your question" in page
    assert 'data-notification-count aria-label="1 unread notification">1<' in page
    assert "Bob answered" not in client.get("/notifications/?kind=helpful").content.decode()


def test_opening_one_marks_it_read_and_lands_on_the_answer(client, student, answered):
    client.force_login(student)
    notification = Notification.objects.get(recipient=student)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 303
    assert response["Location"].endswith(answered.get_absolute_url())
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_a_404(client, other_student, student, answered):
    client.force_login(other_student)
    notification = Notification.objects.get(recipient=student)
    assert client.get(f"/notifications/{notification.pk}/").status_code == 404


def test_reading_the_thread_reads_its_notifications(client, student, answered):
    client.force_login(student)
    client.get(answered.question.get_absolute_url())
    assert not Notification.objects.filter(recipient=student, read_at__isnull=True).exists()


def test_mark_all_read_and_follow_toggle(client, student, other_student, answered):
    client.force_login(student)
    assert client.post("/notifications/tout-lu/").status_code == 303
    assert not Notification.objects.filter(recipient=student, read_at__isnull=True).exists()
    client.post(f"/questions/{answered.question_id}/suivre/", {"following": "0"})
    assert not ThreadSubscription.objects.get(user=student, question_id=answered.question_id).following


def test_preferences_page_saves_and_refuses_bad_hours(client, student):
    client.force_login(student)
    assert client.get("/notifications/preferences/").status_code == 200
    response = client.post(
        "/notifications/preferences/",
        {"channel_helpful": "off", "quiet_start": "22:00", "quiet_end": "07:00", "digest": "daily", "language": "en"},
    )
    assert response.status_code == 303
    pref = NotificationPreference.objects.get(user=student)
    assert pref.channel(NotificationKind.HELPFUL) == Channel.OFF
    assert pref.digest == "daily"
    bad = client.post("/notifications/preferences/", {"quiet_start": "22:00", "quiet_end": ""})
    assert bad.status_code == 400


def test_unsubscribe_works_without_login_and_refuses_forged_links(client, student):
    token = unsubscribe_token(user_id=student.pk, kind=NotificationKind.ANSWER_ON_MY_QUESTION)
    assert client.get(f"/notifications/desabonnement/{token}/").status_code == 200
    assert not NotificationPreference.objects.filter(user=student).exists()  # GET changes nothing
    assert client.post(f"/notifications/desabonnement/{token}/").status_code == 200
    pref = NotificationPreference.objects.get(user=student)
    assert pref.channel(NotificationKind.ANSWER_ON_MY_QUESTION) == Channel.IN_APP
    assert client.post(f"/notifications/desabonnement/{token}x/").status_code == 400


def test_anonymous_pages_render_no_counter(client, answered):
    assert "data-notification-count" not in client.get("/").content.decode()
