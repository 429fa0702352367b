"""/service-areas: the landlord's own service areas, each mapped to a standard area; and
/complaints/{reference}/service-areas: the areas a complaint touches, exactly one leading (issue 19).

Every member of staff reads the landlord's areas; complaints officers and managers add and change them.
Whoever may work on a complaint's current stage sets its areas, as for its triage. Another landlord's
complaint or area is a 404, like one that does not exist. Registered in putright.api.main.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, record
from putright.api.errors import NotFound
from putright.complaints import access, actions
from putright.complaints.actions.areas import NAME_MAX
from putright.complaints.models import Complaint, ServiceArea
from putright.landlords.models import LandlordServiceArea

router = Router(tags=["service areas"])

MAX_AREAS = 50


class LandlordAreaOut(Schema):
    id: int
    name: str
    standard_area: ServiceArea = Field(description="The standard area its complaints count under in the measures")
    active: bool = Field(description="False once the landlord stopped using it: kept on the complaints it is on")


class LandlordAreaIn(s.BodyIn):
    name: s.Text = Field(min_length=1, max_length=NAME_MAX)
    standard_area: ServiceArea


class LandlordAreaChangeIn(s.BodyIn):
    name: s.Text | None = Field(None, min_length=1, max_length=NAME_MAX)
    standard_area: ServiceArea | None = Field(None, description="Only while no complaint is recorded against the area")
    active: bool | None = None


class ComplaintAreaIn(s.BodyIn):
    area: ServiceArea | None = Field(None, description="A standard area; or give landlord_area")
    landlord_area: s.Id | None = Field(None, description="The id of one of your landlord's own areas")
    lead: bool = Field(False, description="Exactly one area leads the response")


class ComplaintAreasIn(s.BodyIn):
    version: s.Version = None
    service_areas: list[ComplaintAreaIn] = Field(max_length=MAX_AREAS)


def _own_area(request: HttpRequest, area_id: int) -> LandlordServiceArea:
    staff = access.require_staff(caller(request))
    area = LandlordServiceArea.objects.filter(pk=area_id, landlord_id=staff.landlord_id).first()
    if area is None:
        raise NotFound("service area")
    return area


@router.get("/service-areas", response={200: list[LandlordAreaOut], **READ_REFUSALS})
def list_service_areas(request: HttpRequest) -> list[LandlordServiceArea]:
    """Your landlord's own service areas, by name, each with the standard area it counts under."""
    staff = access.require_staff(caller(request))
    return list(LandlordServiceArea.objects.filter(landlord_id=staff.landlord_id).order_by("name", "id"))


@router.post("/service-areas", response={201: LandlordAreaOut, **REFUSALS})
def add_service_area(request: HttpRequest, payload: LandlordAreaIn) -> Status[LandlordServiceArea]:
    """Add one of your landlord's own service areas (complaints officers and managers)."""
    user = caller(request)
    staff = access.require_staff(user)
    area = actions.add_landlord_area(staff.landlord, user, name=payload.name, standard_area=payload.standard_area)
    return Status(201, area)


@router.patch("/service-areas/{area_id}", response={200: LandlordAreaOut, **REFUSALS})
def change_service_area(request: HttpRequest, area_id: s.Id, payload: LandlordAreaChangeIn) -> LandlordServiceArea:
    """Rename one of your landlord's areas, map it to another standard area, or stop or start using it."""
    return actions.change_landlord_area(
        _own_area(request, area_id),
        caller(request),
        name=payload.name,
        standard_area=payload.standard_area,
        active=payload.active,
    )


@router.put("/complaints/{reference}/service-areas", response={200: s.ComplaintDetail, **REFUSALS})
def set_complaint_service_areas(request: HttpRequest, reference: s.Reference, payload: ComplaintAreasIn) -> Complaint:
    """Set the service areas the complaint touches, exactly one leading, by whoever may work on its stage."""
    complaint = actions.set_service_areas(
        _complaint(request, reference),
        caller(request),
        areas=[actions.AreaChoice(str(a.area or ""), a.landlord_area, a.lead) for a in payload.service_areas],
        expected_version=payload.version,
    )
    return record(request, complaint.reference)
