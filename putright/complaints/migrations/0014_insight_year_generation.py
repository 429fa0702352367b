"""The landlord's insight generation by the reporting year its complaints were received in (issue 20): the Event
trigger of migration 0010 now also moves the row of the complaint's reporting year on, so that a closed period's
measures stay cached while only later years' complaints change."""

from importlib import import_module
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# Migration 0010 made the trigger; going back puts its function and trigger back as they were.
FIRST = import_module("putright.complaints.migrations.0010_stage_landlord")

# The reporting year (1 April to 31 March) a complaint was received in, as putright.insight.periods counts it.
POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION complaints_insight_generation_move_on() RETURNS trigger AS $$
BEGIN
    INSERT INTO complaints_insightgeneration (landlord_id, number)
    SELECT c.landlord_id, 1 FROM complaints_complaint AS c
    WHERE c.id = NEW.complaint_id
    ON CONFLICT (landlord_id) DO UPDATE SET number = complaints_insightgeneration.number + 1;
    INSERT INTO complaints_insightyeargeneration (landlord_id, year, number)
    SELECT c.landlord_id,
        EXTRACT(YEAR FROM c.received_on)::int - CASE WHEN EXTRACT(MONTH FROM c.received_on) < 4 THEN 1 ELSE 0 END, 1
    FROM complaints_complaint AS c
    WHERE c.id = NEW.complaint_id
    ON CONFLICT (landlord_id, year) DO UPDATE SET number = complaints_insightyeargeneration.number + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
SQLITE_TRIGGER = """
CREATE TRIGGER complaints_event_moves_insight_on AFTER INSERT ON complaints_event
BEGIN
    INSERT INTO complaints_insightgeneration (landlord_id, number)
    SELECT landlord_id, 1 FROM complaints_complaint WHERE id = NEW.complaint_id
    ON CONFLICT (landlord_id) DO UPDATE SET number = number + 1;
    INSERT INTO complaints_insightyeargeneration (landlord_id, year, number)
    SELECT landlord_id,
        CAST(strftime('%Y', received_on) AS INTEGER) - (CAST(strftime('%m', received_on) AS INTEGER) < 4), 1
    FROM complaints_complaint WHERE id = NEW.complaint_id
    ON CONFLICT (landlord_id, year) DO UPDATE SET number = number + 1;
END
"""


def by_year(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS complaints_event_moves_insight_on")
        schema_editor.execute(SQLITE_TRIGGER)


def as_before(apps: Any, schema_editor: Any) -> None:
    FIRST.drop_trigger(apps, schema_editor)
    FIRST.add_trigger(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0013_complaint_other_areas"),
        ("landlords", "0012_managing_agents_and_places"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightYearGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("number", models.PositiveBigIntegerField(default=0)),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="landlords.landlord"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("landlord", "year"), name="one_insight_generation_a_year")
                ]
            },
        ),
        migrations.RunPython(by_year, as_before, elidable=False),
    ]
