from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dpghub.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # common.authz reads platform roles through this hook (it imports no domain app).
        from django.contrib.auth import get_user_model

        from dpghub.accounts.models import PlatformRoleGrant
        from dpghub.accounts.selectors import person_platform_roles
        from dpghub.common.authz import platform_roles_source

        def holders_of(role: str):
            return get_user_model().objects.filter(pk__in=PlatformRoleGrant.objects.filter(role=role).values("user_id"))

        platform_roles_source(person_platform_roles, holders_of)
        from dpghub.accounts import exports  # noqa: F401  (registers the other apps' export sections)
