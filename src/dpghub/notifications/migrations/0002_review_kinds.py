
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('review.application_changed', 'An application of your organisation moved on'), ('review.application_reminder', 'An application of your organisation needs an answer soon'), ('review.assigned', 'An application was given to you to review')], max_length=60),
        ),
        migrations.AlterField(
            model_name='notificationpreference',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('review.application_changed', 'An application of your organisation moved on'), ('review.application_reminder', 'An application of your organisation needs an answer soon'), ('review.assigned', 'An application was given to you to review')], max_length=60),
        ),
    ]
