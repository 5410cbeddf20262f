"""Thread pages shared between members (frontend/page_cache.py, `members=`,
frontend/views/questions.py `_thread_reader`): a thread reads the same for
every member who sees lists as any member does and took no part in it (did
not ask, answer, vote or report there), but for their account menu, their
CSRF tokens, whether they follow it and their composer's notices. Checked: a
hit is the page a fresh render gives its reader, over the states a thread
can be in; the readers who took part are rendered for themselves and what
they did never reaches the others; a hit still counts the view and reads
the thread's notifications; the tokens work."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import CharterClause, FlagReason, Notification, NotificationKind, Question, ThreadSubscription
from forum.services.answers import accept_answer
from forum.services.flags import flag_post
from forum.services.moderation import hide_post
from forum.services.notifications import set_thread_following
from forum.services.thread_tools import set_locked
from forum.services.votes import cast_vote
from tests.factories import make_answer, make_question, make_user
from tests.support.member_pages import TOKEN, assert_nothing_of_who_stored_it, rendered_fresh, signed_in

pytestmark = pytest.mark.django_db

# A shared copy shows the view count of its render, as anonymous copies do
# (a view publishes no event), and the live cursor of its render (events on
# other topics since: the client catches up from it): the parts allowed to lag.
VIEWS = re.compile(r"\d+ vues?<")
CURSOR = re.compile(r'data-live-cursor="\d+"')
# "il y a 2 secondes" is written per response: a slow machine may cross a
# boundary between the shared copy and the fresh render it is compared with.
RELATIVE_TIME = re.compile(r"(<time [^>]*>)[^<]*(</time>)")


def without_tokens(html: str) -> str:
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    html = RELATIVE_TIME.sub(r"\1\2", html)
    return CURSOR.sub('data-live-cursor=""', VIEWS.sub("N vues<", html))


@pytest.fixture
def thread(student, other_student, third_student):
    question = make_question(author=student, title="Peut-on changer d’entreprise pendant un contrat d’apprentissage ?")
    make_answer(author=other_student, question=question)
    make_answer(author=third_student, question=question)
    cast_vote(user=third_student, answer=question.answers.first())
    return question


@pytest.fixture
def readers(db):
    return [make_user(username=f"lectrice{n}", display_name=f"Lectrice {n}") for n in range(3)]


def url_of(question: Question) -> str:
    return question.get_absolute_url()


def accepted(question, moderator):
    accept_answer(user=question.author, answer=question.answers.first())


def locked(question, moderator):
    set_locked(moderator=moderator, question=question, locked=True)


def with_hidden_answer(question, moderator):
    hide_post(moderator=moderator, post=question.answers.last(), clause=CharterClause.OFF_TOPIC)


def discreet(question, moderator):
    Question.objects.filter(pk=question.pk).update(discreet_everywhere=True)


@pytest.mark.parametrize(
    "state",
    [None, accepted, locked, with_hidden_answer, discreet],
    ids=["open", "accepted answer", "locked", "hidden answer", "discreet asker"],
)
def test_a_member_gets_the_page_a_fresh_render_gives_them_and_nothing_of_who_stored_it(
    state, thread, readers, moderator
):
    if state is not None:
        state(thread, moderator)
    first, second = signed_in(readers[0]), signed_in(readers[1])
    assert first.get(url_of(thread))["X-Page-Cache"] == "member-miss"

    shared = second.get(url_of(thread))
    assert shared["X-Page-Cache"] == "member-hit"
    fresh = rendered_fresh(second, url_of(thread))
    assert without_tokens(shared.content.decode()) == without_tokens(fresh.content.decode())
    assert_nothing_of_who_stored_it(shared, reader="lectrice1", storer="lectrice0", storer_name="Lectrice 0")


def vote(member, question):
    cast_vote(user=member, answer=question.answers.last())


def report(member, question):
    flag_post(user=member, post=question, reason=FlagReason.OFF_TOPIC)


def answer(member, question):
    make_answer(author=member, question=question)


@pytest.mark.parametrize("take_part", [vote, report, answer], ids=["voted", "reported", "answered"])
def test_a_member_who_took_part_is_rendered_for_themselves_and_it_reaches_nobody(take_part, thread, readers):
    signed_in(readers[0]).get(url_of(thread))
    take_part(readers[2], thread)

    own = signed_in(readers[2]).get(url_of(thread))
    assert own.get("X-Page-Cache") is None
    fresh_other = rendered_fresh(signed_in(readers[1]), url_of(thread))
    other = signed_in(readers[1]).get(url_of(thread))
    assert other["X-Page-Cache"] in ("member-hit", "member-miss")
    assert without_tokens(other.content.decode()) == without_tokens(fresh_other.content.decode())
    assert without_tokens(own.content.decode()) != without_tokens(other.content.decode())


def test_the_asker_is_rendered_for_themselves(thread, readers, student):
    signed_in(readers[0]).get(url_of(thread))
    page = signed_in(student).get(url_of(thread))
    assert page.get("X-Page-Cache") is None
    assert "Modifier" in page.content.decode()


def test_following_shows_to_the_follower_only(thread, readers):
    signed_in(readers[0]).get(url_of(thread))
    set_thread_following(user=readers[1], question=thread, following=True)

    follower = signed_in(readers[1]).get(url_of(thread))
    other = signed_in(readers[2]).get(url_of(thread))

    assert "Ne plus suivre" in follower.content.decode()
    assert other["X-Page-Cache"] == "member-hit"
    assert "Ne plus suivre" not in other.content.decode()


def test_a_newcomer_s_composer_notices_are_their_own(thread, readers):
    """A brand-new member's first answers wait for a moderator (the composer
    says so), and an established member who posted enough no longer gets the
    charter's hints: neither reads the copy of a member who gets the hints."""
    newcomer = make_user(username="nouvelle", date_joined=timezone.now() - timedelta(minutes=5))
    regular = make_user(username="habituee")
    for n in range(3):
        make_question(author=regular, title=f"Ma question numéro {n} sur le rythme de l’alternance ?")
    signed_in(readers[0]).get(url_of(thread))

    pages = {}
    for member in (newcomer, regular):
        pages[member] = signed_in(member).get(url_of(thread))
        fresh = rendered_fresh(signed_in(member), url_of(thread))
        assert pages[member]["X-Page-Cache"] == "member-miss"
        assert without_tokens(pages[member].content.decode()) == without_tokens(fresh.content.decode())

    assert "data-premoderation-notice" in pages[newcomer].content.decode()
    assert "data-charter-hints" not in pages[regular].content.decode()
    shared = signed_in(readers[1]).get(url_of(thread)).content.decode()
    assert "data-premoderation-notice" not in shared
    assert "data-charter-hints" in shared


