"""Usernames as a reader sees them, unique (forum.confusables.compact_key).

Added nullable without the unique index, filled, then made unique: accounts
whose key collides with an older account's keep a null key (the oldest keeps
the name) and are listed in the migration's output for moderators to review.
"""

import logging

from django.db import migrations, models

logger = logging.getLogger(__name__)


def fill_username_keys(apps, schema_editor):
    from forum.confusables import compact_key

    User = apps.get_model("forum", "User")
    seen: set[str] = set()
    for user in User.objects.order_by("date_joined", "pk").only("pk", "username").iterator():
        value = compact_key(user.username) or None
        if value in seen:
            logger.warning("Username %r looks like an older account's; left without a key for review.", user.username)
            continue
        if value:
            seen.add(value)
            User.objects.filter(pk=user.pk).update(username_key=value)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=300, null=True),
        ),
        migrations.RunPython(fill_username_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=300, null=True, unique=True),
        ),
    ]
