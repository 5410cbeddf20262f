"""Community moderation in real browsers: three students report an insulting
answer, it disappears live for a fourth reader, it appears live in the review
queue of `demo-mod`, who hides it with a charter clause and a note, and its
author reads why on the thread."""

import pytest
from django.utils import timezone

from forum.models import Answer, AuditLog, Visibility
from tests.factories import make_answer, make_moderator, make_question, make_user
from tests.support.browser import in_another_thread, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.server]

PHONE = {"width": 390, "height": 844}
INSULT = "Franchement ta question est débile, cherche un peu tout seul au lieu de nous faire perdre notre temps."
NOTE = "Les moqueries découragent celles et ceux qui osent demander. Reformule avec bienveillance."


@pytest.fixture
def server(live_server_process):
    # The shared server fixture (tests/support/fixtures.py), under this module's name.
    return live_server_process


@pytest.fixture
def browser(chromium):
    # One Chromium for the whole module (tests/support/fixtures.py).
    return chromium


@pytest.fixture
def scene(server):
    asker = make_user(username="ines", display_name="Inès")
    troll = make_user(username="kevin", display_name="Kévin")
    question = make_question(author=asker, title="Comment convaincre une PME de me prendre en alternance ?")
    insult = make_answer(author=troll, question=question, body=INSULT)
    kind = make_answer(
        author=make_user(username="sarah", display_name="Sarah"),
        question=question,
        body="Présente-leur les aides à l'embauche d'un alternant : pour une PME, c'est un vrai argument.",
    )
    people = {
        name: session_cookie(make_user(username=name, display_name=name.title()), server.url)
        for name in ("lea", "hugo", "nina", "watcher")
    }
    people["troll"] = session_cookie(troll, server.url)
    people["demo-mod"] = session_cookie(make_moderator(username="demo-mod", display_name="Modération"), server.url)
    return {"people": people, "question": question, "insult": insult, "kind": kind}


def open_as(browser, cookie: dict, url: str):
    # English pages: the assertions read the msgids, which stay put when the
    # French translations are written.
    context = browser.new_context(viewport=PHONE, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    return page


def report(page, answer_id: int) -> None:
    page.locator(f"#answer-{answer_id} [data-flag-link]").click()
    page.wait_for_load_state()
    page.check("input[name=reason][value=harassment]")
    page.fill("textarea[name=text]", "Moquerie envers la personne qui demande.")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "Thank you: the moderators will look at this post." in page.content()


def test_three_reports_hide_an_insult_live_and_a_moderator_explains_the_decision(server, scene, browser):
    people, insult = scene["people"], scene["insult"]
    thread_url = f"{server.url}{scene['question'].get_absolute_url()}"

    watcher = open_as(browser, people["watcher"], thread_url)
    watcher.wait_for_selector("body[data-live-state=live]")
    watcher.evaluate("window.sameDocument = true")
    assert watcher.locator(f"#answer-{insult.pk}").is_visible()
    assert watcher.locator("[data-answer-count]").first.inner_text() == "2"

    moderator = open_as(browser, people["demo-mod"], f"{server.url}/moderation/")
    moderator.wait_for_selector("body[data-live-state=live]")
    moderator.evaluate("window.sameDocument = true")
    assert moderator.locator("[data-review-item]").count() == 0

    for name in ("lea", "hugo"):
        report(open_as(browser, people[name], thread_url), insult.pk)
    # Two reports: still there for everyone, already in the queue.
    assert watcher.locator(f"#answer-{insult.pk}").is_visible()
    report(open_as(browser, people["nina"], thread_url), insult.pk)

    # The third report hides it: gone for the reader, without a reload.
    watcher.locator(f"#answer-{insult.pk}").wait_for(state="detached")
    assert watcher.evaluate("window.sameDocument") is True
    assert watcher.locator(f"#answer-{scene['kind'].pk}").is_visible()
    assert watcher.locator("[data-answer-count]").first.inner_text() == "1"

    # It reached demo-mod's queue live too, with the reports and their reasons.
    item = moderator.locator("[data-review-item]").first
    item.wait_for()
    assert moderator.evaluate("window.sameDocument") is True
    assert INSULT[:40] in item.inner_text()
    assert "Moquerie envers la personne qui demande." in item.inner_text()
    assert item.locator(".flag").count() == 3

    # demo-mod hides it with a clause and a note.
    item.locator("details[data-decision=hide] > summary").click()
    item.locator("select[name=clause]").select_option("respect")
    item.locator("textarea[name=note]").fill(NOTE)
    item.locator("details[data-decision=hide] button[type=submit]").click()
    moderator.wait_for_load_state()
    assert "Hidden: its author sees the clause and your note." in moderator.content()

    hidden = in_another_thread(lambda: Answer.objects.get(pk=insult.pk))
    assert hidden.visibility == Visibility.HIDDEN
    actions = in_another_thread(lambda: list(AuditLog.objects.order_by("id").values_list("action", flat=True)))
    assert actions == ["post.hidden_pending_review", "review.hide"]

    # Its author reads the reason on the thread, and may appeal.
    author = open_as(browser, people["troll"], thread_url)
    notice = author.locator(f"#answer-{insult.pk} [data-moderation-status=hidden]")
    assert "Be respectful: no insults, mockery or harassment." in notice.inner_text()
    assert NOTE in notice.inner_text()
    assert notice.locator("a", has_text="Ask for a second review").is_visible()
    # Everyone else still does not see it.
    watcher.reload()
    assert watcher.locator(f"#answer-{insult.pk}").count() == 0


def test_a_moderator_works_the_queue_with_the_keyboard(server, browser):
    def held_answers():
        question = make_question(author=make_user(username="asker"))
        answers = [
            make_answer(
                author=make_user(date_joined=timezone.now()),
                question=question,
                body=f"Première réponse d'un nouveau membre, numéro {n} : regarde les offres du CFA.",
            )
            for n in range(3)
        ]
        moderator = make_moderator(username="demo-mod")
        return answers, session_cookie(moderator, server.url)

    answers, cookie = in_another_thread(held_answers)
    queue = open_as(browser, cookie, f"{server.url}/moderation/")
    assert queue.locator("[data-review-item]").count() == 3

    # j focuses the first item, a approves it.
    queue.keyboard.press("j")
    assert queue.evaluate("document.activeElement.dataset.reviewItem") is not None
    with queue.expect_navigation():
        queue.keyboard.press("a")
    assert "Approved: the post is published." in queue.content()
    assert queue.locator("[data-review-item]").count() == 2

    # x selects, then the bulk bar approves the selection.
    queue.keyboard.press("j")
    queue.keyboard.press("x")
    queue.keyboard.press("j")
    queue.keyboard.press("x")
    with queue.expect_navigation():
        queue.locator("#bulk-form button[value=approve]").click()
    assert "2 of 2 items decided." in queue.content()
    visibilities = in_another_thread(
        lambda: set(Answer.objects.filter(pk__in=[a.pk for a in answers]).values_list("visibility", flat=True))
    )
    assert visibilities == {Visibility.PUBLISHED}
