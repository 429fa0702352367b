"""A landlord's own service areas, each mapped to one of Putright's standard areas (issue 19)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("landlords", "0010_second_factor_and_reset_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="LandlordServiceArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("standard_area", models.CharField(max_length=20)),
                ("active", models.BooleanField(default=True)),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="own_service_areas",
                        to="landlords.landlord",
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        django.db.models.functions.text.Lower("name"),
                        models.F("landlord"),
                        name="landlord_service_area_names_differ",
                    )
                ],
            },
        ),
    ]
