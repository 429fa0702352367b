"""Each complaint keeps the standard areas it touches besides its lead's (`Complaint.other_areas`), so that measures
by area read them from the rows they already count; on PostgreSQL the indexes the measures read complaints
received and closed by carry it, so those counts stay index-only. And an index of the learning recorded at
closure, for the annual report's examples (issue 20)."""

from collections import defaultdict
from importlib import import_module
from typing import Any

from django.db import migrations, models

RECEIVED = ("id", "status", "tenure", "service_area", "channel", "representative_id")  # as migration 0010 left it
CLOSED = ("id", "root_cause", "service_area")
# SQLite adds the column by making the complaints table again, which the Event table's trigger (migration 0010)
# names: the trigger is dropped for the while and made again.
TRIGGER = import_module("putright.complaints.migrations.0010_stage_landlord")


def drop_sqlite_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        TRIGGER.drop_trigger(apps, schema_editor)


def add_sqlite_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        TRIGGER.add_trigger(apps, schema_editor)


def fill(apps: Any, schema_editor: Any) -> None:
    """Every complaint in several areas gets its other areas, from its ComplaintArea rows."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE complaints_complaint AS c SET other_areas = o.areas FROM ("
            " SELECT a.complaint_id, string_agg(DISTINCT a.standard_area, ',' ORDER BY a.standard_area) AS areas"
            " FROM complaints_complaintarea AS a JOIN complaints_complaint AS k ON k.id = a.complaint_id"
            " WHERE NOT a.lead AND a.standard_area <> k.service_area GROUP BY a.complaint_id"
            ") AS o WHERE o.complaint_id = c.id"
        )
        return
    ComplaintArea = apps.get_model("complaints", "ComplaintArea")
    Complaint = apps.get_model("complaints", "Complaint")
    others: dict[int, set[str]] = defaultdict(set)
    rows = ComplaintArea.objects.filter(lead=False).exclude(standard_area=models.F("complaint__service_area"))
    for complaint_id, area in rows.values_list("complaint_id", "standard_area").iterator():
        others[complaint_id].add(area)
    filled = [Complaint(pk=complaint_id, other_areas=",".join(sorted(areas))) for complaint_id, areas in others.items()]
    Complaint.objects.bulk_update(filled, ["other_areas"], batch_size=500)


def _cover(schema_editor: Any, index: str, keys: str, columns: tuple[str, ...]) -> None:
    included = ", ".join(f'"{column}"' for column in columns)
    schema_editor.execute(f'DROP INDEX "{index}"')
    schema_editor.execute(f'CREATE INDEX "{index}" ON "complaints_complaint" ({keys}) INCLUDE ({included})')


def cover(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _cover(schema_editor, "complaints_by_received", '"landlord_id", "received_on"', (*RECEIVED, "other_areas"))
        _cover(schema_editor, "complaints_by_closed", '"landlord_id", "closed_on"', (*CLOSED, "other_areas"))


def uncover(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _cover(schema_editor, "complaints_by_received", '"landlord_id", "received_on"', RECEIVED)
        _cover(schema_editor, "complaints_by_closed", '"landlord_id", "closed_on"', CLOSED)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0012_complaint_areas")]

    operations = [
        migrations.RunPython(drop_sqlite_trigger, add_sqlite_trigger),
        migrations.AddField(
            model_name="complaint",
            name="other_areas",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=255),
        ),
        migrations.RunPython(add_sqlite_trigger, drop_sqlite_trigger),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(cover, uncover),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("learning_outcome", ""), _negated=True),
                fields=["landlord", "closed_on", "id"],
                name="complaints_learning",
            ),
        ),
    ]
