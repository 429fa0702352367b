"""/places: the landlords the caller works for, with their role at each (a managing agent's staff work for several).

A landlord-wide call acts for the landlord named by the `Putright-Landlord` header (its slug), else the first
of these; a call about one complaint acts for the complaint's own landlord (docs/agents.md)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from putright.api import schemas as s
from putright.api.auth import caller
from putright.complaints import access

router = Router(tags=["places"])


class PlaceOut(Schema):
    landlord: str = Field(description="The landlord's slug, as the Putright-Landlord header and ?landlord= take it")
    landlord_name: str
    role: str
    role_label: str
    managing_agent: str | None = Field(description="The agent that handles this landlord's complaints, if any")
    as_agent_staff: bool = Field(description="Whether this place is held as the managing agent's staff")
    acting: bool = Field(description="Whether this call acts for this landlord")


@router.get("/places", response={200: list[PlaceOut], 401: s.ErrorOut})
def list_places(request: HttpRequest) -> list[dict[str, object]]:
    """The landlords you work for, your role at each, and which one this call acts for."""
    user = caller(request)
    acting = access.staff_of(user)
    return [
        {
            "landlord": place.landlord.slug,
            "landlord_name": place.landlord.name,
            "role": place.role,
            "role_label": place.get_role_display(),
            "managing_agent": place.landlord.managing_agent.name if place.landlord.managing_agent else None,
            "as_agent_staff": place.agent_id is not None,
            "acting": acting is not None and place.pk == acting.pk,
        }
        for place in access.places(user)
    ]
