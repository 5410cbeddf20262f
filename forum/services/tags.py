"""Tag pages: what moderators write about a tag's subject."""

from django.db import transaction
from django.utils.translation import gettext as _
from taggit.models import Tag

from forum import permissions
from forum.models import TagDescription, User
from forum.services import audit
from forum.validation import raise_if, strip_controls

# Long enough for two or three sentences and a pointer; the tag page is a
# list of questions first.
TAG_DESCRIPTION_MAX = 600


def set_tag_description(*, moderator: User, tag: Tag, text: str) -> TagDescription:
    """Set (or clear, with "") the description of a tag's page. A moderation
    decision like any other: audit-logged with the text before and after."""
    permissions.check_can_moderate(moderator)
    errors: dict[str, list[str]] = {}
    cleaned = strip_controls(text if isinstance(text, str) else "").strip()
    if len(cleaned) > TAG_DESCRIPTION_MAX:
        errors["description"] = [
            _("The description is too long: at most %(max)d characters.") % {"max": TAG_DESCRIPTION_MAX}
        ]
    raise_if(errors)

    with transaction.atomic():
        description, _created = TagDescription.objects.select_for_update().get_or_create(tag=tag)
        before = description.text
        if before == cleaned:
            return description
        description.text = cleaned
        description.updated_by = moderator
        description.save(update_fields=["text", "updated_by", "updated_at"])
        audit.record(
            actor=moderator,
            action="tag.described",
            target=tag,
            before={"description": before},
            after={"description": cleaned},
        )
    return description
