from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_charter_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('charter.report_verified', 'The secretariat verified a progress report of your organisation'), ('charter.evidence_requested', 'The secretariat asks for more evidence for a progress report of your organisation'), ('charter.report_due', 'A progress report on a pledge of your organisation is due soon'), ('deployments.deployment_claimed', 'A deployment names your organisation as its agency'), ('deployments.deployment_confirmed', 'A deployment you recorded was confirmed'), ('deployments.deployment_disputed', 'A deployment of your organisation or that you recorded was disputed'), ('review.application_changed', 'An application of your organisation moved on'), ('review.application_reminder', 'An application of your organisation needs an answer soon'), ('review.assigned', 'An application was given to you to review')], max_length=60),
        ),
        migrations.AlterField(
            model_name='notificationpreference',
            name='kind',
            field=models.CharField(choices=[('orgs.membership_requested', 'Someone asks to act for an organisation you administer'), ('orgs.membership_decided', 'Your request to act for an organisation was decided'), ('tokens.token_created', 'An API token was created for your account'), ('charter.report_verified', 'The secretariat verified a progress report of your organisation'), ('charter.evidence_requested', 'The secretariat asks for more evidence for a progress report of your organisation'), ('charter.report_due', 'A progress report on a pledge of your organisation is due soon'), ('deployments.deployment_claimed', 'A deployment names your organisation as its agency'), ('deployments.deployment_confirmed', 'A deployment you recorded was confirmed'), ('deployments.deployment_disputed', 'A deployment of your organisation or that you recorded was disputed'), ('review.application_changed', 'An application of your organisation moved on'), ('review.application_reminder', 'An application of your organisation needs an answer soon'), ('review.assigned', 'An application was given to you to review')], max_length=60),
        ),
    ]
