from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "putright.privacy"
    label = "privacy"
    verbose_name = "Data protection requests"

    def ready(self) -> None:
        # A resident whose processing is restricted (Art. 18) is not sent the satisfaction survey:
        # surveys asks the checks registered with it, and never imports us.
        from putright.privacy import queries
        from putright.surveys import actions as surveys

        surveys.withhold_when(queries.survey_withheld)
