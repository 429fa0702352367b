"""Contact restrictions (5.14, 5.15): proposed, decided by someone else at a senior level, reviewed, ended."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("landlords", "0005_staffmember_direct_phone"),
        ("people", "0003_needs_and_safeguarding"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactRestriction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("in-force", "In force"),
                            ("refused", "Refused"),
                            ("ended", "Ended"),
                        ],
                        default="proposed",
                        max_length=10,
                    ),
                ),
                ("raised_on", models.CharField(max_length=24)),
                ("behaviour", models.TextField(help_text="What the resident did, and when (5.14)", max_length=5000)),
                ("evidence", models.TextField(help_text="What shows it happened (5.14)", max_length=5000)),
                ("evidence_documents", models.JSONField(blank=True, default=list)),
                ("scope", models.JSONField(default=list, help_text="The Scope keys that apply")),
                (
                    "channels",
                    models.CharField(
                        blank=True, help_text="The ways the resident may still contact us", max_length=300
                    ),
                ),
                ("contact_point", models.CharField(blank=True, help_text="The one person to contact", max_length=200)),
                (
                    "contact_times",
                    models.CharField(blank=True, help_text="When the resident may contact us", max_length=300),
                ),
                ("other_terms", models.TextField(blank=True, max_length=2000)),
                (
                    "equality_considerations",
                    models.TextField(
                        help_text="The regard had to the Equality Act 2010 and to the resident's needs (5.15)",
                        max_length=5000,
                    ),
                ),
                ("review_on", models.DateField(help_text="When it is next reviewed (5.14)")),
                ("proposed_at", models.DateTimeField()),
                ("decided_on", models.DateField(blank=True, null=True)),
                ("decision_reasons", models.TextField(blank=True, max_length=5000)),
                ("ended_on", models.DateField(blank=True, null=True)),
                ("end_reason", models.TextField(blank=True, max_length=5000)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="landlords.landlord"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="restrictions", to="people.person"
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="RestrictionReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reviewed_on", models.DateField()),
                (
                    "outcome",
                    models.CharField(choices=[("continue", "Keep it in force"), ("end", "End it")], max_length=10),
                ),
                ("notes", models.TextField(max_length=5000)),
                ("next_review_on", models.DateField(blank=True, null=True)),
                (
                    "restriction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="people.contactrestriction",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["restriction", "reviewed_on", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="contactrestriction",
            index=models.Index(fields=["person", "state"], name="restrictions_by_person"),
        ),
        migrations.AddIndex(
            model_name="contactrestriction",
            index=models.Index(fields=["landlord", "state", "review_on"], name="restrictions_to_review"),
        ),
        migrations.AddConstraint(
            model_name="contactrestriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("state", "proposed"),
                    models.Q(("decided_by__isnull", False), ("decided_on__isnull", False)),
                    _connector="OR",
                ),
                name="restriction_decided_has_decider",
            ),
        ),
        migrations.AddConstraint(
            model_name="contactrestriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_by__isnull", True),
                    models.Q(("decided_by", models.F("proposed_by")), _negated=True),
                    _connector="OR",
                ),
                name="restriction_decider_is_not_proposer",
            ),
        ),
        migrations.AddConstraint(
            model_name="contactrestriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "refused"), _negated=True),
                    models.Q(("decision_reasons", ""), _negated=True),
                    _connector="OR",
                ),
                name="restriction_refusal_has_reasons",
            ),
        ),
        migrations.AddConstraint(
            model_name="contactrestriction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "ended"), _negated=True),
                    models.Q(("ended_on__isnull", False), models.Q(("end_reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="restriction_end_has_date_and_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="restrictionreview",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("outcome", "continue"), _negated=True), ("next_review_on__isnull", False), _connector="OR"
                ),
                name="review_kept_in_force_has_next_date",
            ),
        ),
    ]
