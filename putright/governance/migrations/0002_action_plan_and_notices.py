"""The self-assessment's action plan and notices of provisions that cannot be met (issue 17)."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_bodies"),
        ("insight", "0003_annual_report_sections"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list = []
