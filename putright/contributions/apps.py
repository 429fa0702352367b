from typing import Any

from django.apps import AppConfig


def _after_sweep(sender: Any, **kwargs: Any) -> None:
    from putright.contributions import reminders

    reminders.daily()


def _after_inbound(sender: Any, **kwargs: Any) -> None:
    from putright.contributions import replies

    replies.attach(kwargs["message"], kwargs["recipients"], trusted=kwargs["trusted"])


class ContributionsConfig(AppConfig):
    name = "putright.contributions"
    label = "contributions"
    verbose_name = "Contractors and requests for information"

    def ready(self) -> None:
        # Correspondence sits below us: it says when the worker has swept and when an email was kept,
        # and we follow on, without correspondence importing this app.
        from putright.correspondence.inbound import message_kept
        from putright.correspondence.sweep import swept

        swept.connect(_after_sweep, dispatch_uid="contributions-reminders")
        message_kept.connect(_after_inbound, dispatch_uid="contributions-replies")
