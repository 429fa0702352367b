from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "putright.documents"
    label = "documents"
    verbose_name = "Documents"
