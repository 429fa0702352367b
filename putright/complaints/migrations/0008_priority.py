"""Priority by complexity and risk (6.1): the triage on the complaint, and the worklists' indexes by it.

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations, models

OPEN = ["received", "stage1-open", "stage2-open"]


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0007_adjustment_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="complexity",
            field=models.CharField(
                choices=[("simple", "Simple"), ("complex", "Complex")], default="simple", max_length=8
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="priority",
            field=models.PositiveSmallIntegerField(choices=[(1, "High"), (2, "Normal")], default=2),
        ),
        migrations.AddField(
            model_name="complaint",
            name="priority_reason",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="complaint",
            name="risk_factors",
            field=models.JSONField(blank=True, default=list, help_text="RiskFactor values confirmed by staff"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["landlord", "priority", "next_due", "id"],
                name="worklist_open_by_priority",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["landlord", "handler", "priority", "next_due", "id"], name="worklist_handler_priority"
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.CheckConstraint(
                condition=models.Q(("priority__in", [1, 2])), name="complaint_priority_known"
            ),
        ),
    ]
