"""A landlord's own service areas, mapped to Putright's (issue 17).

Made ahead, empty, so that two parts of issue 17 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("landlords", "0007_policy_review_dates"),
    ]

    operations = []
