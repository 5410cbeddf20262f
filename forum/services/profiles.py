from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import permissions
from forum.models import User, UserRole
from forum.services import audit, personal_data
from forum.validation import raise_if

PROFILE_LIMITS = {"display_name": 60, "school": 120, "region": 60, "bio": 1000}


def _personal_data_refusal(value: str) -> str | None:
    """A profile is public and never reviewed: contact details are refused, not queued."""
    found = personal_data.find_personal_data(value, markdown=False)
    if not found:
        return None
    return _("Profiles are public: remove %(found)s.") % {"found": personal_data.describe(found)}


def update_profile(
    *,
    user: User,
    display_name: str | None = None,
    role: str | None = None,
    school: str | None = None,
    region: str | None = None,
    bio: str | None = None,
) -> User:
    """Fields left as None keep their value. A suspended member may not change
    their public profile either: a new name or bio is a way to post."""
    permissions.check_can_participate(user)
    errors: dict[str, list[str]] = {}
    values = {"display_name": display_name, "school": school, "region": region, "bio": bio}
    changed = []
    for field, value in values.items():
        if value is None:
            continue
        if not isinstance(value, str):
            errors.setdefault(field, []).append(_("Enter text."))
            continue
        value = value.strip() if field == "bio" else " ".join(value.split())
        if len(value) > PROFILE_LIMITS[field]:
            errors.setdefault(field, []).append(_("At most %(max)d characters.") % {"max": PROFILE_LIMITS[field]})
            continue
        if value != getattr(user, field):
            # Everything shown next to a name must not pass for a badge or for
            # someone else, nor publish contact details (checked on change
            # only, so an organisation created later does not block other edits).
            refusal = permissions.name_refusal(user, value, field=field) or _personal_data_refusal(value)
            if refusal:
                errors.setdefault(field, []).append(refusal)
                continue
        setattr(user, field, value)
        changed.append(field)
    if role is not None:
        if role not in UserRole.values:
            errors.setdefault("role", []).append(_("Choose one of the proposed profiles."))
        else:
            user.role = role
            changed.append("role")
    raise_if(errors)
    if changed:
        user.save(update_fields=changed)
    return user


def complete_signup(
    *, user: User, display_name: str, role: str, school: str, region: str, charter_accepted: bool
) -> User:
    if not charter_accepted:
        raise_if({"charter": [_("You must accept the community charter to join.")]})
    user.charter_accepted_at = timezone.now()
    user.save(update_fields=["charter_accepted_at"])
    return update_profile(user=user, display_name=display_name, role=role, school=school, region=region)


def review_names_after_badge_loss(*, user: User, actor: User | None, reason: str) -> list[str]:
    """A name allowed while a badge was held ("Julie, RH Banque Horizon") is
    checked again under the rules for members without that badge when the
    badge is revoked or expires. A name that no longer passes is reset (the
    display name falls back to the username, which passed the rule at
    sign-up) and the reset is written to the audit log, where moderators see
    it. Resetting rather than queueing: a moderator's review would leave the
    false claim online until then. Call inside the revoking transaction.
    Returns the fields reset."""
    reset = [
        field
        for field in ("display_name", "school", "region")
        if permissions.name_refusal(user, getattr(user, field), field=field)
    ]
    if not reset:
        return []
    before = {field: getattr(user, field) for field in reset}
    for field in reset:
        setattr(user, field, "")
    with transaction.atomic():
        user.save(update_fields=reset)
        audit.record(actor=actor, action="profile.names_reset", target=user, reason=reason, before=before, after={})
    return reset
