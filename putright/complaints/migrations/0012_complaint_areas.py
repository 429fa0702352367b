"""The service areas a complaint touches, one leading (issue 19); every complaint with a service area gets
that area as its lead, so `Complaint.service_area` and the lead agree from the start."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

AREAS = [
    ("repairs", "Repairs and maintenance"),
    ("damp-mould", "Damp and mould"),
    ("asb", "Anti-social behaviour"),
    ("tenancy", "Tenancy management"),
    ("rent", "Rent, charges and arrears"),
    ("estate", "Estates, grounds and cleaning"),
    ("allocations", "Allocations and lettings"),
    ("homelessness", "Homelessness and housing advice"),
    ("staff-conduct", "Staff conduct and communication"),
    ("contractor", "Contractors"),
    ("other", "Something else"),
]
BATCH = 2_000


def lead_from_service_area(apps: Any, schema_editor: Any) -> None:
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintArea = apps.get_model("complaints", "ComplaintArea")
    rows = Complaint.objects.exclude(service_area="").order_by("pk").values_list("pk", "service_area")
    batch = []
    for complaint_id, area in rows.iterator(chunk_size=BATCH):
        batch.append(ComplaintArea(complaint_id=complaint_id, standard_area=area, lead=True))
        if len(batch) >= BATCH:
            ComplaintArea.objects.bulk_create(batch)
            batch = []
    ComplaintArea.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0011_stages_unanswered_index"),
        ("landlords", "0011_landlord_service_areas"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("standard_area", models.CharField(choices=AREAS, max_length=20)),
                ("lead", models.BooleanField(default=False)),
                (
                    "complaint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="areas", to="complaints.complaint"
                    ),
                ),
                (
                    "landlord_area",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="complaint_areas",
                        to="landlords.landlordservicearea",
                    ),
                ),
            ],
            options={
                "ordering": ["-lead", "id"],
                "indexes": [models.Index(fields=["standard_area", "complaint"], name="complaint_areas_by_area")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("lead", True)), fields=("complaint",), name="one_lead_area_per_complaint"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("landlord_area__isnull", True)),
                        fields=("complaint", "standard_area"),
                        name="standard_area_once_per_complaint",
                    ),
                    models.UniqueConstraint(
                        fields=("complaint", "landlord_area"), name="landlord_area_once_per_complaint"
                    ),
                ],
            },
        ),
        migrations.RunPython(lead_from_service_area, migrations.RunPython.noop),
    ]
