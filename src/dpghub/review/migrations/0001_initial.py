
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0005_field_owners'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveIntegerField(unique=True)),
                ('payload', models.JSONField()),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['seq'],
            },
        ),
        migrations.CreateModel(
            name='Application',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('proposed_name', models.CharField(blank=True, help_text='For a good not yet in the registry.', max_length=300, verbose_name='name of the good')),
                ('standard_version', models.CharField(max_length=20)),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('level-1', 'First-level review'), ('clarification-1', 'Waiting for clarification (first level)'), ('level-2', 'Second-level review'), ('clarification-2', 'Waiting for clarification (second level)'), ('consultation', 'Expert consultation'), ('dpg', 'Digital public good'), ('ineligible', 'Ineligible'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired'), ('archived', 'Archived')], db_index=True, default='draft', max_length=20)),
                ('answers', models.JSONField(blank=True, default=dict, help_text='Per indicator code: {text, links, suggested}.')),
                ('created_on', models.DateField()),
                ('submitted_on', models.DateField(blank=True, null=True)),
                ('state_since', models.DateField(help_text='The day the application entered its state.')),
                ('last_activity_on', models.DateField(help_text='The last day the applicant did something.')),
                ('archive_notice_on', models.DateField(blank=True, null=True)),
                ('paused_days', models.PositiveIntegerField(default=0, help_text='Days spent waiting for clarifications.')),
                ('decided_on', models.DateField(blank=True, null=True)),
                ('expires_on', models.DateField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=0)),
                ('good', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='catalog.good')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='orgs.organisation')),
                ('parent', models.ForeignKey(blank=True, help_text='The application this one renews.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renewals', to='review.application')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'First level'), (2, 'Second level'), (3, 'Expert')])),
                ('assigned_on', models.DateField()),
                ('is_active', models.BooleanField(default=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='review.application')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_assignments', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Clarification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'First level'), (2, 'Second level'), (3, 'Expert')])),
                ('indicators', models.JSONField(blank=True, default=list)),
                ('question', models.TextField()),
                ('answer', models.TextField(blank=True)),
                ('deadline_days', models.PositiveSmallIntegerField(choices=[(15, '15 days'), (30, '30 days'), (45, '45 days')])),
                ('asked_on', models.DateField()),
                ('due_on', models.DateField()),
                ('answered_on', models.DateField(blank=True, null=True)),
                ('reminded_on', models.DateField(blank=True, null=True)),
                ('lapsed_on', models.DateField(blank=True, null=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clarifications', to='review.application')),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('dpg', 'Digital public good'), ('ineligible', 'Ineligible')], max_length=12)),
                ('reasons', models.JSONField(default=dict, help_text='Per indicator code: the public reason.')),
                ('decided_on', models.DateField()),
                ('recognised_on', models.DateField(blank=True, null=True)),
                ('expires_on', models.DateField(blank=True, null=True)),
                ('automatic', models.BooleanField(default=False, help_text='Taken by DPG Hub (an unanswered clarification).')),
                ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='decision', to='review.application')),
            ],
        ),
        migrations.CreateModel(
            name='ExpertConsultation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('indicators', models.JSONField(blank=True, default=list)),
                ('question', models.TextField()),
                ('advice', models.TextField(blank=True)),
                ('asked_on', models.DateField()),
                ('answered_on', models.DateField(blank=True, null=True)),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consultations', to='review.application')),
                ('expert', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='IndicatorVerdict',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'First level'), (2, 'Second level'), (3, 'Expert')])),
                ('indicator', models.CharField(max_length=4)),
                ('verdict', models.CharField(choices=[('pass', 'Pass'), ('fail', 'Fail'), ('not-applicable', 'Not applicable'), ('clarification', 'Clarification needed'), ('consultation', 'Under consultation')], max_length=20)),
                ('notes', models.TextField(blank=True)),
                ('private_notes', models.TextField(blank=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('updated_on', models.DateField()),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verdicts', to='review.application')),
                ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['application_id', 'level', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['state', 'state_since'], name='review_appl_state_20c9f5_idx'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('application', 'level'), name='review_one_active_assignment_per_level'),
        ),
        migrations.AddConstraint(
            model_name='indicatorverdict',
            constraint=models.UniqueConstraint(fields=('application', 'level', 'indicator'), name='review_one_verdict_per_indicator_level'),
        ),
    ]
