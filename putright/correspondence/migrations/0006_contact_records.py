"""Calls, meetings, visits and texts on the record (5.12).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0005_restriction_letters"),
        ("complaints", "0008_priority"),
    ]

    operations = []
