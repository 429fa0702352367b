"""Anonymous and offline complainants: a person may have no name when they did not give one (Medway 5.10.17).

Made ahead, empty, so that the parts of issue 15 could add their models at the same time in one chain."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_representatives"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="anonymous",
            field=models.BooleanField(default=False, help_text="The complainant did not give their name"),
        ),
        migrations.AlterField(
            model_name="person",
            name="name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="person",
            name="preferred_contact",
            field=models.CharField(
                blank=True,
                choices=[("email", "Email"), ("phone", "Phone"), ("letter", "Letter"), ("text", "Text message")],
                default="email",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(
                condition=models.Q(("anonymous", True), models.Q(("name", ""), _negated=True), _connector="OR"),
                name="person_named_unless_anonymous",
            ),
        ),
    ]
