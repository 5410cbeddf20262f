"""Pruning the event log behind the websocket stream.

The log only serves catch-up: a client that was away for longer than the
retention horizon reloads the resource instead (`resync`), so older rows are
dead weight. The newest pruned cursor is recorded (one row on a topic nobody can
subscribe to, `forum.replay.HORIZON_TOPIC`) so that a client resuming from a
pruned cursor is told `resync` rather than silently missing what was deleted."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forum.models import Event
from forum.replay import HORIZON_EVENT, HORIZON_TOPIC, pruned_through

DEFAULT_RETENTION = timedelta(days=30)
BATCH_SIZE = 5000


def prune_events(*, older_than: timedelta = DEFAULT_RETENTION) -> int:
    """Delete events created before now - `older_than`; returns how many.
    Deletes in batches, each in its own short transaction, so a large first
    run does not hold a long lock on the table writers append to."""
    if older_than < timedelta(0):
        raise ValueError("older_than must not be negative")
    cutoff = timezone.now() - older_than
    old = Event.objects.filter(created_at__lt=cutoff).exclude(topic=HORIZON_TOPIC)
    deleted = 0
    while True:
        ids = list(old.order_by("id").values_list("id", flat=True)[:BATCH_SIZE])
        if not ids:
            return deleted
        with transaction.atomic():
            # The horizon moves first, in the same transaction: a catch-up never
            # sees rows gone without the horizon that explains their absence.
            _record_horizon(max(ids))
            deleted += Event.objects.filter(id__in=ids).delete()[0]


def _record_horizon(through: int) -> None:
    through = max(through, pruned_through())
    updated = Event.objects.filter(topic=HORIZON_TOPIC).update(payload={"pruned_through": through})
    if not updated:
        Event.objects.create(
            topic=HORIZON_TOPIC,
            name=HORIZON_EVENT,
            payload={"pruned_through": through},
            audience=Event.Audience.MODERATORS,
        )
