"""Representatives' authority and what they may see (3.6).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_restrictions"),
    ]

    operations = [
        migrations.AddField(
            model_name="representative",
            name="authority_expires_on",
            field=models.DateField(
                blank=True, help_text="The last day their authority runs, when the resident gave one", null=True
            ),
        ),
        migrations.AddField(
            model_name="representative",
            name="ended_on",
            field=models.DateField(blank=True, help_text="The day they stopped acting for the resident", null=True),
        ),
        migrations.AddField(
            model_name="representative",
            name="letters_copied",
            field=models.BooleanField(default=True, help_text="Letters to the resident are copied to them"),
        ),
        migrations.AddField(
            model_name="representative",
            name="portal_access",
            field=models.BooleanField(default=True, help_text="They may follow the complaint online"),
        ),
        migrations.AlterField(
            model_name="representative",
            name="authority",
            field=models.CharField(
                choices=[
                    ("written", "Written consent from the resident"),
                    ("verbal", "Verbal consent from the resident"),
                    ("presumed", "Presumed: an elected member, or an advice agency where the policy says so"),
                    ("legal", "Legal authority (power of attorney, deputyship)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="representative",
            name="relationship",
            field=models.CharField(
                choices=[
                    ("relative", "Relative or friend"),
                    ("advocate", "Advocate or support worker"),
                    ("councillor", "Councillor"),
                    ("mp", "Member of Parliament"),
                    ("solicitor", "Solicitor"),
                    ("advice-agency", "Advice agency (such as Citizens Advice)"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
    ]
