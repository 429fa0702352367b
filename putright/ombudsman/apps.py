from django.apps import AppConfig


class OmbudsmanConfig(AppConfig):
    name = "putright.ombudsman"
    verbose_name = "Ombudsman casework"

    def ready(self) -> None:
        # A referral recorded on the complaint opens (or joins) its case: complaints never imports us.
        from putright.ombudsman import reactions

        reactions.register()
