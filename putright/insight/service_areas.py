"""The landlord's own names for Putright's standard service areas (issue 17), changed by a complaints officer
or manager from insight: Dartford's "Communal areas" for estates, grounds and cleaning, say. Complaints stay
recorded against the standard areas, so the Ombudsman's and the sector's comparisons still line up; the
landlord's reports show its own names."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import ServiceArea
from putright.insight import access
from putright.landlords.models import Landlord, ServiceAreaName

NAME_MAX = 100


def names_of(landlord: Landlord) -> dict[str, str]:
    """The landlord's name for each standard area it has renamed, by the area's key."""
    return dict(ServiceAreaName.objects.filter(landlord=landlord).values_list("area", "name"))


@transaction.atomic
def name_service_areas(landlord: Landlord, actor: User, names: Mapping[str, str]) -> dict[str, str]:
    """Set the landlord's names for the standard areas in one go: an empty name gives an area back its
    standard name. Names are checked together (no two areas may share one) before anything is written."""
    staff = access.require_editor(actor)
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can only name your own landlord's service areas.")
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    unknown = sorted(set(names) - set(ServiceArea.values))
    if unknown:
        errors["areas"] = f"There is no standard service area {', '.join(unknown)}"
    standard = {label.casefold(): key for key, label in ServiceArea.choices}
    seen: dict[str, str] = {}
    for key, label in ServiceArea.choices:
        name = " ".join((names.get(key) or "").split())
        if not name:
            continue
        if len(name) > NAME_MAX:
            errors[key] = f"The name for {label.lower()} must be {NAME_MAX} characters or fewer (it is {len(name)})"
            continue
        folded = name.casefold()
        if folded in seen:
            errors[key] = f"{name} is already the name for {dict(ServiceArea.choices)[seen[folded]].lower()}"
            continue
        if standard.get(folded, key) != key:
            errors[key] = f"{name} is the standard name of another service area: choose another name"
            continue
        seen[folded] = key
        if name != label:
            cleaned[key] = name
    if errors:
        raise InvalidInput(errors)
    ServiceAreaName.objects.filter(landlord=landlord).exclude(area__in=cleaned).delete()
    for key, name in cleaned.items():
        # Clear a name another area is giving up first, so the unique name constraint holds at every step.
        ServiceAreaName.objects.filter(landlord=landlord, name=name).exclude(area=key).delete()
        ServiceAreaName.objects.update_or_create(landlord=landlord, area=key, defaults={"name": name})
    return names_of(landlord)
