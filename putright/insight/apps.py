from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "putright.insight"
    verbose_name = "Insight: measures, reports, self-assessment and learning"
