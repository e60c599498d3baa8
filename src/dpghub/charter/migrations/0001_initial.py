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
            name='Endorsement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('endorsed_on', models.DateField(verbose_name='endorsed on')),
                ('statement', models.TextField(blank=True, verbose_name='statement')),
                ('signatory_role', models.CharField(blank=True, help_text='The role of who signed (not their name).', max_length=200, verbose_name='role of the signatory')),
                ('source', models.CharField(blank=True, help_text='Where an imported endorsement came from.', max_length=300)),
                ('is_sample', models.BooleanField(db_index=True, default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('organisation', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='endorsement', to='orgs.organisation')),
            ],
            options={
                'ordering': ['organisation__name'],
            },
        ),
        migrations.CreateModel(
            name='Pledge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ref', models.CharField(help_text="A stable reference (the spreadsheet's ref).", max_length=100, unique=True)),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('types', models.JSONField(default=list, help_text='PledgeType values')),
                ('outcomes', models.JSONField(default=list, help_text='Outcome values')),
                ('countries', models.JSONField(blank=True, default=list, help_text='ISO 3166-1 alpha-2 codes')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], db_index=True, default='draft', max_length=10)),
                ('pledged_on', models.DateField(verbose_name='pledged on')),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                ('source', models.CharField(blank=True, max_length=300)),
                ('is_sample', models.BooleanField(db_index=True, default=False)),
                ('version', models.PositiveIntegerField(default=0, help_text='Raised by each change; an edit names the version it started from.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('endorsement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='charter.endorsement')),
                ('goods', models.ManyToManyField(blank=True, related_name='pledges', to='catalog.good')),
            ],
            options={
                'ordering': ['-pledged_on', 'ref'],
            },
        ),
        migrations.CreateModel(
            name='Rating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ambition', models.CharField(choices=[('unclear', 'Unclear'), ('modest', 'Modest'), ('substantial', 'Substantial')], max_length=20)),
                ('completion', models.CharField(choices=[('no-evidence', 'No evidence'), ('limited', 'Limited'), ('substantial', 'Substantial'), ('complete', 'Complete')], max_length=20)),
                ('reasons', models.TextField()),
                ('rated_on', models.DateField()),
                ('pledge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='charter.pledge')),
                ('rated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-rated_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('metric', models.CharField(max_length=200, verbose_name='metric')),
                ('unit', models.CharField(blank=True, max_length=50, verbose_name='unit')),
                ('currency', models.CharField(blank=True, max_length=3, verbose_name='currency')),
                ('baseline', models.DecimalField(blank=True, decimal_places=2, max_digits=20, null=True, verbose_name='baseline')),
                ('target_value', models.DecimalField(decimal_places=2, max_digits=20, verbose_name='target')),
                ('deadline', models.DateField(blank=True, null=True, verbose_name='deadline')),
                ('pledge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='charter.pledge')),
            ],
            options={
                'ordering': ['pledge_id', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reported_on', models.DateField(verbose_name='as of')),
                ('value', models.DecimalField(decimal_places=2, max_digits=20, verbose_name='value')),
                ('status', models.CharField(choices=[('not-started', 'Not started'), ('on-track', 'On track'), ('at-risk', 'At risk'), ('delayed', 'Delayed'), ('completed', 'Completed'), ('withdrawn', 'Withdrawn')], max_length=20)),
                ('narrative', models.TextField(blank=True, verbose_name='narrative')),
                ('evidence_url', models.URLField(blank=True, max_length=500, verbose_name='evidence')),
                ('verification', models.CharField(choices=[('self-reported', 'Self-reported'), ('verified', 'Verified by the secretariat'), ('more-evidence', 'More evidence requested')], db_index=True, default='self-reported', max_length=20)),
                ('verification_note', models.TextField(blank=True)),
                ('verified_at', models.DateTimeField(blank=True, null=True)),
                ('source', models.CharField(blank=True, max_length=300)),
                ('is_sample', models.BooleanField(db_index=True, default=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='charter.target')),
            ],
            options={
                'ordering': ['target_id', 'reported_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300)),
                ('due_on', models.DateField()),
                ('done_on', models.DateField(blank=True, null=True)),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='charter.target')),
            ],
            options={
                'ordering': ['due_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PledgeCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('type', models.CharField(choices=[('finance', 'Finance'), ('design-share-deploy', 'Design, share and deploy'), ('learn-advocate', 'Learn and advocate')], max_length=30)),
                ('outcome', models.CharField(choices=[('products', 'Products'), ('capacity', 'Capacity'), ('implementation', 'Implementation'), ('safeguards-inclusion', 'Safeguards and inclusion'), ('extended-ecosystem', 'Extended ecosystem')], max_length=30)),
                ('pledge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cells', to='charter.pledge')),
            ],
            options={
                'indexes': [models.Index(fields=['type', 'outcome'], name='charter_ple_type_de9a0d_idx')],
                'constraints': [models.UniqueConstraint(fields=('pledge', 'type', 'outcome'), name='charter_one_cell')],
            },
        ),
        migrations.CreateModel(
            name='PledgeCountry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', models.CharField(db_index=True, max_length=2)),
                ('pledge', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='country_links', to='charter.pledge')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('pledge', 'country'), name='charter_one_country')],
            },
        ),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(fields=('pledge', 'metric'), name='charter_one_metric'),
        ),
        migrations.AddIndex(
            model_name='progressreport',
            index=models.Index(fields=['target', 'reported_on'], name='charter_pro_target__8a5ab3_idx'),
        ),
        migrations.AddConstraint(
            model_name='progressreport',
            constraint=models.UniqueConstraint(fields=('target', 'reported_on'), name='charter_one_report_per_day'),
        ),
    ]
