"""The extension letter is the notice (issue 14): the day the resident was also told by phone.
Updates agreed with the resident (5.9) kept one by one, so whether each went on time is known;
each stage with an interval agreed already awaits its next update from here on."""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def await_the_next_update(apps: Any, schema_editor: object) -> None:
    stage_model = apps.get_model("complaints", "Stage")
    update_model = apps.get_model("complaints", "ResidentUpdate")
    awaited = stage_model.objects.filter(update_interval_days__isnull=False, next_update_due__isnull=False)
    update_model.objects.bulk_create(
        update_model(stage_id=stage_id, due_on=due_on)
        for stage_id, due_on in awaited.values_list("pk", "next_update_due").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0005_deadlines_under_the_code_floor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="extension",
            name="told_by_phone_on",
            field=models.DateField(blank=True, help_text="When the resident was also told by phone", null=True),
        ),
        migrations.AlterField(
            model_name="extension",
            name="resident_told_on",
            field=models.DateField(help_text="The day the extension letter was issued"),
        ),
        migrations.CreateModel(
            name="ResidentUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("due_on", models.DateField()),
                ("sent_on", models.DateField(blank=True, null=True)),
                (
                    "replaced_on",
                    models.DateField(
                        blank=True,
                        help_text="A new interval was agreed with the resident before it was sent",
                        null=True,
                    ),
                ),
                (
                    "sent_by",
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
                        related_name="resident_updates",
                        to="complaints.stage",
                    ),
                ),
            ],
            options={
                "ordering": ["stage", "due_on", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("replaced_on__isnull", True), ("sent_on__isnull", True)),
                        fields=("stage",),
                        name="one_update_awaited_per_stage",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("sent_on__isnull", True), ("replaced_on__isnull", True), _connector="OR"),
                        name="update_sent_or_replaced",
                    ),
                ],
            },
        ),
        migrations.RunPython(await_the_next_update, migrations.RunPython.noop),
    ]
