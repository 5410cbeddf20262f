from django.utils import timezone
from django.utils.translation import gettext as _

from forum import permissions
from forum.models import User, UserRole
from forum.validation import raise_if

PROFILE_LIMITS = {"display_name": 60, "school": 120, "region": 60, "bio": 1000}


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
        if field == "display_name" and value != user.display_name:
            # A name must not pass for a verified badge (checked on change only,
            # so an organisation created later does not block other edits).
            refusal = permissions.display_name_refusal(user, value)
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
