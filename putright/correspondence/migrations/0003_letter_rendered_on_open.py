from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0002_inbound_message_id_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letter",
            name="rendering",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting for the worker"),
                    ("ready", "Ready"),
                    ("failed", "Rendering failed"),
                    ("on-open", "Rendered when first opened"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
    ]
