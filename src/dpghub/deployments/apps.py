from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "dpghub.deployments"
    label = "deployments"
    verbose_name = _("Deployments")
    default_auto_field = "django.db.models.BigAutoField"
