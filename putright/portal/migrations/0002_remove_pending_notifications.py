# The portal's own queue of email gives way to the correspondence outbox. Whatever was still
# waiting in it moves to the outbox first, so nothing is lost on the way.

import uuid

from django.conf import settings
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

KINDS = {"complaint-received": "portal"}  # everything else in the queue was a notice to staff


def move_to_outbox(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    pending = apps.get_model("portal", "PendingNotification")
    outbox = apps.get_model("correspondence", "OutboxMessage")
    domain = settings.COMPLAINTS_MAILBOX.rpartition("@")[2] or "putright.localhost"
    for notice in pending.objects.filter(sent_at__isnull=True).exclude(to="").select_related("complaint"):
        outbox.objects.create(
            landlord_id=notice.complaint.landlord_id,
            complaint_id=notice.complaint_id,
            kind=KINDS.get(notice.kind, "resident-information"),
            to_address=notice.to,
            subject=notice.subject,
            body=notice.body,
            message_id=f"<{uuid.uuid4().hex}@{domain}>",
            reply_to=settings.COMPLAINTS_MAILBOX,
            next_attempt_at=notice.created_at,
            created_at=notice.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("correspondence", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="PendingNotification"),
    ]
