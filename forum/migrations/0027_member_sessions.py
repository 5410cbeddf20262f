"""Sessions with the member's id in a column (forum/models/member_sessions.py),
and every live session of `django_session` copied there with the id its data
names, so that switching the session engine logs nobody out. The old rows
stay where they are (nothing reads them any more); a later migration may
drop them. Reversing drops the new table: sessions made since are lost, and
their members sign in again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 1000


def _member_id(decoder, session_data: str):
    # As Django's store decodes (the same salt as config/session_store.py's,
    # which keeps the class name), without its warning per session: data that
    # no longer verifies (signed with a key since retired) reads as no member.
    from django.contrib.auth import SESSION_KEY
    from django.core import signing

    try:
        data = signing.loads(session_data, salt=decoder.key_salt, serializer=decoder.serializer)
    except Exception:
        return None
    member_id = str(data.get(SESSION_KEY) or "")
    return int(member_id) if member_id.isdigit() else None


def copy_live_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    MemberSession = apps.get_model("forum", "MemberSession")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    decoder = SessionStore()
    alias = schema_editor.connection.alias
    live = Session.objects.using(alias).filter(expire_date__gt=timezone.now()).order_by("session_key")
    batch = []
    for session in live.iterator(chunk_size=BATCH):
        batch.append(
            MemberSession(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
                user_id=_member_id(decoder, session.session_data),
            )
        )
        if len(batch) == BATCH:
            _save(MemberSession, User, alias, batch)
            batch = []
    _save(MemberSession, User, alias, batch)


def _save(MemberSession, User, alias, batch):
    # A session of a member removed since reads as no member.
    existing = set(
        User.objects.using(alias)
        .filter(pk__in={s.user_id for s in batch if s.user_id is not None})
        .values_list("pk", flat=True)
    )
    for session in batch:
        if session.user_id not in existing:
            session.user_id = None
    MemberSession.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0026_username_prefix_index"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberSession",
            fields=[
                (
                    "session_key",
                    models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name="session key"),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "db_table": "forum_member_session",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_live_sessions, migrations.RunPython.noop, elidable=True),
    ]
