
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
            name='DeploymentImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('mapmatch', 'Digital Health Map & Match survey (CSV)'), ('dha', 'WHO Digital Health Atlas export (CSV)'), ('digital-square', 'Digital Square implementation counts (CSV)'), ('guidebook', 'Global Goods Guidebook records (JSON)'), ('registry', 'Deployment countries of the DPGA records in the registry')], max_length=20)),
                ('file_name', models.CharField(blank=True, max_length=300)),
                ('file_sha256', models.CharField(blank=True, max_length=64)),
                ('started_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('stats', models.JSONField(default=dict)),
                ('report', models.JSONField(default=dict)),
            ],
            options={
                'ordering': ['-started_at'],
            },
        ),
        migrations.CreateModel(
            name='Deployment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('country', models.CharField(db_index=True, help_text='ISO 3166-1 alpha-2', max_length=2, verbose_name='country')),
                ('agency_name', models.CharField(blank=True, max_length=300, verbose_name='deploying agency (as named by the source)')),
                ('layer', models.CharField(blank=True, choices=[('identity', 'Digital identity'), ('payments', 'Payments'), ('data-exchange', 'Data exchange'), ('registries', 'Registries'), ('consent', 'Consent'), ('information-systems', 'Information systems')], db_index=True, max_length=30, verbose_name='DPI layer')),
                ('sector', models.CharField(blank=True, choices=[('health', 'Health'), ('education', 'Education'), ('agriculture', 'Agriculture'), ('finance', 'Finance'), ('social-protection', 'Social protection'), ('governance', 'Governance and public administration'), ('climate', 'Climate and environment'), ('humanitarian', 'Humanitarian response'), ('other', 'Other')], db_index=True, max_length=30, verbose_name='sector')),
                ('stage', models.CharField(blank=True, choices=[('planned', 'Planned'), ('pilot', 'Pilot'), ('scaling', 'Scaling'), ('national', 'National'), ('decommissioned', 'Decommissioned')], db_index=True, max_length=20, verbose_name='stage')),
                ('scope', models.CharField(blank=True, max_length=500, verbose_name='geographic scope')),
                ('started_on', models.DateField(blank=True, null=True, verbose_name='started on')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='ended on')),
                ('reach', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='reach')),
                ('reach_unit', models.CharField(blank=True, choices=[('people', 'People'), ('institutions', 'Institutions'), ('health-workers', 'Health workers'), ('facilities', 'Facilities')], max_length=20, verbose_name='reach unit')),
                ('reach_as_of', models.DateField(blank=True, null=True, verbose_name='reach as of')),
                ('evidence_urls', models.JSONField(blank=True, default=list, verbose_name='evidence links')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('verification', models.CharField(choices=[('claimed', 'Claimed'), ('verified', 'Verified by the deploying agency'), ('disputed', 'Disputed by the secretariat')], db_index=True, default='claimed', max_length=10)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('disputed_at', models.DateTimeField(blank=True, null=True)),
                ('disputed_reason', models.TextField(blank=True)),
                ('source_kind', models.CharField(choices=[('person', 'A person'), ('import', 'An imported file'), ('registry', "The DPGA registry's records")], default='person', max_length=10)),
                ('source_format', models.CharField(blank=True, choices=[('mapmatch', 'Digital Health Map & Match survey (CSV)'), ('dha', 'WHO Digital Health Atlas export (CSV)'), ('digital-square', 'Digital Square implementation counts (CSV)'), ('guidebook', 'Global Goods Guidebook records (JSON)'), ('registry', 'Deployment countries of the DPGA records in the registry')], max_length=20)),
                ('source_file', models.CharField(blank=True, max_length=300)),
                ('source_row', models.PositiveIntegerField(blank=True, null=True)),
                ('source_key', models.CharField(blank=True, help_text='Format, file and natural key of an imported claim (stable).', max_length=400)),
                ('match_method', models.CharField(blank=True, choices=[('exact', 'Exact name'), ('alias', 'Alias'), ('fuzzy', 'Similar name (fuzzy, with a score)')], max_length=10)),
                ('match_score', models.FloatField(blank=True, null=True)),
                ('match_name', models.CharField(blank=True, help_text="The software's name in the file.", max_length=300)),
                ('is_sample', models.BooleanField(db_index=True, default=False)),
                ('version', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('agency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deployments', to='orgs.organisation', verbose_name='deploying agency')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('good', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deployments', to='catalog.good')),
                ('source_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('import_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deployments', to='deployments.deploymentimportrun')),
            ],
            options={
                'ordering': ['country', 'good__name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='DeploymentPartner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('implementer', 'Implementer or vendor'), ('funder', 'Funder')], max_length=12)),
                ('name', models.CharField(blank=True, help_text='As named by the source, when not registered.', max_length=300)),
                ('deployment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partners', to='deployments.deployment')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deployment_roles', to='orgs.organisation')),
            ],
            options={
                'ordering': ['role', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='deployment',
            constraint=models.UniqueConstraint(condition=models.Q(('source_key', ''), _negated=True), fields=('source_key',), name='deployments_unique_source_key'),
        ),
    ]
