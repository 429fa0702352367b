from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "putright.surveys"
    label = "surveys"
    verbose_name = "Satisfaction surveys"

    def ready(self) -> None:
        # Closing a complaint offers its survey (complaints never imports us: the arrow points one way).
        from putright.surveys import reactions

        reactions.register()
