# Flags, review queue, sanctions, thread tools and appeals (issue 6).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_organisations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='answer',
            name='moderated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='answer',
            name='moderation_note',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='answer',
            name='moderation_reason',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='question',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='duplicates', to='forum.question'),
        ),
        migrations.AddField(
            model_name='question',
            name='moderated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='question',
            name='moderation_note',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='question',
            name='moderation_reason',
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name='question',
            name='pinned_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name='Flag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('spam', 'Spam or advertising'), ('harassment', 'Harassment or insult'), ('personal_data', 'Personal data exposed'), ('off_topic', 'Off-topic'), ('misleading', 'Misleading information'), ('other', 'Other')], max_length=20, verbose_name='reason')),
                ('text', models.TextField(blank=True, max_length=500, verbose_name='details')),
                ('weight', models.FloatField(default=1.0)),
                ('status', models.CharField(choices=[('open', 'Open'), ('upheld', 'Upheld'), ('rejected', 'Rejected')], default='open', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='forum.answer')),
                ('flagger', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='flags_raised', to=settings.AUTH_USER_MODEL)),
                ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='forum.question')),
            ],
            options={
                'verbose_name': 'flag',
                'verbose_name_plural': 'flags',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['flagger', 'status'], name='flag_flagger_status_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('question__isnull', True)), _connector='OR'), name='flag_on_exactly_one_post'), models.UniqueConstraint(condition=models.Q(('question__isnull', False)), fields=('question', 'flagger'), name='one_flag_per_question'), models.UniqueConstraint(condition=models.Q(('answer__isnull', False)), fields=('answer', 'flagger'), name='one_flag_per_answer')],
            },
        ),
        migrations.CreateModel(
            name='ReviewItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reasons', models.JSONField(default=list)),
                ('is_appeal', models.BooleanField(default=False)),
                ('appeal_text', models.TextField(blank=True)),
                ('details', models.JSONField(blank=True, default=dict)),
                ('status', models.CharField(choices=[('open', 'Waiting for review'), ('decided', 'Decided')], default='open', max_length=10)),
                ('decision', models.CharField(blank=True, choices=[('approve', 'Approve'), ('hide', 'Hide'), ('edit_approve', 'Edit and approve'), ('restore', 'Restore')], max_length=15)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('clause', models.CharField(blank=True, choices=[('respect', 'Be respectful: no insults, mockery or harassment.'), ('personal_data', "Protect privacy: no personal data (yours or someone else's)."), ('spam', 'No spam, advertising or repeated messages.'), ('off_topic', 'Stay on topic: work-study, training and jobs.'), ('misleading', 'No misleading information about contracts, pay or rights.'), ('other', 'Other breach of the community charter.')], max_length=20)),
                ('note', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('answer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='review_items', to='forum.answer')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_items', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('question', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='review_items', to='forum.question')),
            ],
            options={
                'verbose_name': 'review item',
                'verbose_name_plural': 'review items',
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='review_queue_idx'), models.Index(fields=['author', 'status'], name='review_author_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('answer__isnull', True), ('question__isnull', False)), models.Q(('answer__isnull', False), ('question__isnull', True)), _connector='OR'), name='review_on_exactly_one_post'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('question',), name='one_open_review_per_question'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('answer',), name='one_open_review_per_answer')],
            },
        ),
        migrations.CreateModel(
            name='Sanction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('warning', 'Warning'), ('suspension', 'Suspension'), ('ban', 'Ban')], max_length=12)),
                ('clause', models.CharField(choices=[('respect', 'Be respectful: no insults, mockery or harassment.'), ('personal_data', "Protect privacy: no personal data (yours or someone else's)."), ('spam', 'No spam, advertising or repeated messages.'), ('off_topic', 'Stay on topic: work-study, training and jobs.'), ('misleading', 'No misleading information about contracts, pay or rights.'), ('other', 'Other breach of the community charter.')], max_length=20, verbose_name='charter clause')),
                ('message', models.TextField(blank=True, verbose_name='message to the member')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ends_at', models.DateTimeField(blank=True, null=True)),
                ('seen_at', models.DateTimeField(blank=True, null=True)),
                ('lifted_at', models.DateTimeField(blank=True, null=True)),
                ('issued_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lifted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sanctions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'sanction',
                'verbose_name_plural': 'sanctions',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', 'kind', 'created_at'], name='sanction_user_idx')],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='unseen_sanctions',
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
