"""A landlord's own service areas, mapped to Putright's (issue 17).

Made ahead, empty, so that two parts of issue 17 could add their models at the same time in one chain."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("landlords", "0007_policy_review_dates"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceAreaName",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("area", models.CharField(max_length=20)),
                ("name", models.CharField(max_length=100)),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="service_area_names",
                        to="landlords.landlord",
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("landlord", "area"), name="one_name_per_service_area"),
                    models.UniqueConstraint(fields=("landlord", "name"), name="service_area_names_differ"),
                ],
            },
        ),
    ]
