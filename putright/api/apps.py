from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "putright.api"
    verbose_name = "API"
