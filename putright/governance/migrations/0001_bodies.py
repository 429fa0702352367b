"""The governing body, appointments and presentations, and the reporting calendar (issue 17)."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("landlords", "0008_service_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GoverningBody",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("governing_body", "Governing body"), ("committee", "Committee")],
                        default="governing_body",
                        max_length=20,
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                ("added_at", models.DateTimeField()),
                (
                    "added_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="governing_bodies",
                        to="landlords.landlord",
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "-active", "kind", "name", "id"],
            },
        ),
        migrations.CreateModel(
            name="Presentation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "report",
                    models.CharField(
                        choices=[
                            ("governance", "Quarterly governance report"),
                            ("annual", "Annual complaints performance and service improvement report"),
                            ("self_assessment", "Self-assessment against the Code"),
                        ],
                        max_length=20,
                    ),
                ),
                ("year_starting", models.PositiveSmallIntegerField()),
                ("quarter", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("self_assessment_id", models.PositiveIntegerField(blank=True, null=True)),
                ("to_member", models.BooleanField(default=False)),
                ("member_name", models.CharField(blank=True, max_length=200)),
                ("meeting", models.CharField(max_length=200)),
                ("presented_on", models.DateField()),
                ("document", models.FileField(blank=True, upload_to="governance/presentations/")),
                ("document_name", models.CharField(blank=True, max_length=200)),
                ("document_type", models.CharField(blank=True, max_length=100)),
                ("response", models.TextField(blank=True)),
                ("response_on", models.DateField(blank=True, null=True)),
                ("response_recorded_at", models.DateTimeField(blank=True, null=True)),
                ("recorded_at", models.DateTimeField()),
                (
                    "body",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="presentations",
                        to="governance.governingbody",
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="presentations",
                        to="landlords.landlord",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "response_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "-presented_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Appointment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("mrc", "Member Responsible for Complaints"),
                            ("senior_lead", "Senior lead accountable for complaint handling"),
                            ("officer", "Complaints officer"),
                        ],
                        max_length=20,
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                (
                    "title",
                    models.CharField(
                        blank=True, help_text='Such as "Cabinet Portfolio Holder for Housing"', max_length=200
                    ),
                ),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField(blank=True, null=True)),
                ("recorded_at", models.DateTimeField()),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appointments",
                        to="landlords.landlord",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="appointments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "role", "-starts_on", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ends_on__isnull", True)),
                        fields=("landlord", "role"),
                        name="governance_one_current_holder",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True), ("ends_on__gte", models.F("starts_on")), _connector="OR"
                        ),
                        name="governance_appointment_ends_after_start",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DeadlineDone",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("self_assessment", "Self-assessment completed and approved"),
                            ("annual_report", "Annual report presented to the governing body"),
                            ("publication", "Annual report and self-assessment published on the website"),
                            ("submission", "Self-assessment and annual report submitted to the Ombudsman"),
                        ],
                        max_length=20,
                    ),
                ),
                ("year_starting", models.PositiveSmallIntegerField()),
                ("done_on", models.DateField()),
                ("note", models.CharField(blank=True, max_length=300)),
                ("from_records", models.BooleanField(default=False)),
                ("recorded_at", models.DateTimeField()),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadlines_done",
                        to="landlords.landlord",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "-year_starting", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("landlord", "kind", "year_starting"), name="governance_deadline_done_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DeadlineSetting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("self_assessment", "Self-assessment completed and approved"),
                            ("annual_report", "Annual report presented to the governing body"),
                            ("publication", "Annual report and self-assessment published on the website"),
                            ("submission", "Self-assessment and annual report submitted to the Ombudsman"),
                        ],
                        max_length=20,
                    ),
                ),
                ("month", models.PositiveSmallIntegerField()),
                ("day", models.PositiveSmallIntegerField()),
                ("changed_at", models.DateTimeField()),
                (
                    "changed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadline_settings",
                        to="landlords.landlord",
                    ),
                ),
            ],
            options={
                "ordering": ["landlord", "kind"],
                "constraints": [
                    models.UniqueConstraint(fields=("landlord", "kind"), name="governance_deadline_setting_once")
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="governingbody",
            constraint=models.UniqueConstraint(fields=("landlord", "name"), name="governance_body_name_once"),
        ),
        migrations.AddConstraint(
            model_name="governingbody",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True), ("kind", "governing_body")),
                fields=("landlord",),
                name="governance_one_active_governing_body",
            ),
        ),
        migrations.AddConstraint(
            model_name="presentation",
            constraint=models.UniqueConstraint(
                models.F("landlord"),
                models.F("report"),
                models.F("year_starting"),
                django.db.models.functions.comparison.Coalesce("quarter", models.Value(0)),
                django.db.models.functions.comparison.Coalesce("self_assessment_id", models.Value(0)),
                django.db.models.functions.comparison.Coalesce("body", models.Value(0)),
                models.F("presented_on"),
                name="governance_presented_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="presentation",
            constraint=models.CheckConstraint(
                condition=models.Q(("body__isnull", False), ("to_member", True), _connector="OR"),
                name="governance_to_someone",
            ),
        ),
        migrations.AddConstraint(
            model_name="presentation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("report", "governance"), ("quarter__gte", 1), ("quarter__lte", 4)),
                    models.Q(models.Q(("report", "governance"), _negated=True), ("quarter__isnull", True)),
                    _connector="OR",
                ),
                name="governance_quarter_for_governance_report",
            ),
        ),
    ]
