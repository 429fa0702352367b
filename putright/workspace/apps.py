from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "putright.workspace"
    label = "workspace"
    verbose_name = "Staff workspace"
