"""Live sessions for tests, scheduled through the real service. A session is
scheduled in the future (the service refuses the past); `set_clock` then moves
its times as if the clock had moved, which is what its phase reads."""

from datetime import timedelta

from django.utils import timezone

from forum.models import LiveSession, User
from forum.services import live_sessions
from tests.badge_factories import grant_badge, make_organisation
from tests.factories import make_user


def make_verified_hr(*, moderator: User, username: str = "helene", organisation=None) -> User:
    organisation = organisation or make_organisation(moderator=moderator)
    user = make_user(username=username, display_name=username.title())
    grant_badge(user=user, organisation=organisation, moderator=moderator)
    return user


def make_live_session(
    *,
    organiser: User,
    hosts: list[User] | None = None,
    title: str = "Chat conseil : réussir sa recherche d'alternance",
    starts_in: timedelta = timedelta(hours=1),
    duration: timedelta = timedelta(hours=1),
    tags=("alternance",),
) -> LiveSession:
    starts_at = timezone.now() + starts_in
    return live_sessions.schedule_session(
        organiser=organiser,
        title=title,
        description="Posez vos questions sur la recherche d'entreprise, le CV et l'entretien.",
        starts_at=starts_at,
        ends_at=starts_at + duration,
        hosts=hosts or [organiser],
        tags=list(tags),
    )


def set_clock(session: LiveSession, phase: str) -> LiveSession:
    """Move the session's times so that it is "upcoming", "live" or "closed" now."""
    now = timezone.now()
    starts_at, ends_at = {
        "upcoming": (now + timedelta(hours=1), now + timedelta(hours=2)),
        "live": (now - timedelta(minutes=5), now + timedelta(hours=1)),
        "closed": (now - timedelta(hours=2), now - timedelta(hours=1)),
    }[phase]
    LiveSession.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=ends_at)
    session.refresh_from_db()
    return session
