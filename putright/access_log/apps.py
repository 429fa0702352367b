from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "putright.access_log"
    label = "access_log"
    verbose_name = "Who opened sensitive records"
