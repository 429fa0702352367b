"""The service areas a complaint touches, one leading (issue 19), changed from its page by whoever may work on
its stage (as for its triage); and the landlord's own list of areas at /staff/settings/service-areas/, which
every member of staff reads and complaints officers and managers change."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright.complaints import actions
from putright.complaints.access import Capability
from putright.complaints.actions.areas import keeper_refusal
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import Complaint, ComplaintArea, ServiceArea
from putright.landlords.models import LandlordServiceArea, StaffMember
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace import steps
from putright.workspace.forms.areas import (
    ChangeLandlordAreaForm,
    ComplaintAreasForm,
    LandlordAreaForm,
    area_choices,
    area_key,
)
from putright.workspace.views.common import complaint_url
from putright.workspace.views.triage import can_change_priority


@require_http_methods(["GET", "POST"])
@staff_view
def complaint_areas(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    situation = steps.situation(request.staff, complaint)
    situation.require(Capability.WORK)
    current = list(ComplaintArea.objects.filter(complaint=complaint).select_related("landlord_area"))
    on_it = {row.landlord_area_id for row in current}
    own = LandlordServiceArea.objects.filter(landlord_id=complaint.landlord_id).order_by("name", "id")
    choices = area_choices(area for area in own if area.active or area.pk in on_it)
    lead = next((area_key(row) for row in current if row.lead), "")
    form = ComplaintAreasForm(
        request.POST or None,
        choices=choices,
        initial={
            "expected_version": complaint.version,
            "areas": [area_key(row) for row in current],
            "lead": lead,
        },
    )

    def commit() -> Complaint:
        return actions.set_service_areas(
            complaint,
            request.user,
            areas=form.choices_made(),
            expected_version=form.cleaned_data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/areas/complaint_areas.html",
        context={
            "complaint": complaint,
            "current": current,
            "active": can_change_priority(situation),
            "can_keep_areas": _keeps_areas(request.staff),
        },
        done=lambda c: complaint_url(c) + "#service-areas",
        message=lambda c: "Service areas changed",
    )


# -- the landlord's own areas ---------------------------------------------------------------------------------


def _keeps_areas(staff: StaffMember) -> bool:
    return not keeper_refusal(staff)


def _area(staff: StaffMember, area_id: int) -> LandlordServiceArea:
    area = LandlordServiceArea.objects.filter(pk=area_id, landlord_id=staff.landlord_id).first()
    if area is None:
        raise Http404("No such service area")
    return area


@require_GET
@staff_view
def landlord_areas(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    labels = dict(ServiceArea.choices)
    rows = [
        (area, labels.get(area.standard_area, area.standard_area))
        for area in LandlordServiceArea.objects.filter(landlord_id=staff.landlord_id).order_by("name", "id")
    ]
    return render(
        request,
        "workspace/areas/landlord_areas.html",
        {"landlord": staff.landlord, "rows": rows, "can_edit": _keeps_areas(staff)},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def landlord_area_new(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    if not _keeps_areas(staff):
        raise NotPermitted(keeper_refusal(staff))
    form = LandlordAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = actions.add_landlord_area(
                staff.landlord,
                request.user,
                name=form.cleaned_data["name"],
                standard_area=form.cleaned_data["standard_area"],
            )
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        else:
            messages.success(request, f"{area.name} added to your service areas")
            return redirect("workspace:service-areas")
    return render(
        request,
        "workspace/areas/landlord_area_form.html",
        {"form": form, "errors": form.error_links(), "landlord": staff.landlord, "area": None},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def landlord_area_change(request: StaffRequest, area_id: int) -> HttpResponse:
    staff = request.staff
    area = _area(staff, area_id)
    if not _keeps_areas(staff):
        raise NotPermitted(keeper_refusal(staff))
    form = ChangeLandlordAreaForm(
        request.POST or None,
        initial={"name": area.name, "standard_area": area.standard_area, "active": "yes" if area.active else "no"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = actions.change_landlord_area(
                area,
                request.user,
                name=data["name"],
                standard_area=data["standard_area"],
                active=data["active"] == "yes",
            )
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        else:
            messages.success(request, f"{area.name} saved")
            return redirect(reverse("workspace:service-areas"))
    return render(
        request,
        "workspace/areas/landlord_area_form.html",
        {"form": form, "errors": form.error_links(), "landlord": staff.landlord, "area": area},
    )
