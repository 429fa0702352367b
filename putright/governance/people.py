"""Who holds each oversight role at a landlord (reading only; appointments change through actions.bodies)."""

from __future__ import annotations

from datetime import date

from putright import clock
from putright.governance.models import Appointment, OversightRole


def holders(landlord_id: int, on: date | None = None) -> dict[str, Appointment]:
    """The appointment current on `on` (today by default) for each role that has one."""
    day = on or clock.today()
    found: dict[str, Appointment] = {}
    for appointment in Appointment.objects.filter(landlord_id=landlord_id, starts_on__lte=day).select_related("user"):
        if appointment.ends_on is None or appointment.ends_on >= day:
            current = found.get(appointment.role)
            if current is None or appointment.starts_on > current.starts_on:
                found[appointment.role] = appointment
    return found


def member_responsible(landlord_id: int, on: date | None = None) -> Appointment | None:
    """The Member Responsible for Complaints (9.5) on `on`, or None when no one is appointed."""
    return holders(landlord_id, on).get(OversightRole.MRC)


def approving_member_id(landlord_id: int) -> int | None:
    """The user account of the current MRC, who approves the self-assessment; None when a manager does."""
    member = member_responsible(landlord_id)
    return member.user_id if member is not None else None
