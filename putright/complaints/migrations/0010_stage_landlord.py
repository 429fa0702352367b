# The landlord's insight generation (cached measures are kept under it). Each stage carries its complaint's
# landlord, and the measures read a period's stages and complaints by (landlord, date).
#
# On PostgreSQL the measures' indexes also carry, as non-key columns (INCLUDE), every column their measure
# reads, so that a year's rows are counted from the index alone (an index-only scan) instead of visiting a
# table page for each row. Django's state knows them as plain indexes: SQLite has no INCLUDE, and a model
# index with `include` would raise a system-check warning there.

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

INCLUDED = {
    "stages_by_opened": ("id", "complaint_id"),
    "stages_by_acknowledged": ("id", "number", "opened_on"),
    "stages_by_responded": (
        "id",
        "number",
        "opened_on",
        "acknowledged_on",
        "decision",
        "extension_days",
        "complaint_id",
    ),
    "complaints_by_closed": ("id", "root_cause", "service_area"),
}
# The index complaints received in a period are read by (migration 0004's), given the columns CH01 groups by.
RECEIVED_INCLUDED = ("id", "status", "tenure", "service_area", "channel", "representative_id")


# Every Event written moves its complaint's landlord's insight generation on (putright.complaints.insight_generation).
# On PostgreSQL as the transaction commits (a deferred constraint trigger), so the row is locked only then.
POSTGRESQL_TRIGGER = """
CREATE FUNCTION complaints_insight_generation_move_on() RETURNS trigger AS $$
BEGIN
    INSERT INTO complaints_insightgeneration (landlord_id, number)
    SELECT c.landlord_id, 1 FROM complaints_complaint AS c
    WHERE c.id = NEW.complaint_id
    ON CONFLICT (landlord_id) DO UPDATE SET number = complaints_insightgeneration.number + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER complaints_event_moves_insight_on AFTER INSERT ON complaints_event
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION complaints_insight_generation_move_on();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS complaints_event_moves_insight_on ON complaints_event;
DROP FUNCTION IF EXISTS complaints_insight_generation_move_on();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER complaints_event_moves_insight_on AFTER INSERT ON complaints_event
BEGIN
    INSERT INTO complaints_insightgeneration (landlord_id, number)
    SELECT landlord_id, 1 FROM complaints_complaint WHERE id = NEW.complaint_id
    ON CONFLICT (landlord_id) DO UPDATE SET number = number + 1;
END
"""


def add_trigger(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_trigger(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS complaints_event_moves_insight_on")


def copy_landlords(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Every existing stage takes its complaint's landlord, in one statement."""
    if schema_editor.connection.vendor == "postgresql":
        sql = (
            "UPDATE complaints_stage AS s SET landlord_id = c.landlord_id "
            "FROM complaints_complaint AS c WHERE c.id = s.complaint_id"
        )
    else:
        sql = (
            "UPDATE complaints_stage SET landlord_id = "
            "(SELECT landlord_id FROM complaints_complaint WHERE id = complaints_stage.complaint_id)"
        )
    schema_editor.execute(sql)


def _index(model: str, index: models.Index) -> migrations.SeparateDatabaseAndState:
    """AddIndex, created with its non-key columns on PostgreSQL."""

    def create(apps: Any, schema_editor: Any) -> None:
        meta = apps.get_model("complaints", model)._meta
        columns = ", ".join(f'"{meta.get_field(name).column}"' for name in index.fields)
        included = ""
        if schema_editor.connection.vendor == "postgresql" and index.name in INCLUDED:
            included = " INCLUDE (" + ", ".join(f'"{column}"' for column in INCLUDED[index.name]) + ")"
        schema_editor.execute(f'CREATE INDEX "{index.name}" ON "{meta.db_table}" ({columns}){included}')

    def drop(apps: Any, schema_editor: Any) -> None:
        schema_editor.execute(f'DROP INDEX "{index.name}"')

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddIndex(model_name=model, index=index)],
        database_operations=[migrations.RunPython(create, drop)],
    )


def cover_received(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX "complaints_by_received"')
        schema_editor.execute(
            'CREATE INDEX "complaints_by_received" ON "complaints_complaint" ("landlord_id", "received_on") '
            "INCLUDE (" + ", ".join(f'"{column}"' for column in RECEIVED_INCLUDED) + ")"
        )


def uncover_received(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX "complaints_by_received"')
        schema_editor.execute(
            'CREATE INDEX "complaints_by_received" ON "complaints_complaint" ("landlord_id", "received_on")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_confidential_complaints"),
        ("landlords", "0010_second_factor_and_reset_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightGeneration",
            fields=[
                (
                    "landlord",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="landlords.landlord",
                    ),
                ),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(add_trigger, drop_trigger, elidable=False),
        migrations.AddField(
            model_name="stage",
            name="landlord",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="landlords.landlord",
            ),
        ),
        migrations.RunPython(copy_landlords, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="stage",
            name="landlord",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="landlords.landlord",
            ),
        ),
        _index("stage", models.Index(fields=["landlord", "number", "opened_on"], name="stages_by_opened")),
        _index("stage", models.Index(fields=["landlord", "acknowledged_on"], name="stages_by_acknowledged")),
        _index("stage", models.Index(fields=["landlord", "responded_on"], name="stages_by_responded")),
        _index("complaint", models.Index(fields=["landlord", "closed_on"], name="complaints_by_closed")),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("withdrawn_on__isnull", False)),
                fields=["landlord", "withdrawn_on"],
                name="complaints_by_withdrawn",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("refused_on__isnull", False)),
                fields=["landlord", "refused_on"],
                name="complaints_by_refused",
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                condition=models.Q(("ombudsman_referred_on__isnull", False)),
                fields=["landlord", "ombudsman_referred_on"],
                name="complaints_by_referral",
            ),
        ),
        migrations.RunPython(cover_received, uncover_received, elidable=False),
    ]
