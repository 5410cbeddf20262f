"""List pages shared between members (frontend/page_cache.py, `members=`):
home, discovery, tag and search pages are the same for every member who sees lists
as any member does, but for their account menu and CSRF tokens, written in
per response. Checked: a hit is the page a fresh render gives its reader;
nothing of the member who stored it reaches another; the readers whose lists
differ (moderators, badge holders, authors of held or discreet questions,
members with a notice) are rendered for themselves; a change shows at once;
the tokens work."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import queries
from forum.models import CharterClause, Notification, NotificationKind, Visibility
from forum.services.moderation import hide_post
from tests.factories import make_answer, make_badge, make_question, make_user
from tests.support.member_pages import TOKEN, assert_nothing_of_who_stored_it, rendered_fresh, signed_in

pytestmark = pytest.mark.django_db

LISTS = (
    "/",
    "/?page=1&status=unanswered",
    "/questions/sans-reponse/",
    "/questions/populaires/",
    "/tags/bts/",
    "/recherche/?q=contrat+BTS",
    "/recherche/?q=contrat&tag=bts&filter=unanswered&sort=recency",
)


def without_tokens(html: str) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.fixture
def forum(student, other_student):
    first = make_question(author=student, title="Quel contrat pour un BTS en alternance ?", tags=("bts",))
    make_question(author=student, title="Rythme école entreprise en BTS ?", tags=("bts",))
    make_answer(author=other_student, question=first)
    return first


@pytest.fixture
def readers(db):
    return [make_user(username=f"lecteur{n}", display_name=f"Lecteur {n}") for n in range(3)]


@pytest.mark.parametrize("url", LISTS)
def test_a_member_gets_the_page_a_fresh_render_gives_them_and_nothing_of_who_stored_it(url, forum, readers):
    first, second = signed_in(readers[0]), signed_in(readers[1])
    assert first.get(url)["X-Page-Cache"] == "member-miss"

    shared = second.get(url)
    assert shared["X-Page-Cache"] == "member-hit"
    fresh = rendered_fresh(second, url)
    assert fresh.get("X-Page-Cache") is None
    assert without_tokens(shared.content.decode()) == without_tokens(fresh.content.decode())
    assert_nothing_of_who_stored_it(shared, reader="lecteur1", storer="lecteur0", storer_name="Lecteur 0")


def test_the_tokens_of_a_shared_page_are_the_readers_own(forum, readers):
    signed_in(readers[0]).get("/tags/bts/")
    reader = signed_in(readers[1], enforce_csrf_checks=True)
    page = reader.get("/tags/bts/")
    assert page["X-Page-Cache"] == "member-hit"
    tokens = TOKEN.findall(page.content.decode())
    assert len(tokens) == 2  # the follow button and the account menu's "log out"

    followed = reader.post("/tags/bts/suivre/", {"following": "1", "csrfmiddlewaretoken": tokens[0]})

    assert followed.status_code == 303
    assert queries.tag_follow_state(readers[1], "bts") == (1, True)


def test_following_a_tag_shows_at_once_to_the_follower_and_in_everyone_s_count(forum, readers):
    pages = [signed_in(reader) for reader in readers]
    for page in pages:
        page.get("/tags/bts/")
    pages[0].post("/tags/bts/suivre/", {"following": "1"})

    follower = pages[0].get("/tags/bts/").content.decode()
    other = pages[1].get("/tags/bts/")

    assert "Ne plus suivre" in follower
    assert other["X-Page-Cache"] == "member-miss"  # the count changed: a new entry
    assert "Ne plus suivre" not in other.content.decode()
    assert "1 abonné" in follower
    assert "1 abonné" in other.content.decode()


def test_a_new_question_and_a_hidden_one_show_at_once(forum, readers, other_student, moderator):
    reader = signed_in(readers[0])
    reader.get("/")
    assert reader.get("/")["X-Page-Cache"] == "member-hit"

    newest = make_question(author=other_student, title="Combien de jours d’école par mois en BTS MCO ?")
    assert newest.title in reader.get("/").content.decode()

    hide_post(moderator=moderator, post=newest, clause=CharterClause.OFF_TOPIC)
    assert newest.title not in reader.get("/").content.decode()


def test_the_account_menu_is_the_reader_s_own_with_their_unread_count(forum, readers):
    signed_in(readers[0]).get("/")
    reader = signed_in(readers[1])
    assert 'data-notification-count hidden aria-label="0 notification non lue">0<' in reader.get("/").content.decode()

    Notification.objects.create(
        recipient=readers[1], kind=NotificationKind.ANSWER_ON_MY_QUESTION, group_key="test", question=forum
    )
    page = reader.get("/")

    assert page["X-Page-Cache"] == "member-hit"
    assert 'data-notification-count aria-label="1 notification non lue">1<' in page.content.decode()


def test_a_member_s_hit_asks_the_database_for_their_session_themselves_and_the_page_s_version(
    forum, readers, django_assert_num_queries
):
    signed_in(readers[0]).get("/")
    reader = signed_in(readers[1])
    Notification.objects.create(
        recipient=readers[1], kind=NotificationKind.ANSWER_ON_MY_QUESTION, group_key="test", question=forum
    )
    reader.get("/")

    # The member and their unread count come with the session, the menu with
    # the page (config/session_store.py): the session and the page's version.
    with django_assert_num_queries(2):
        page = reader.get("/")

    assert page["X-Page-Cache"] == "member-hit"
    assert 'data-notification-count aria-label="1 notification non lue">1<' in page.content.decode()


def held_question(author):
    question = make_question(author=author, title="Ma question encore en attente de modération")
    question.visibility = Visibility.PENDING
    question.save(update_fields=["visibility"])
    return question


def discreet_question(author):
    question = make_question(author=author, title="Question discrète sur mon entreprise")
    question.discreet_everywhere = True
    question.save(update_fields=["discreet_everywhere"])
    return question


def badged(user):
    make_badge(user=user, organisation_name="Banque Exemple")


def suspended(user):
    user.suspended_until = timezone.now() + timedelta(days=3)
    user.save(update_fields=["suspended_until"])


def warned(user):
    user.unseen_sanctions = 1
    user.save(update_fields=["unseen_sanctions"])


@pytest.mark.parametrize(
    "make_different",
    [held_question, discreet_question, suspended, warned, badged],
    ids=["held question", "discreet question", "suspended", "unread warning", "verified badge"],
)
def test_a_member_whose_lists_differ_is_rendered_for_themselves(make_different, forum, readers):
    """And what only they see never reaches the others' shared page."""
    different = readers[2]
    own = make_different(different)
    signed_in(readers[0]).get("/")

    page = signed_in(different).get("/")

    assert page.get("X-Page-Cache") is None
    if own is not None and own.visibility == Visibility.PENDING:
        assert own.title in page.content.decode()
        assert own.title not in signed_in(readers[1]).get("/").content.decode()


