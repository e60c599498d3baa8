import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account')], max_length=60)),
                ('subject', models.CharField(max_length=200)),
                ('body', models.TextField()),
                ('url', models.CharField(blank=True, help_text='A path on this site, e.g. /orgs/moh-ke/', max_length=500)),
                ('in_site', models.BooleanField(default=True, help_text="Shown in the person's list of notifications")),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('email_status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sent', 'Sent'), ('skipped', "Not sent (the person's choice)"), ('failed', 'Could not be sent')], db_index=True, default='pending', max_length=10)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('email_error', models.CharField(blank=True, max_length=300)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['person', 'in_site', 'read_at'], name='notificatio_person__10ae87_idx')],
            },
        ),
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account')], max_length=60)),
                ('by_email', models.BooleanField(default=True)),
                ('in_site', models.BooleanField(default=True)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('person', 'kind'), name='notifications_one_preference')],
            },
        ),
    ]
