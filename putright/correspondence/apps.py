from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "putright.correspondence"
    verbose_name = "Correspondence"

    def ready(self) -> None:
        # The letters and emails that follow from complaints' actions (complaints never imports us).
        from putright.correspondence import reactions

        reactions.register()
