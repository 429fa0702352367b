"""Priority by complexity and risk (6.1).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_adjustment_tasks"),
    ]

    operations = []
