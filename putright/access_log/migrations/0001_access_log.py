# Who opened sensitive records (UK GDPR accountability): one row per viewing.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("landlords", "0010_second_factor_and_reset_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SensitiveAccess",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("needs", "Needs and reasonable adjustments"),
                            ("vulnerability", "Vulnerability"),
                            ("safeguarding", "Safeguarding concern"),
                            ("restriction", "Contact restriction"),
                            ("confidential", "Confidential complaint"),
                            ("subject-access", "Subject access export"),
                        ],
                        max_length=20,
                    ),
                ),
                ("object_id", models.BigIntegerField(blank=True, null=True)),
                ("object_label", models.CharField(max_length=120)),
                ("path", models.CharField(max_length=500)),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="landlords.landlord"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["landlord", "-at", "-id"], name="access_newest"),
                    models.Index(fields=["landlord", "user", "-at"], name="access_by_user"),
                    models.Index(fields=["landlord", "object_label"], name="access_by_record"),
                ],
            },
        ),
    ]
