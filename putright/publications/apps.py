from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "putright.publications"
    verbose_name = "Publications: what the landlord publishes about complaints"
