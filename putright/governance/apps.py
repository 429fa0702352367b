from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "putright.governance"
    verbose_name = "Governance: the governing body, the Member Responsible for Complaints, the action plan and notices"
