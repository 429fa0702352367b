"""Contact restrictions (5.14, 5.15).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_needs_and_safeguarding"),
    ]

    operations = []
