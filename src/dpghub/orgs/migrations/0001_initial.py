import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('catalog', '0004_search_terms'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('type', models.CharField(choices=[('government', 'Government'), ('private-sector', 'Private sector'), ('foundation', 'Foundation or philanthropy'), ('civil-society', 'Civil society'), ('international-organisation', 'International or UN organisation'), ('academia', 'Academia')], db_index=True, max_length=30, verbose_name='type')),
                ('agency', models.CharField(blank=True, help_text='For a government: the ministry or agency that acts.', max_length=300, verbose_name='ministry or agency')),
                ('country', models.CharField(blank=True, db_index=True, help_text='ISO 3166-1 alpha-2; empty for an international organisation.', max_length=2, verbose_name='country')),
                ('website', models.URLField(blank=True, max_length=500, verbose_name='website')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('catalog_organisations', models.ManyToManyField(blank=True, help_text="The registry's records of this organisation (owners of goods).", related_name='hub_organisations', to='catalog.organisation')),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('admin', 'Administrator'), ('member', 'Member')], default='member', max_length=10)),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('active', 'Active'), ('refused', 'Refused'), ('ended', 'Ended')], db_index=True, default='requested', max_length=10)),
                ('note', models.CharField(blank=True, help_text='Why the person acts for it (optional).', max_length=500)),
                ('requested_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=0)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='orgs.organisation')),
            ],
            options={
                'ordering': ['organisation__name', 'person_id'],
            },
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.UniqueConstraint(fields=('name', 'agency', 'country'), name='orgs_unique_identity'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('person', 'organisation'), name='orgs_one_membership'),
        ),
    ]
