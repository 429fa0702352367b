from django.apps import AppConfig


class LandlordsConfig(AppConfig):
    name = "putright.landlords"
    verbose_name = "Landlords"
