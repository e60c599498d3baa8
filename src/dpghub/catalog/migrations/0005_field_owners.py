import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_search_terms'),
    ]

    operations = [
        migrations.CreateModel(
            name='GoodFieldOwner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40)),
                ('owner', models.CharField(choices=[('source', 'The imported source'), ('review', "DPG Hub's review workflow"), ('edit', 'An edit in DPG Hub')], max_length=10)),
                ('since', models.DateTimeField()),
                ('good', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='field_owners', to='catalog.good')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('good', 'field'), name='catalog_one_owner_per_field')],
            },
        ),
    ]
