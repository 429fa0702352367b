"""Tasks on a stage that follow from a reasonable adjustment (5.10): a phone call before writing,
and letters to send again in the format the resident needs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_extension_by_phone_and_resident_updates"),
        ("people", "0003_needs_and_safeguarding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AdjustmentTask",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("phone-first", "Phone the resident before sending letters"),
                            ("send-format", "Send a letter in another format"),
                        ],
                        max_length=12,
                    ),
                ),
                ("what", models.CharField(max_length=300)),
                ("created_at", models.DateTimeField()),
                ("done_on", models.DateField(blank=True, null=True)),
                ("note", models.TextField(blank=True, max_length=2000)),
                (
                    "adjustment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tasks",
                        to="people.reasonableadjustment",
                    ),
                ),
                (
                    "done_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="adjustment_tasks",
                        to="complaints.stage",
                    ),
                ),
            ],
            options={
                "ordering": ["stage", "created_at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "phone-first"), _negated=True),
                            ("done_on__isnull", False),
                            _connector="OR",
                        ),
                        name="phone_task_recorded_when_done",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "phone-first")),
                        fields=("stage", "adjustment"),
                        name="one_phone_call_per_stage",
                    ),
                ],
            },
        ),
    ]
