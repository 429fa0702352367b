"""The letters that tell a resident of a contact restriction and of its end (5.14, 5.15)."""

from django.db import migrations, models

LETTER_TYPES = [
    ("stage1-acknowledgement", "Stage 1 acknowledgement"),
    ("stage2-acknowledgement", "Stage 2 acknowledgement"),
    ("extension", "Extension notice"),
    ("stage1-response", "Stage 1 response"),
    ("stage2-response", "Stage 2 (final) response"),
    ("not-accepted", "Complaint not accepted"),
    ("escalation-refused", "Escalation refused"),
    ("clarification", "Clarification request"),
    ("update", "Update on a late complaint"),
    ("closure", "Closure"),
    ("contact-restriction", "Contact restriction"),
    ("contact-restriction-ended", "Contact restriction ended"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0004_letterstyle_contact_and_team"),
        ("people", "0004_restrictions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letter",
            name="letter_type",
            field=models.CharField(choices=LETTER_TYPES, max_length=30),
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="letter_type",
            field=models.CharField(choices=LETTER_TYPES, max_length=30),
        ),
    ]
