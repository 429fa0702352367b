"""The self-assessment's action plan and notices of provisions that cannot be met (issue 17)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_bodies"),
        ("insight", "0003_annual_report_sections"),
        ("landlords", "0008_service_areas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ActionPlanItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("provision", models.CharField(help_text="The Code provision, for example 6.2", max_length=5)),
                ("action", models.TextField(help_text="What will be done", max_length=5000)),
                ("owner_name", models.CharField(max_length=200)),
                ("target_date", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not-started", "Not started"),
                            ("in-progress", "In progress"),
                            ("done", "Done"),
                            ("dropped", "Dropped"),
                        ],
                        default="not-started",
                        max_length=12,
                    ),
                ),
                ("done_on", models.DateField(blank=True, null=True)),
                ("dropped_reason", models.TextField(blank=True, max_length=5000)),
                (
                    "from_assessment",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="The self-assessment (insight's id) that last found this provision short",
                        null=True,
                    ),
                ),
                (
                    "from_entry",
                    models.PositiveIntegerField(
                        blank=True, help_text="That assessment's entry (insight's id)", null=True
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="action_plan", to="landlords.landlord"
                    ),
                ),
                (
                    "owner",
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
                "ordering": ["target_date", "id"],
            },
        ),
        migrations.CreateModel(
            name="ActionPlanUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("note", models.TextField(max_length=5000)),
                (
                    "status_from",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not-started", "Not started"),
                            ("in-progress", "In progress"),
                            ("done", "Done"),
                            ("dropped", "Dropped"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "status_to",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not-started", "Not started"),
                            ("in-progress", "In progress"),
                            ("done", "Done"),
                            ("dropped", "Dropped"),
                        ],
                        max_length=12,
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="governance.actionplanitem",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ComplianceNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "provisions",
                    models.JSONField(
                        help_text='The provisions that cannot be met, in the Code\'s order: ["6.2", "6.3"]'
                    ),
                ),
                ("circumstances", models.TextField(help_text="The exceptional circumstances", max_length=5000)),
                ("reasons", models.TextField(help_text="Why the provisions cannot be met", max_length=5000)),
                ("unable_from", models.DateField(help_text="From when the provisions cannot be met")),
                ("expected_return", models.DateField(help_text="When the landlord expects to comply again")),
                ("decided_by", models.CharField(help_text="Who decided, by name and role", max_length=200)),
                ("ombudsman_informed_on", models.DateField(blank=True, null=True)),
                ("ombudsman_informed_how", models.CharField(blank=True, max_length=500)),
                ("residents_informed_on", models.DateField(blank=True, null=True)),
                ("residents_informed_how", models.CharField(blank=True, max_length=500)),
                (
                    "residents_informed_who",
                    models.CharField(blank=True, help_text="Which residents, or all", max_length=500),
                ),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "published_at",
                    models.URLField(blank=True, help_text="The address of the page on the website", max_length=500),
                ),
                ("returned_on", models.DateField(blank=True, help_text="When the landlord complied again", null=True)),
                ("created_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="compliance_notices",
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
                "ordering": ["-unable_from", "-id"],
            },
        ),
        migrations.AddIndex(
            model_name="actionplanitem",
            index=models.Index(fields=["landlord", "status", "target_date"], name="action_plan_by_status"),
        ),
        migrations.AddConstraint(
            model_name="actionplanitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("done_on__isnull", False), ("status", "done")),
                    models.Q(models.Q(("status", "done"), _negated=True), ("done_on__isnull", True)),
                    _connector="OR",
                ),
                name="action_plan_done_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="actionplanitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "dropped"), _negated=True),
                    models.Q(("dropped_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="action_plan_dropped_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="actionplanitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("from_entry__isnull", False)),
                fields=("from_entry",),
                name="one_action_plan_line_per_entry",
            ),
        ),
        migrations.AddIndex(
            model_name="actionplanupdate",
            index=models.Index(fields=["item", "at"], name="action_plan_updates_by_time"),
        ),
        migrations.AddIndex(
            model_name="compliancenotice",
            index=models.Index(fields=["landlord", "returned_on"], name="notices_open"),
        ),
        migrations.AddConstraint(
            model_name="compliancenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(("expected_return__gt", models.F("unable_from"))),
                name="notice_returns_after_it_starts",
            ),
        ),
        migrations.AddConstraint(
            model_name="compliancenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("returned_on__isnull", True), ("returned_on__gte", models.F("unable_from")), _connector="OR"
                ),
                name="notice_return_not_before_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="compliancenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ombudsman_informed_on__isnull", True),
                    models.Q(("ombudsman_informed_how", ""), _negated=True),
                    _connector="OR",
                ),
                name="notice_ombudsman_informed_how",
            ),
        ),
        migrations.AddConstraint(
            model_name="compliancenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("residents_informed_on__isnull", True),
                    models.Q(
                        models.Q(("residents_informed_how", ""), _negated=True),
                        models.Q(("residents_informed_who", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="notice_residents_informed_how_and_who",
            ),
        ),
        migrations.AddConstraint(
            model_name="compliancenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("published_on__isnull", True), models.Q(("published_at", ""), _negated=True), _connector="OR"
                ),
                name="notice_published_where",
            ),
        ),
    ]
