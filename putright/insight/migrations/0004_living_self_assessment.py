"""A self-assessment that lives all year (8.3, 8.4), the answers the records support, and the Ombudsman's wording.

Several assessments a year, numbered by sequence (existing ones become the first of their year), with the
reason each was started; the records' answer beside each entry; and the wording imported from the Ombudsman's form.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0003_annual_report_sections"),
        ("landlords", "0008_service_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CodeWording",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file_name", models.CharField(max_length=200)),
                ("requirements", models.JSONField(help_text="The Code requirement by provision number")),
                ("imported_at", models.DateTimeField()),
            ],
            options={
                "ordering": ["-imported_at", "-id"],
            },
        ),
        migrations.AlterModelOptions(
            name="selfassessment",
            options={"ordering": ["landlord", "-year_starting", "-sequence"]},
        ),
        migrations.RemoveConstraint(
            model_name="selfassessment",
            name="one_self_assessment_per_year",
        ),
        migrations.AddField(
            model_name="selfassessment",
            name="reason",
            field=models.CharField(
                choices=[
                    ("annual", "The annual self-assessment"),
                    ("restructure", "After a significant restructure or merger (8.3)"),
                    ("procedures", "After a change in complaint procedures (8.3)"),
                    ("ombudsman", "After an Ombudsman investigation or request (8.4)"),
                    ("other", "Another reason"),
                ],
                default="annual",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="selfassessment",
            name="reason_detail",
            field=models.CharField(blank=True, help_text="What prompted it, for another reason", max_length=300),
        ),
        migrations.AddField(
            model_name="selfassessment",
            name="sequence",
            field=models.PositiveSmallIntegerField(default=1, help_text="1 for the year's first, 2 for the next"),
        ),
        migrations.AddField(
            model_name="selfassessmententry",
            name="records_answer",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("partial", "Partial"), ("n/a", "N/A")],
                help_text="The answer Putright's records support, if any",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="selfassessment",
            constraint=models.UniqueConstraint(
                fields=("landlord", "year_starting", "sequence"), name="self_assessments_numbered_within_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="selfassessment",
            constraint=models.CheckConstraint(
                condition=models.Q(("sequence__gte", 1)), name="self_assessment_sequence_from_one"
            ),
        ),
        migrations.AddConstraint(
            model_name="selfassessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("reason", "other"), _negated=True),
                    models.Q(("reason_detail", ""), _negated=True),
                    _connector="OR",
                ),
                name="self_assessment_other_reason_described",
            ),
        ),
        migrations.AddField(
            model_name="codewording",
            name="imported_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="codewording",
            name="landlord",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="code_wordings", to="landlords.landlord"
            ),
        ),
        migrations.AddIndex(
            model_name="codewording",
            index=models.Index(fields=["landlord", "-imported_at"], name="code_wording_latest"),
        ),
    ]
