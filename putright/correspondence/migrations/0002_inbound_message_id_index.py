from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="inboundmessage",
            index=models.Index(fields=["message_id"], name="inbound_by_message_id"),
        ),
    ]
