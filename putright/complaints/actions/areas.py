"""The service areas a complaint touches, one leading the response (issue 19; Medway 5.6.1: one response,
led by one person), and the landlord's own list of areas, each mapped to one of Putright's standard areas.

A complaint's areas are a list with exactly one lead; `Complaint.service_area` is kept as the lead's standard
area, so the worklists, letters and everything else that reads it go on working. The measures count a
complaint under every standard area it touches (putright.insight.measures).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from putright.complaints import access
from putright.complaints.actions.base import begin_stage_work, raise_invalid, save_complaint, write_event
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import ACTIVE_STATUSES, Complaint, ComplaintArea, ServiceArea, others_of
from putright.landlords.models import Landlord, LandlordServiceArea, StaffMember, StaffRole

NAME_MAX = 100
KEEPERS = "Only a complaints officer or a manager can change the landlord's service areas."


@dataclass(frozen=True)
class AreaChoice:
    """One area of a complaint: a standard area, or one of the landlord's own areas (by id), not both."""

    standard_area: str = ""
    landlord_area_id: int | None = None
    lead: bool = False


def _standard_list() -> str:
    return ", ".join(ServiceArea.values)


def area_values(rows: Iterable[ComplaintArea]) -> list[dict[str, Any]]:
    """A complaint's areas as plain values, lead first (for the Event and the API)."""
    return [
        {"area": a.standard_area, "landlord_area": a.landlord_area_id, "name": a.name, "lead": a.lead}
        for a in sorted(rows, key=lambda a: (not a.lead, a.pk or 0))
    ]


def _described(rows: Sequence[dict[str, Any]]) -> str:
    return ", ".join(f"{row['name']} (lead)" if row["lead"] else str(row["name"]) for row in rows) or "none"


def check_areas(complaint: Complaint, choices: Sequence[AreaChoice]) -> list[ComplaintArea]:
    """The complaint's new areas as unsaved rows, lead first, or InvalidInput saying what is wrong with the list:
    none chosen, no lead or two, an area that does not exist (or is another landlord's), one chosen twice."""
    errors: dict[str, str] = {}
    if not choices:
        errors["areas"] = "Choose at least one service area"
    wanted = {c.landlord_area_id for c in choices if c.landlord_area_id is not None}
    own = {a.pk: a for a in LandlordServiceArea.objects.filter(landlord_id=complaint.landlord_id, pk__in=wanted)}
    current = set(complaint.areas.exclude(landlord_area=None).values_list("landlord_area_id", flat=True))
    seen: set[tuple[str, int | str]] = set()
    rows: list[ComplaintArea] = []
    for choice in choices:
        if bool(choice.standard_area) == (choice.landlord_area_id is not None):
            errors.setdefault("areas", "Give each area either a standard area or one of your own areas, not both")
            continue
        if choice.landlord_area_id is not None:
            landlord_area = own.get(choice.landlord_area_id)
            if landlord_area is None:
                errors.setdefault("areas", f"There is no service area {choice.landlord_area_id} at this landlord")
                continue
            if not landlord_area.active and landlord_area.pk not in current:
                errors.setdefault("areas", f"{landlord_area.name} is no longer in use: choose another area")
                continue
            if landlord_area.standard_area not in ServiceArea.values:
                errors.setdefault("areas", f"{landlord_area.name} is not mapped to a standard area")
                continue
            key: tuple[str, int | str] = ("own", landlord_area.pk)
            row = ComplaintArea(
                complaint=complaint,
                standard_area=landlord_area.standard_area,
                landlord_area=landlord_area,
                lead=choice.lead,
            )
        else:
            if choice.standard_area not in ServiceArea.values:
                errors.setdefault(
                    "areas", f"There is no service area {choice.standard_area}: choose from {_standard_list()}"
                )
                continue
            key = ("standard", choice.standard_area)
            row = ComplaintArea(complaint=complaint, standard_area=choice.standard_area, lead=choice.lead)
        if key in seen:
            errors.setdefault("areas", f"{row.name} is chosen more than once: choose each area once")
            continue
        seen.add(key)
        rows.append(row)
    leads = sum(1 for c in choices if c.lead)
    if choices and leads == 0:
        errors["lead"] = "Choose the area that leads the response: one person leads it"
    elif leads > 1:
        errors["lead"] = "Choose only one area to lead the response"
    raise_invalid(errors)
    return sorted(rows, key=lambda row: not row.lead)


