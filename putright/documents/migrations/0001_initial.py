"""The attachment models, moved here from the workspace app (workspace 0003 renamed their tables):
this only records them in the documents app's state; the database already has them, with their rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import putright.documents.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("complaints", "0004_open_work_by_handler"),
        ("landlords", "0003_landlord_learning_required_at_closure"),
        ("workspace", "0003_documents_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Attachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("file", models.FileField(max_length=200, upload_to=putright.documents.models.attachment_path)),
                        ("name", models.CharField(help_text="The file's name as uploaded", max_length=200)),
                        (
                            "content_type",
                            models.CharField(help_text="Read from the file's content, not its name", max_length=100),
                        ),
                        ("size", models.PositiveIntegerField()),
                        ("description", models.CharField(blank=True, max_length=500)),
                        ("uploaded_at", models.DateTimeField()),
                        (
                            "complaint",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="complaints.complaint",
                            ),
                        ),
                        (
                            "event",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="attachment",
                                to="complaints.event",
                            ),
                        ),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty when the resident uploaded it through the portal",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["complaint", "uploaded_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="PendingAttachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("token", models.CharField(max_length=64)),
                        ("file", models.FileField(max_length=200, upload_to=putright.documents.models.pending_path)),
                        ("name", models.CharField(help_text="The file's name as uploaded", max_length=200)),
                        (
                            "content_type",
                            models.CharField(help_text="Read from the file's content, not its name", max_length=100),
                        ),
                        ("size", models.PositiveIntegerField()),
                        ("uploaded_at", models.DateTimeField()),
                        (
                            "landlord",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="landlords.landlord"
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["uploaded_at", "id"],
                        "indexes": [
                            models.Index(fields=["landlord", "token"], name="pending_attachments_of_journey"),
                            models.Index(fields=["uploaded_at"], name="pending_attachments_by_age"),
                        ],
                    },
                ),
            ],
        ),
    ]
