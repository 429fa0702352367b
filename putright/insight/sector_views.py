"""/staff/insight/sector/: the landlord's Ombudsman findings beside landlords of its type and size.

For the complaints officer, managers and the auditor (putright.insight.access), of their own landlord only.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from putright.insight import access
from putright.insight.sector import FEWEST_IN_BAND, sector_comparison
from putright.web.authorise import StaffRequest, staff_view


@require_GET
@staff_view
def sector(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    comparison = sector_comparison(staff.landlord)
    return render(
        request,
        "insight/sector.html",
        {
            "section": "sector",
            "landlord": staff.landlord,
            "comparison": comparison,
            "fewest_in_band": FEWEST_IN_BAND,
        },
    )
