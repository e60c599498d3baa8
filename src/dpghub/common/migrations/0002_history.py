import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def people_pseudonymous(apps, schema_editor):
    """Rows written by a person before history existed named them (str(user)); keep a pseudonym instead.

    The pseudonym rule is frozen here as it stands today (dpghub.common.history.person_pseudonym).
    """
    Activity = apps.get_model("common", "Activity")
    for row in Activity.objects.filter(actor__isnull=False).only("id", "actor_id"):
        digest = hmac.new(settings.SECRET_KEY.encode(), f"person:{row.actor_id}".encode(), hashlib.sha256).hexdigest()
        Activity.objects.filter(pk=row.pk).update(actor_kind="person", actor_label=f"person-{digest[:12]}")


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='activity',
            name='actor_kind',
            field=models.CharField(choices=[('person', 'Person'), ('token', 'API token'), ('system', 'System job'), ('anonymous', 'Anonymous visitor')], default='system', max_length=10),
        ),
        migrations.AddField(
            model_name='activity',
            name='changes',
            field=models.JSONField(blank=True, default=dict, help_text='{field: {before, after}}'),
        ),
        migrations.AddField(
            model_name='activity',
            name='organisation_id',
            field=models.BigIntegerField(blank=True, db_index=True, help_text='the organisation acted for, if any', null=True),
        ),
        migrations.AddField(
            model_name='activity',
            name='organisation_label',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='activity',
            name='token_id',
            field=models.BigIntegerField(blank=True, help_text='the API token used, if any', null=True),
        ),
        migrations.AlterField(
            model_name='activity',
            name='actor_label',
            field=models.CharField(help_text="'system:<job>' or a person's pseudonym", max_length=200),
        ),
        migrations.RunPython(people_pseudonymous, migrations.RunPython.noop),
    ]
