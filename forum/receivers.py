"""Signal receivers: each only calls a service (no business logic here).

Connected in `ForumConfig.ready()`. The end of a credential (logout, a new
password) is passed on to `forum.services.tokens`, which revokes what must be
and closes the member's websockets opened with it. A new password is caught at
the model, not through allauth's signals: `manage.py changepassword`, the
admin and scripts set passwords without allauth, and each must end the old
credentials too. After migrations, the site gets its name
back (`manage.py flush` and test-database flushes recreate "example.com").

A member whose lists are anyone's is answered by the HTTP cache from the
anonymous REST lists (forum/http_cache.py); a question of theirs that is held,
hidden or discreet (any save of their question), or a new moderator role,
makes their lists their own again:
the cache forgets what it knew of them (a badge or a change of the member's
row bumps the page generation, which empties the cache anyway). So it does
when they do something a thread or tag page shows of them without an event
on their topic (frontend/views/edge.py): follow, vote, report, post (their
composer's hints count their posts), dismiss the hints, have a post decided;
a tag's follower count is on its page, so a follow bans the tag's pages and
records too.

Writes that change what every page shows without an event of their own (a
member's name, a badge, an organisation, a tag or synonym) bump the page
generation (`forum.page_versions`): catching them at the model, whichever
service or admin form saved them, is what keeps cached pages exact."""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.db.models import signals as model_signals
from django.db.models.signals import post_migrate
from taggit.models import Tag

from forum import events, http_cache, page_versions
from forum.insights import menu as insights_menu
from forum.models import (
    Answer,
    Badge,
    CharterHintsDismissal,
    Flag,
    Organisation,
    Question,
    ReviewItem,
    TagSubscription,
    TagSynonym,
    ThreadSubscription,
    User,
    Vote,
)
from forum.services import login_limits, tokens

SITE_NAME = "Alternance Q&A"


def on_logged_out(sender, request, user, **kwargs) -> None:
    # Sent before the session is flushed: its key is still the one sockets opened with.
    if user is not None and request is not None and hasattr(request, "session"):
        tokens.end_session(
            user=user,
            session_key=request.session.session_key,
            device_token_id=request.session.get(tokens.DEVICE_TOKEN_SESSION_KEY),
        )


def on_user_saved(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    # AbstractBaseUser keeps the raw password in _password from set_password()
    # until its save() ends (post_save runs inside it), and leaves it None when
    # a login only re-hashes the same password with a newer hasher.
    if created or raw or getattr(instance, "_password", None) is None:
        return
    tokens.end_credentials_after_password_change(user=instance)
    login_limits.password_replaced(user=instance)


def on_badge_changed(sender, instance, **kwargs) -> None:
    insights_menu.forget(instance.user_id)


def name_the_site(sender, using="default", **kwargs) -> None:
    """The Sites framework names allauth's emails ("Welcome to Alternance Q&A!"):
    migration 0008 named the site once, but every flush of the tables brings back
    Django's default "example.com", which would then reach members' inboxes."""
    from django.contrib.sites.models import Site

    domain = urlsplit(getattr(settings, "SITE_URL", "")).netloc or "alternance-qa.fr"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"name": SITE_NAME, "domain": domain[:100]}
    )
    Site.objects.clear_cache()


def on_reader_part_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or not http_cache.enabled():
        return
    user_id = getattr(instance, READER_FIELDS[sender])
    topics = [events.user_topic(user_id)] if user_id is not None else []
    if sender is TagSubscription:
        # Deleted with its tag: the tag's deletion empties the cache anyway.
        slugs = Tag.objects.filter(pk=instance.tag_id).values_list("slug", flat=True)
        topics += [events.tag_topic(slug) for slug in slugs]
    http_cache.ban_reader(*topics)


# What a thread or tag page shows of its member reader (frontend/views/edge.py),
# and whose id on each row it is.
READER_FIELDS = {
    Vote: "user_id",
    Flag: "flagger_id",
    ThreadSubscription: "user_id",
    TagSubscription: "user_id",
    Answer: "author_id",
    Question: "author_id",
    CharterHintsDismissal: "user_id",
    ReviewItem: "author_id",
}


def on_groups_changed(sender, instance, action: str, reverse: bool, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    # From the member's side (member.groups.add) or the group's (group.user_set.add).
    for user_id in (pk_set or ()) if reverse else (instance.pk,):
        http_cache.ban_reader(events.user_topic(user_id))


def on_shown_data_saved(sender, update_fields=None, **kwargs) -> None:
    # A login only stamps last_login, which no page shows: not worth emptying every cache.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    page_versions.bump_generation()


# Shown on pages (author blocks, badges, lists, tag pages) and saved without an event.
SHOWN_WITHOUT_EVENTS = (User, Badge, Organisation, Tag, TagSynonym)


def connect() -> None:
    post_migrate.connect(name_the_site, sender=apps.get_app_config("forum"), dispatch_uid="forum.name_the_site")
    for model in SHOWN_WITHOUT_EVENTS:
        for signal in (model_signals.post_save, model_signals.post_delete):
            signal.connect(on_shown_data_saved, sender=model, dispatch_uid=f"forum.pages.{model.__name__}")
    for signal in (model_signals.post_save, model_signals.post_delete):
        signal.connect(on_badge_changed, sender=Badge, dispatch_uid="forum.insights_menu")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="forum.end_web_session")
    model_signals.post_save.connect(on_user_saved, sender=User, dispatch_uid="forum.password_replaced")
    for model in READER_FIELDS:
        for signal in (model_signals.post_save, model_signals.post_delete):
            signal.connect(on_reader_part_changed, sender=model, dispatch_uid=f"forum.edge_reader.{model.__name__}")
    model_signals.m2m_changed.connect(
        on_groups_changed, sender=User.groups.through, dispatch_uid="forum.edge_reader.groups"
    )
