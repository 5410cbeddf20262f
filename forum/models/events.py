from django.db import models
from django.utils import timezone


class Event(models.Model):
    """The durable log behind the websocket stream.

    A row is written in the same transaction as the change it announces, and its
    id is the cursor clients resume from: what the channel layer drops (it does,
    silently, under load) is fetched again from here on reconnect.
    """

    class Audience(models.TextChoices):
        PUBLIC = "public"
        # The author of the post concerned and moderators only (held posts).
        RESTRICTED = "restricted"
        # Moderators only (review queue).
        MODERATORS = "moderators"
        # One member only (private notifications, `user:<id>` topics).
        PRIVATE = "private"

    topic = models.CharField(max_length=80)
    name = models.CharField(max_length=60)
    payload = models.JSONField()
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.PUBLIC)
    # With RESTRICTED or PRIVATE: the one member (besides moderators, for
    # RESTRICTED) who may receive it.
    recipient_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The request that published it (config.request_id): to follow a change
    # from the proxy's log to the events it caused. Empty outside a request.
    request_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["topic", "id"], name="event_topic_cursor_idx")]

    def __str__(self) -> str:
        return f"{self.id} {self.topic} {self.name}"
