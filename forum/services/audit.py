import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from forum.models import AuditLog


def _plain(value):
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    """Write one audit entry. Call it inside the transaction of the decision,
    so a decision and its trace commit (or roll back) together."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.model_name,
        target_id=target.pk,
        target_repr=str(target)[:200],
        reason=reason or "",
        before=_plain(before),
        after=_plain(after),
    )
