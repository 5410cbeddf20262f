import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# The defaults, editable by moderators afterwards (/moderation/calendrier/).
# Contract signing: an apprenticeship contract may start up to 3 months
# before the training and must be signed at the latest 3 months after it
# starts (Code du travail, L6222-12): with most programmes starting in
# September, July to the end of November.
DEFAULT_WINDOWS = [
    {
        "name_fr": "Signature du contrat",
        "name_en": "Contract signing",
        "kind": "contract_deadline",
        "start_month": 7,
        "start_day": 1,
        "end_month": 11,
        "end_day": 30,
        "tags": ["recherche-entreprise", "candidature", "entretien", "contrat-apprentissage", "contrat-pro"],
        "reminder_tags": ["recherche-entreprise", "candidature"],
        "reminder_days": 14,
    },
    {
        "name_fr": "Rentrée",
        "name_en": "School start",
        "kind": "school_start",
        "start_month": 9,
        "start_day": 1,
        "end_month": 10,
        "end_day": 15,
        "tags": ["recherche-entreprise", "ecole", "cfa", "rythme"],
        "reminder_tags": [],
        "reminder_days": None,
    },
]


def seed(apps, schema_editor):
    CalendarWindow = apps.get_model("forum", "CalendarWindow")
    for window in DEFAULT_WINDOWS:
        CalendarWindow.objects.get_or_create(name_en=window["name_en"], defaults=window)


def unseed(apps, schema_editor):
    # The tables go with the migration's own reversal; nothing else to undo.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0021_dated"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarWindow",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_fr", models.CharField(max_length=80)),
                ("name_en", models.CharField(max_length=80)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("school_start", "School start"),
                            ("contract_deadline", "Contract signing deadline"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                ("start_month", models.PositiveSmallIntegerField()),
                ("start_day", models.PositiveSmallIntegerField()),
                ("end_month", models.PositiveSmallIntegerField()),
                ("end_day", models.PositiveSmallIntegerField()),
                ("tags", models.JSONField(blank=True, default=list)),
                ("reminder_tags", models.JSONField(blank=True, default=list)),
                ("reminder_days", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("enabled", models.BooleanField(default=True)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["start_month", "start_day", "id"],
            },
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("answer_mine", "New answer to my question"),
                    ("answer_followed", "New answer in a thread I follow"),
                    ("answer_verified", "A verified member answered in a thread I follow"),
                    ("accepted", "My answer was accepted"),
                    ("helpful", "My answer was found helpful"),
                    ("mention", "I was mentioned"),
                    ("org_question", "A question addressed to my organisation"),
                    ("tag_question", "A new question in a tag I follow"),
                    ("moderation", "A moderation decision about my content"),
                    ("badge", "My verified badge"),
                    ("live_starting", "A live session I follow is starting"),
                    ("live_changed", "A live session I follow or asked in was moved or cancelled"),
                    ("deadline", "Before a contract deadline: news of my questions"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="CalendarReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("questions", models.JSONField(default=list)),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar_reminders",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "window",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to="forum.calendarwindow"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("user", "window", "year"), name="one_calendar_reminder_per_year")
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