def test_a_hit_counts_the_view_and_reads_the_thread_s_notifications(thread, readers):
    signed_in(readers[0]).get(url_of(thread))
    Notification.objects.create(
        recipient=readers[1], kind=NotificationKind.ANSWER_IN_FOLLOWED, group_key="test", question=thread
    )
    views = Question.objects.get(pk=thread.pk).view_count

    page = signed_in(readers[1]).get(url_of(thread))

    assert page["X-Page-Cache"] == "member-hit"
    assert Question.objects.get(pk=thread.pk).view_count == views + 1
    assert not Notification.objects.filter(recipient=readers[1], read_at__isnull=True).exists()
    assert 'data-notification-count hidden aria-label="0 notification non lue">0<' in page.content.decode()


def test_a_reader_answers_and_follows_with_the_tokens_of_a_shared_page(thread, readers):
    signed_in(readers[0]).get(url_of(thread))
    reader = signed_in(readers[1], enforce_csrf_checks=True)
    page = reader.get(url_of(thread))
    assert page["X-Page-Cache"] == "member-hit"
    token = TOKEN.findall(page.content.decode())[0]

    followed = reader.post(f"/questions/{thread.pk}/suivre/", {"following": "1", "csrfmiddlewaretoken": token})
    answered = reader.post(
        f"/questions/{thread.pk}/repondre/",
        {"body": "Oui, avec une rupture d’un commun accord puis un nouveau contrat.", "csrfmiddlewaretoken": token},
    )

    assert followed.status_code == 303
    assert answered.status_code in (302, 303)
    assert ThreadSubscription.objects.filter(user=readers[1], question=thread, following=True).exists()
    assert thread.answers.filter(author=readers[1]).exists()
    # Now they took part: their page is their own.
    assert reader.get(url_of(thread)).get("X-Page-Cache") is None


def test_a_page_rendered_while_what_it_shows_of_its_reader_changed_is_not_shared(thread, readers):
    """The reader follows the thread while their page renders (a second tab):
    following publishes no event, so only the check after rendering keeps that
    page (either state) from being stored for every member who does not follow."""
    done = []

    def follow_meanwhile(sender, template, **kwargs):
        if template.name == "frontend/questions/thread.html" and not done:
            done.append(set_thread_following(user=readers[0], question=thread, following=True))

    template_rendered.connect(follow_meanwhile)
    try:
        assert signed_in(readers[0]).get(url_of(thread))["X-Page-Cache"] == "member-miss"
    finally:
        template_rendered.disconnect(follow_meanwhile)

    assert done
    assert signed_in(readers[1]).get(url_of(thread))["X-Page-Cache"] == "member-miss"
    assert signed_in(readers[2]).get(url_of(thread))["X-Page-Cache"] == "member-hit"


