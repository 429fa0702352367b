from typing import Any

from django.apps import AppConfig


def _after_sweep(sender: Any, **kwargs: Any) -> None:
    from putright.retention import actions

    actions.daily()


class RetentionConfig(AppConfig):
    name = "putright.retention"
    label = "retention"
    verbose_name = "Retention and anonymisation"

    def ready(self) -> None:
        # The worker's sweep (correspondence, below us) says when it has run; the schedule's daily
        # step follows it, once a day per landlord whatever the sweep's interval.
        from putright.correspondence.sweep import swept

        swept.connect(_after_sweep, dispatch_uid="retention-daily")
