from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "putright.people"
    verbose_name = "Residents and representatives"
