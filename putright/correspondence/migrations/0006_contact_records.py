"""Calls, meetings, visits and texts on the record (5.12).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0005_restriction_letters"),
        ("complaints", "0008_priority"),
        ("documents", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stage_number", models.PositiveSmallIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("call-in", "Phone call from them"),
                            ("call-out", "Phone call to them"),
                            ("video", "Video call"),
                            ("meeting", "Meeting in person"),
                            ("home-visit", "Home visit"),
                            ("text-in", "Text message from them"),
                            ("text-out", "Text message to them"),
                        ],
                        max_length=12,
                    ),
                ),
                ("happened_at", models.DateTimeField(help_text="When the call, meeting, visit or text took place")),
                (
                    "with_whom",
                    models.CharField(
                        choices=[
                            ("resident", "The resident"),
                            ("representative", "Their representative"),
                            ("other", "Someone else"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "with_name",
                    models.CharField(help_text="The name of the person spoken to, as it was then", max_length=200),
                ),
                ("summary", models.TextField(max_length=5000)),
                (
                    "acknowledgement",
                    models.BooleanField(
                        default=False,
                        help_text="The complaint was acknowledged in this contact, before the written acknowledgement",
                    ),
                ),
                ("recorded_at", models.DateTimeField()),
                (
                    "attachments",
                    models.ManyToManyField(blank=True, related_name="contacts", to="documents.attachment"),
                ),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="contacts", to="complaints.complaint"
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT, related_name="contact", to="complaints.event"
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "staff",
                    models.ForeignKey(
                        help_text="Who spoke for the landlord",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["complaint", "happened_at", "id"],
                "indexes": [models.Index(fields=["complaint", "happened_at", "id"], name="contacts_by_complaint")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("stage_number__in", [1, 2])), name="contact_on_stage_1_or_2"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("with_name", ""), _negated=True), name="contact_names_who_was_spoken_to"
                    ),
                ],
            },
        ),
    ]
