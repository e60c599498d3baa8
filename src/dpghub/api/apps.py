from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dpghub.api"
    label = "api"
