# Organisations, verified badges and verification requests (issue 5).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                ('kind', models.CharField(choices=[('company', 'Company'), ('school', 'School or CFA')], default='company', max_length=10, verbose_name='kind')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('logo_url', models.URLField(blank=True, verbose_name='logo URL')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='short description')),
                ('auto_approve_ambassadors', models.BooleanField(default=False, help_text='A confirmed work email is enough for ambassadors; HR and school staff are always reviewed.', verbose_name='auto-approve ambassadors')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Badge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('hr', 'HR / recruiter'), ('school', 'School or CFA staff'), ('ambassador', 'Employee or apprentice')], max_length=12, verbose_name='role')),
                ('status', models.CharField(choices=[('active', 'Active'), ('expired', 'Expired'), ('revoked', 'Revoked')], default='active', max_length=8, verbose_name='status')),
                ('verified_at', models.DateTimeField(verbose_name='verified at')),
                ('expires_at', models.DateTimeField(verbose_name='expires at')),
                ('reminder_sent_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='badges', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='badges', to='forum.organisation')),
            ],
            options={
                'verbose_name': 'badge',
                'verbose_name_plural': 'badges',
                'ordering': ['-verified_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='OrganisationDomain',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('domain', models.CharField(max_length=253, unique=True, verbose_name='domain')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domains', to='forum.organisation')),
            ],
            options={
                'verbose_name': 'organisation domain',
                'verbose_name_plural': 'organisation domains',
                'ordering': ['domain'],
            },
        ),
        migrations.CreateModel(
            name='QuestionAddressee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('notified_at', models.DateTimeField(blank=True, null=True)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addressees', to='forum.organisation')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addressees', to='forum.question')),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='organisation',
            name='addressed_questions',
            field=models.ManyToManyField(blank=True, related_name='addressed_to', through='forum.QuestionAddressee', to='forum.question'),
        ),
        migrations.CreateModel(
            name='VerificationRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('hr', 'HR / recruiter'), ('school', 'School or CFA staff'), ('ambassador', 'Employee or apprentice')], max_length=12, verbose_name='role')),
                ('work_email', models.EmailField(max_length=254, verbose_name='work email')),
                ('status', models.CharField(choices=[('pending_email', 'Waiting for the work email confirmation'), ('pending_review', 'Waiting for a moderator'), ('approved', 'Approved'), ('refused', 'Refused'), ('cancelled', 'Cancelled')], default='pending_email', max_length=16, verbose_name='status')),
                ('token_hash', models.CharField(blank=True, db_index=True, max_length=64)),
                ('token_expires_at', models.DateTimeField(blank=True, null=True)),
                ('email_sent_at', models.DateTimeField(blank=True, null=True)),
                ('emails_sent', models.PositiveSmallIntegerField(default=0)),
                ('email_confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='verification_requests', to='forum.organisation')),
                ('renews', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='renewals', to='forum.badge')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verification_requests', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'verification request',
                'verbose_name_plural': 'verification requests',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='badge',
            name='request',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.verificationrequest'),
        ),
        migrations.AddConstraint(
            model_name='questionaddressee',
            constraint=models.UniqueConstraint(fields=('question', 'organisation'), name='one_addressee_per_question_and_org'),
        ),
        migrations.AddIndex(
            model_name='verificationrequest',
            index=models.Index(fields=['status', 'email_confirmed_at'], name='verification_queue_idx'),
        ),
        migrations.AddConstraint(
            model_name='verificationrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending_email', 'pending_review'])), fields=('user', 'organisation', 'role'), name='one_open_request_per_user_organisation_role'),
        ),
        migrations.AddIndex(
            model_name='badge',
            index=models.Index(fields=['user', 'status', 'expires_at'], name='badge_user_active_idx'),
        ),
        migrations.AddIndex(
            model_name='badge',
            index=models.Index(fields=['organisation', 'status', 'expires_at'], name='badge_org_active_idx'),
        ),
        migrations.AddConstraint(
            model_name='badge',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('user', 'organisation', 'role'), name='one_active_badge_per_user_organisation_role'),
        ),
    ]
