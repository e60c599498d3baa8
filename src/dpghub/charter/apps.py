from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "dpghub.charter"
    label = "charter"
    verbose_name = _("Charter framework")
    default_auto_field = "django.db.models.BigAutoField"
