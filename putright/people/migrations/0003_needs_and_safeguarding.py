"""Vulnerabilities, reasonable adjustments and safeguarding concerns (5.10).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_title"),
    ]

    operations = []
