
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('deployments.deployment_claimed', 'A deployment names your organisation as its agency'), ('deployments.deployment_confirmed', 'A deployment you recorded was confirmed'), ('deployments.deployment_disputed', 'A deployment of your organisation or that you recorded was disputed')], max_length=60),
        ),
        migrations.AlterField(
            model_name='notificationpreference',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('deployments.deployment_claimed', 'A deployment names your organisation as its agency'), ('deployments.deployment_confirmed', 'A deployment you recorded was confirmed'), ('deployments.deployment_disputed', 'A deployment of your organisation or that you recorded was disputed')], max_length=60),
        ),
    ]
