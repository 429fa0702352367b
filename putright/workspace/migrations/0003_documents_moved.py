"""Attachments move to the documents app: their tables are renamed, never dropped, so every row and
stored file stays; the models leave the workspace's state, and documents 0001 takes them up."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MOVED = ("attachment", "pendingattachment")


def move_content_types(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor, source: str = "workspace", target: str = "documents"
) -> None:
    # Admin log entries and permissions point at content types: move them with the models.
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    move_content_types(apps, schema_editor, source="documents", target="workspace")


class Migration(migrations.Migration):
    dependencies = [
        ("workspace", "0002_resident_uploads"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="attachment", table="documents_attachment"),
                migrations.AlterModelTable(name="pendingattachment", table="documents_pendingattachment"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Attachment"),
                migrations.DeleteModel(name="PendingAttachment"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