@transaction.atomic
def set_service_areas(
    complaint: Complaint,
    actor: User,
    *,
    areas: Sequence[AreaChoice],
    expected_version: int | None = None,
) -> Complaint:
    """Set the service areas a complaint touches, exactly one of them leading, by whoever may work on its
    current stage while it is active (as for its triage).

    The lead's standard area becomes `Complaint.service_area`; the Event keeps the areas before and after.
    """
    complaint, _, stage = begin_stage_work(
        complaint, actor, expected_version, ACTIVE_STATUSES, "change its service areas"
    )
    rows = check_areas(complaint, areas)
    before = area_values(complaint.areas.select_related("landlord_area"))

    def shape(values: Sequence[dict[str, Any]]) -> list[tuple[str, int, bool]]:
        return sorted((v["area"], v["landlord_area"] or 0, v["lead"]) for v in values)

    if shape(before) == shape(area_values(rows)):
        raise_invalid({"areas": "Nothing has changed: choose other areas or another lead"})
    ComplaintArea.objects.filter(complaint=complaint).delete()
    ComplaintArea.objects.bulk_create(rows)
    complaint.service_area = rows[0].standard_area
    complaint.other_areas = others_of(rows)
    save_complaint(complaint)
    after = area_values(rows)
    write_event(
        complaint,
        actor,
        "service-areas-changed",
        f"Service areas changed to {_described(after)}; they were {_described(before)}.",
        stage=stage.number,
        before={"service_areas": before},
        after={"service_areas": after},
    )
    complaint._prefetched_objects_cache = getattr(complaint, "_prefetched_objects_cache", {})  # type: ignore[attr-defined]
    complaint._prefetched_objects_cache["areas"] = rows  # type: ignore[attr-defined]
    return complaint


# -- the landlord's own areas ---------------------------------------------------------------------------------


def keeper_refusal(staff: StaffMember) -> str:
    """Why `staff` may not change the landlord's list of areas; empty if they may (officers and managers)."""
    if staff.role in access.SUPERVISORS:
        return ""
    if staff.role == StaffRole.AUDITOR:
        return f"{access.READ_ONLY} but not change its service areas."
    return KEEPERS


def require_area_keeper(actor: User, landlord: Landlord) -> StaffMember:
    """A complaints officer or a manager of `landlord`: the only people who change its list of areas."""
    staff = access.staff_of(actor, landlord.pk)
    if staff is None:
        raise NotPermitted("You can only change the service areas of a landlord you work for.")
    refusal = keeper_refusal(staff)
    if refusal:
        raise NotPermitted(refusal)
    return staff


def _check_area(
    landlord: Landlord, name: str, standard_area: str, errors: dict[str, str], exclude: int | None = None
) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "Enter the name of the service area"
    elif len(name) > NAME_MAX:
        errors["name"] = f"The name must be {NAME_MAX} characters or fewer (it is {len(name)})"
    else:
        others = LandlordServiceArea.objects.filter(landlord=landlord, name__iexact=name)
        if exclude is not None:
            others = others.exclude(pk=exclude)
        if others.exists():
            errors["name"] = f"{name} is already one of your service areas: choose another name"
    if standard_area not in ServiceArea.values:
        errors["standard_area"] = f"Choose the standard area it counts under: {_standard_list()}"
    return name


@transaction.atomic
def add_landlord_area(landlord: Landlord, actor: User, *, name: str, standard_area: str) -> LandlordServiceArea:
    """Add one of the landlord's own service areas, mapped to the standard area it counts under."""
    require_area_keeper(actor, landlord)
    errors: dict[str, str] = {}
    name = _check_area(landlord, name, standard_area, errors)
    raise_invalid(errors)
    try:
        with transaction.atomic():
            return LandlordServiceArea.objects.create(landlord=landlord, name=name, standard_area=standard_area)
    except IntegrityError:  # the same name added a moment ago by someone else
        raise InvalidInput({"name": f"{name} is already one of your service areas: choose another name"}) from None


@transaction.atomic
def change_landlord_area(
    area: LandlordServiceArea,
    actor: User,
    *,
    name: str | None = None,
    standard_area: str | None = None,
    active: bool | None = None,
) -> LandlordServiceArea:
    """Rename an area, map it to another standard area, or stop or start using it (it is never deleted, so the
    complaints recorded against it keep it). An area already recorded on complaints keeps its mapping: moving
    it would move those complaints between standard areas in figures already reported, so a new area is
    added instead and this one stopped."""
    locked = LandlordServiceArea.objects.select_for_update().select_related("landlord").get(pk=area.pk)
    require_area_keeper(actor, locked.landlord)
    errors: dict[str, str] = {}
    cleaned = _check_area(
        locked.landlord,
        locked.name if name is None else name,
        locked.standard_area if standard_area is None else standard_area,
        errors,
        exclude=locked.pk,
    )
    remapped = standard_area is not None and standard_area != locked.standard_area
    if remapped and "standard_area" not in errors:
        used = ComplaintArea.objects.filter(landlord_area=locked).count()
        if used:
            errors["standard_area"] = (
                f"{locked.name} is recorded on {used} complaint{'s' if used != 1 else ''}, so it keeps its standard "
                "area: add a new area for the other one and stop using this one"
            )
    raise_invalid(errors)
    locked.name = cleaned
    if standard_area is not None:
        locked.standard_area = standard_area
    if active is not None:
        locked.active = active
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:  # renamed to a name another change took a moment ago
        raise InvalidInput({"name": f"{cleaned} is already one of your service areas: choose another name"}) from None
    return locked