def test_moderators_are_rendered_for_themselves(forum, readers, moderator):
    signed_in(readers[0]).get("/")
    page = signed_in(moderator).get("/")
    assert page.get("X-Page-Cache") is None
    assert "File de modération" in page.content.decode()


def test_a_search_finds_a_member_s_held_question_for_them_alone(forum, readers):
    """With a filter, a search reads the questions the searcher may see: a
    member with a held question is rendered for themselves (their lists
    differ), and their question never reaches the shared copy."""
    url = "/recherche/?q=attente+moderation&tag=bts"
    own = held_question(readers[2])
    signed_in(readers[0]).get(url)

    theirs = signed_in(readers[2]).get(url)
    shared = signed_in(readers[1]).get(url)

    link = f'href="/questions/{own.pk}/'  # the title is highlighted in the results
    assert theirs.get("X-Page-Cache") is None
    assert link in theirs.content.decode()
    assert shared["X-Page-Cache"] == "member-hit"
    assert link not in shared.content.decode()


def test_a_member_s_held_answer_is_not_in_any_search(forum, readers, other_student):
    """Searches find published answers only (moderators excepted): a member
    whose answer waits for a moderator reads the shared copy, as a fresh
    render would show it to them."""
    answer = make_answer(author=readers[2], question=forum, body="Mon avis sur le contrat BTS : prévoir la rupture.")
    answer.visibility = Visibility.PENDING
    answer.save(update_fields=["visibility"])
    url = "/recherche/?q=rupture"
    signed_in(readers[0]).get(url)

    shared = signed_in(readers[2]).get(url)
    fresh = rendered_fresh(signed_in(readers[2]), url)

    assert shared["X-Page-Cache"] == "member-hit"
    assert without_tokens(shared.content.decode()) == without_tokens(fresh.content.decode())
    assert "prévoir la rupture" not in shared.content.decode()
