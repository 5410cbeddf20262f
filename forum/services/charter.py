"""The member's side of the charter's teaching: putting the composer hints
away ("Compris"). What the hints are, and when they show, is read in
`forum.charter`."""

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.exceptions import NotAllowed
from forum.models import CharterHintsDismissal, User


def dismiss_hints(*, member: User) -> CharterHintsDismissal:
    """Stored on the server so the hints stay away on every device. Saying it
    again moves the date: a post hidden before it no longer brings them back."""
    if not getattr(member, "is_authenticated", False) or not member.is_active:
        raise NotAllowed(_("Log in to take part."))
    dismissal, _created = CharterHintsDismissal.objects.update_or_create(
        user=member, defaults={"dismissed_at": timezone.now()}
    )
    return dismissal
