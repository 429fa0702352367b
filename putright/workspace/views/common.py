"""What the workspace's views share beyond the web kit: where a complaint's page is."""

from __future__ import annotations

from django.urls import reverse

from putright.complaints.models import Complaint


def complaint_url(complaint: Complaint) -> str:
    return reverse("workspace:complaint", args=[complaint.reference])
