from typing import Any

from django.apps import AppConfig


def _after_sweep(sender: Any, **kwargs: Any) -> None:
    from putright.insight import jobs

    jobs.expire_old_files()


class InsightConfig(AppConfig):
    name = "putright.insight"
    verbose_name = "Insight: measures, reports, self-assessment and learning"

    def ready(self) -> None:
        # Built report files are deleted 7 days after they were built, by the worker's sweep
        # (correspondence, below us) as well as by every request for a report.
        from putright.correspondence.sweep import swept

        swept.connect(_after_sweep, dispatch_uid="insight-expire-report-files")
