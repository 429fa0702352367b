"""Tasks on a stage that follow from a reasonable adjustment (5.10).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_extension_by_phone_and_resident_updates"),
        ("people", "0003_needs_and_safeguarding"),
    ]

    operations = []
