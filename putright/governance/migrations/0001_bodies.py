"""The governing body, appointments and presentations, and the reporting calendar (issue 17)."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("landlords", "0008_service_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list = []
