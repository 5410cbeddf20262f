"""The demo organisations: a bank, a retailer and a CFA, with demo-hr verified
as HR at the bank and a few other verified members; a second run adds nothing."""

from forum.demo.organisations import seed_organisations
from forum.demo.steps import STEPS, SeedContext, seed_members
from forum.models import Badge, Organisation
from forum.presenters import badges_for


def seed(ctx: SeedContext) -> None:
    seed_members(ctx)
    seed_organisations(ctx)


def test_the_demo_has_a_bank_a_retailer_and_a_cfa_with_verified_members(db):
    ctx = SeedContext(password="demo-password-42")
    seed(ctx)

    assert Organisation.objects.count() >= 3
    assert set(Organisation.objects.values_list("kind", flat=True)) == {"company", "school"}
    assert all(organisation.domains.exists() for organisation in Organisation.objects.all())
    [hr_badge] = badges_for(ctx.member("demo-hr"))
    assert hr_badge["role"] == "hr"
    assert hr_badge["organization"]["slug"] == "banque-horizon"
    assert Badge.objects.active().values("user").distinct().count() >= 4
    assert {b["role"] for b in badges_for(ctx.member("demo-mod"))} == {"moderator"}


def test_seeding_twice_adds_nothing(db):
    seed(SeedContext(password="demo-password-42"))
    counts = (Organisation.objects.count(), Badge.objects.count())
    again = SeedContext(password="demo-password-42")
    seed(again)
    assert (Organisation.objects.count(), Badge.objects.count()) == counts
    assert again.created["organisations"] == again.created["badges"] == 0


def test_organisations_are_seeded_after_members_threads_and_moderation():
    # After every step that writes posts (the search index, rebuilt last, weighs
    # badges); only the discreet thread, which names an organisation to hide
    # from, and the live sessions, whose hosts need a badge, come after them.
    from forum.demo.discreet import seed_discreet_thread
    from forum.demo.live_sessions import seed_live_sessions

    assert STEPS.index(seed_organisations) == len(STEPS) - 4
    assert STEPS[-3:] == [seed_discreet_thread, seed_live_sessions, STEPS[-1]]
    assert STEPS[-1].__name__ == "seed_search_index"