def test_a_shared_copy_costs_a_fixed_small_number_of_queries(thread, readers):
    signed_in(readers[0]).get(url_of(thread))
    reader = signed_in(readers[1])
    reader.get("/")  # their first signed-in page: the menu's fragment is theirs from then on
    with CaptureQueriesContext(connection) as captured:
        page = reader.get(url_of(thread))

    assert page["X-Page-Cache"] == "member-hit"
    # The session with its member (and the menu's unread count: nothing unread,
    # nothing to mark read), their part in the thread (with their list traits,
    # following, the composer's hints), the page's version, the view counted:
    # 4, where a render costs 13 (frontend/tests/test_page_query_budgets.py).
    assert len(captured) == 4


def test_the_menu_asks_no_cache_whether_to_link_the_dashboard(thread, readers):
    """The shared pages' traits told already that the reader has no badge and
    is no moderator: no cache round trip for the menu's dashboard link."""
    from forum.insights import menu

    signed_in(readers[0]).get(url_of(thread))
    reader = signed_in(readers[1])
    for url in ("/", url_of(thread), "/", url_of(thread)):
        assert reader.get(url)["X-Page-Cache"] in ("member-miss", "member-hit")

    assert cache.get(menu._key(readers[1].pk)) is None


def test_a_shared_copy_reads_the_generation_once_with_the_page(thread, readers, monkeypatch):
    """The account menu is keyed with the generation the page's version came
    with (one cache round trip), not read again."""
    from forum import page_versions

    signed_in(readers[0]).get(url_of(thread))
    reader = signed_in(readers[1])
    reader.get(url_of(thread))
    calls = []
    read = page_versions.generation
    monkeypatch.setattr(page_versions, "generation", lambda: calls.append(1) or read())

    page = reader.get(url_of(thread))

    assert page["X-Page-Cache"] == "member-hit"
    assert 'data-notification-count hidden aria-label="0 notification non lue">0<' in page.content.decode()
    assert calls == []


def test_a_reader_with_unread_notifications_elsewhere_keeps_them_and_the_menu_counts_them(thread, readers):
    other = make_question(author=readers[2], title="Une autre question sur le rythme en BTS ?")
    signed_in(readers[0]).get(url_of(thread))
    for question in (thread, other):
        Notification.objects.create(
            recipient=readers[1],
            kind=NotificationKind.ANSWER_IN_FOLLOWED,
            group_key=f"q{question.pk}",
            question=question,
        )

    page = signed_in(readers[1]).get(url_of(thread))

    assert page["X-Page-Cache"] == "member-hit"
    unread = Notification.objects.filter(recipient=readers[1], read_at__isnull=True)
    assert list(unread.values_list("question_id", flat=True)) == [other.pk]
    assert 'aria-label="1 notification non lue">1<' in page.content.decode()


def test_the_live_parts_are_shared_by_members_who_took_no_part_and_a_voter_gets_theirs(thread, readers):
    """Every watcher of a thread fetches its live parts after each change: one
    render per version serves the members who took no part in it, as it
    serves anonymous readers; a voter's parts show their vote."""
    url = f"/questions/{thread.pk}/reponses/"
    assert signed_in(readers[0]).get(url)["X-Page-Cache"] == "member-miss"

    shared = signed_in(readers[1]).get(url)
    fresh = rendered_fresh(signed_in(readers[1]), url)
    assert shared["X-Page-Cache"] == "member-hit"
    assert without_tokens(shared.content.decode()) == without_tokens(fresh.content.decode())
    assert "\x00" not in shared.content.decode()
    assert 'aria-pressed="true"' not in shared.content.decode()

    vote(readers[2], thread)
    voter = signed_in(readers[2]).get(url)
    assert voter.get("X-Page-Cache") is None
    assert 'aria-pressed="true"' in voter.content.decode()
    assert 'aria-pressed="true"' not in signed_in(readers[1]).get(url).content.decode()


def test_the_live_parts_of_a_shared_copy_cost_no_composer_queries(thread, readers):
    url = f"/questions/{thread.pk}/reponses/"
    signed_in(readers[0]).get(url)
    reader = signed_in(readers[1])
    reader.get("/")  # their first signed-in page: the menu's fragment is theirs from then on
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(url)["X-Page-Cache"] == "member-hit"
    # The session with its member, their part in the thread (with their list traits), the version.
    assert len(captured) == 3
