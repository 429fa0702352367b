# The satisfaction survey after closure (1.6): offers and answers.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("complaints", "0008_priority"),
        ("landlords", "0008_service_areas"),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stage_number", models.PositiveSmallIntegerField()),
                ("closed_on", models.DateField()),
                ("nonce", models.CharField(max_length=64, unique=True)),
                (
                    "emailed_to",
                    models.EmailField(
                        blank=True, help_text="Empty when the resident has no email address", max_length=254
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey_invitations",
                        to="complaints.complaint",
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="landlords.landlord"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="SurveyResponse",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stage_number", models.PositiveSmallIntegerField(help_text="The stage the complaint was closed at")),
                (
                    "satisfaction",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (5, "Very satisfied"),
                            (4, "Fairly satisfied"),
                            (3, "Neither satisfied nor dissatisfied"),
                            (2, "Fairly dissatisfied"),
                            (1, "Very dissatisfied"),
                        ]
                    ),
                ),
                ("knew_how_to_complain", models.BooleanField()),
                (
                    "kept_informed",
                    models.CharField(
                        choices=[("yes", "Yes, all the way through"), ("sometimes", "Some of the time"), ("no", "No")],
                        max_length=10,
                    ),
                ),
                ("comment", models.TextField(blank=True, max_length=1200)),
                (
                    "via",
                    models.CharField(
                        choices=[("email", "The link in our email"), ("portal", "Following the complaint online")],
                        max_length=8,
                    ),
                ),
                ("told_how_to_complain", models.BooleanField(default=False)),
                ("answered_on", models.DateField()),
                ("answered_at", models.DateTimeField()),
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey_response",
                        to="complaints.complaint",
                    ),
                ),
                (
                    "invitation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="surveys.surveyinvitation",
                    ),
                ),
                (
                    "landlord",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="landlords.landlord"
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="surveyinvitation",
            constraint=models.UniqueConstraint(
                fields=("complaint", "stage_number"), name="one_survey_offer_per_closure"
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyinvitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("stage_number__in", [1, 2])), name="survey_offer_stage_known"
            ),
        ),
        migrations.AddIndex(
            model_name="surveyresponse",
            index=models.Index(fields=["landlord", "answered_on"], name="survey_answers_by_day"),
        ),
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.CheckConstraint(
                condition=models.Q(("satisfaction__gte", 1), ("satisfaction__lte", 5)), name="survey_rating_known"
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyresponse",
            constraint=models.CheckConstraint(
                condition=models.Q(("kept_informed__in", ["yes", "sometimes", "no"])), name="survey_kept_informed_known"
            ),
        ),
    ]
