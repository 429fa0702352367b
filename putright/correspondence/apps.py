from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "putright.correspondence"
    verbose_name = "Correspondence"
