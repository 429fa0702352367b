"""Other relevant reports in the annual report, 8.1(f) (issue 17).

Made ahead, empty, so that two parts of issue 17 could add their models at the same time in one chain."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0002_published_findings"),
        ("landlords", "0008_service_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OtherReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year_starting", models.PositiveSmallIntegerField()),
                ("title", models.CharField(max_length=200)),
                ("link", models.URLField(blank=True, max_length=500)),
                ("file", models.FileField(blank=True, upload_to="insight/other-reports/")),
                ("file_name", models.CharField(blank=True, max_length=200)),
                ("published_on", models.DateField()),
                ("summary", models.CharField(help_text="A line on what the report says", max_length=300)),
                ("added_at", models.DateTimeField()),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="other_reports",
                        to="landlords.landlord",
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "year_starting", "published_on", "id"],
            },
        ),
    ]
