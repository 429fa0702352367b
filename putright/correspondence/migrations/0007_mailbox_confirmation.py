# A landlord's complaints mailbox is only ever one landlord's, and a new one waits for confirmation.

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0006_contact_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="letterstyle",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letterstyle",
            name="email_requested",
            field=models.EmailField(
                blank=True, help_text="A new complaints mailbox, waiting for confirmation", max_length=254
            ),
        ),
        migrations.AddField(
            model_name="letterstyle",
            name="email_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="letterstyle",
            name="email_requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="letterstyle",
            name="email",
            field=models.EmailField(
                blank=True,
                help_text="The complaints mailbox; replies come back to it. Only ever one landlord's",
                max_length=254,
            ),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("letter", "Letter to the resident"),
                    ("assigned", "Assignment"),
                    ("due-soon", "Due soon"),
                    ("overdue", "Overdue"),
                    ("digest", "Daily digest"),
                    ("update-due", "Update due to the resident"),
                    ("resident-information", "Resident added information"),
                    ("resident-email", "Resident emailed"),
                    ("portal", "Portal notice to the resident"),
                    ("mailbox-confirmation", "Confirmation of a complaints mailbox"),
                ],
                max_length=24,
            ),
        ),
        migrations.AddConstraint(
            model_name="letterstyle",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="one_landlord_per_mailbox",
            ),
        ),
    ]
