"""Policy review dates (issue 17).

Made ahead, empty, so that two parts of issue 17 could add their models at the same time in one chain."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("landlords", "0006_ombudsman_name_and_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="review_due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="review_date_set_by_name",
            field=models.CharField(blank=True, editable=False, max_length=150),
        ),
    ]
