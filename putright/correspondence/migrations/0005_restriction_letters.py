"""The letter that tells a resident of a contact restriction (5.14, 5.15).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0004_letterstyle_contact_and_team"),
        ("people", "0004_restrictions"),
    ]

    operations = []
