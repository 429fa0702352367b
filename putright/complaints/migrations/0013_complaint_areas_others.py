"""Each complaint area carries its complaint's landlord, and a partial index holds one landlord's areas that do
not lead: measures by area count from the lead and add these few rows (issue 20)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def copy_landlords(apps: Any, schema_editor: Any) -> None:
    """Every existing area takes its complaint's landlord, in one statement."""
    if schema_editor.connection.vendor == "postgresql":
        sql = (
            "UPDATE complaints_complaintarea AS a SET landlord_id = c.landlord_id "
            "FROM complaints_complaint AS c WHERE c.id = a.complaint_id"
        )
    else:
        sql = (
            "UPDATE complaints_complaintarea SET landlord_id = "
            "(SELECT landlord_id FROM complaints_complaint WHERE id = complaints_complaintarea.complaint_id)"
        )
    schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        # The foreign key's deferred checks run now, so that the column can be made NOT NULL in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_complaint_areas"),
        ("landlords", "0012_managing_agents_and_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaintarea",
            name="landlord",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="landlords.landlord",
            ),
        ),
        migrations.RunPython(copy_landlords, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaintarea",
            name="landlord",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="landlords.landlord"
            ),
        ),
        migrations.AddIndex(
            model_name="complaintarea",
            index=models.Index(
                condition=models.Q(("lead", False)),
                fields=["landlord", "complaint"],
                include=("standard_area",),
                name="complaint_areas_others",
            ),
        ),
    ]
