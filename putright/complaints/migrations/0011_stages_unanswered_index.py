# The stages open on a past day (insight's headline, "open a year ago") are those not yet answered on that day:
# read by (landlord, answer date, opening date), where a stage never answered reads as answered on the last day
# there is (putright.insight.headline.NEVER, the same expression to the letter, or PostgreSQL will not use it):
# one range of the index, so that a landlord's history of answered stages is never visited.
#
# PostgreSQL only, and with every column the count reads carried as non-key columns (INCLUDE), so that the
# stages are counted from the index alone and only their complaints are visited. SQLite databases are the
# small installations, read by the landlord's other indexes. Django's state does not know
# the index (like the non-key columns of migration 0010, it has no SQLite form), so no model change goes with it.

from typing import Any

from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS "stages_unanswered_on" ON "complaints_stage" '
    '("landlord_id", (COALESCE("responded_on", \'9999-12-31\'::date)), "opened_on") '
    'INCLUDE ("id", "number", "responded_on", "acknowledged_on", "acknowledge_due", "response_due", "complaint_id")'
)
DROP = 'DROP INDEX IF EXISTS "stages_unanswered_on"'


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_stage_landlord")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
