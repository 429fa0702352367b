"""Other relevant reports in the annual report, 8.1(f) (issue 17).

Made ahead, empty, so that two parts of issue 17 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0002_published_findings"),
        ("landlords", "0008_service_areas"),
    ]

    operations = []
