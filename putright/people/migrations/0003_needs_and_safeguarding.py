"""Vulnerabilities, reasonable adjustments and safeguarding concerns (5.10).

Who recorded each need and when, its review (the date it is due and the last review done), its end
with a reason, consent to keep a vulnerability, the new kinds of adjustment, and safeguarding
concerns with their referral and outcome."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_title"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SafeguardingConcern",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seen", models.TextField(help_text="What was seen or heard, and when", max_length=5000)),
                ("seen_on", models.DateField()),
                ("recorded_at", models.DateTimeField()),
                ("referred_to", models.CharField(blank=True, max_length=300)),
                ("referred_on", models.DateField(blank=True, null=True)),
                ("outcome", models.TextField(blank=True, max_length=5000)),
                ("outcome_on", models.DateField(blank=True, null=True)),
            ],
            options={
                "ordering": ["seen_on", "id"],
            },
        ),
        migrations.AlterModelOptions(
            name="reasonableadjustment",
            options={"ordering": ["agreed_on", "id"]},
        ),
        migrations.AlterModelOptions(
            name="vulnerability",
            options={"ordering": ["disclosed_on", "id"]},
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="end_note",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no-longer-needed", "The resident no longer needs it"),
                    ("resident-asked", "The resident asked us to remove it"),
                    ("replaced", "Replaced by a different arrangement"),
                    ("recorded-in-error", "Recorded in error"),
                    ("other", "Another reason"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="ended_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="ended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="recorded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="review_was_due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reasonableadjustment",
            name="reviewed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="changed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="consent_from",
            field=models.CharField(
                blank=True,
                choices=[("resident", "The resident"), ("representative", "Someone with authority to act for them")],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="consent_how",
            field=models.CharField(
                blank=True,
                choices=[
                    ("verbal", "Verbally (on the phone or in person)"),
                    ("written", "In writing (letter or email)"),
                    ("online", "Online, when making a complaint"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="consent_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="end_note",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no-longer-needed", "The resident no longer needs it"),
                    ("resident-asked", "The resident asked us to remove it"),
                    ("replaced", "Replaced by a different arrangement"),
                    ("recorded-in-error", "Recorded in error"),
                    ("other", "Another reason"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="ended_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="ended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="recorded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="review_was_due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="reviewed_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="reasonableadjustment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("large-print", "Large print"),
                    ("braille", "Braille"),
                    ("audio", "Audio"),
                    ("easy-read", "Easy read"),
                    ("interpreter", "Another language or an interpreter"),
                    ("phone-call", "A phone call at a set time"),
                    ("phone-first", "A phone call before we write"),
                    ("named-contact", "One named contact at the landlord"),
                    ("contact-limits", "Contact only at certain times or by certain channels"),
                    ("advocate", "An advocate or supporter present"),
                    ("other", "Something else"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddIndex(
            model_name="reasonableadjustment",
            index=models.Index(fields=["person", "ended_on"], name="adjustments_by_person"),
        ),
        migrations.AddIndex(
            model_name="vulnerability",
            index=models.Index(fields=["person", "ended_on"], name="vulnerabilities_by_person"),
        ),
        migrations.AddConstraint(
            model_name="reasonableadjustment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("ended_on__isnull", True), models.Q(("end_reason", ""), _negated=True), _connector="OR"
                ),
                name="ended_adjustment_has_reason",
            ),
        ),
        migrations.AddField(
            model_name="safeguardingconcern",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="safeguarding_concerns", to="people.person"
            ),
        ),
        migrations.AddField(
            model_name="safeguardingconcern",
            name="recorded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="safeguardingconcern",
            name="referred_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="safeguardingconcern",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("referred_on__isnull", True), models.Q(("referred_to", ""), _negated=True), _connector="OR"
                ),
                name="safeguarding_referral_names_whom",
            ),
        ),
        migrations.AddConstraint(
            model_name="safeguardingconcern",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("outcome_on__isnull", True), models.Q(("outcome", ""), _negated=True), _connector="OR"
                ),
                name="safeguarding_outcome_has_words",
            ),
        ),
    ]
