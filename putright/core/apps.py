from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "putright.core"
    verbose_name = "Putright"
