"""Who may read and work Ombudsman cases: whoever may read a case's complaint reads the case
(handlers and the auditor included); complaints officers and managers act on them, as they record
the referral itself (Capability.REFER). The owner of an order may also record its progress.
Another landlord's case is a 404, as its complaint is, and so is a case on a confidential complaint
to anyone the complaint's reading rule (`complaints.access.readable_by`) keeps it from."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember
from putright.ombudsman.models import OmbudsmanCase, Order

CASEWORK = "work on Ombudsman cases"


def cases_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[OmbudsmanCase]:
    """The cases on complaints `user` may read: the complaint's own reading rule, one condition on the row."""
    readers = access.reading_places(user)
    if not readers:
        return OmbudsmanCase.objects.none()
    return OmbudsmanCase.objects.filter(access.readable_across(readers, "complaint__"))


def can_work(staff: StaffMember, landlord_id: int | None = None) -> bool:
    """Complaints officers and managers of the case's landlord open, move and record cases."""
    place = staff if landlord_id is None else access.at(staff, landlord_id)
    return place is not None and place.role in access.SUPERVISORS


def require_work(staff: StaffMember, landlord_id: int) -> None:
    staff = access.require_at_landlord(staff, landlord_id)
    if staff.role == access.R.AUDITOR:
        raise NotPermitted(f"{access.READ_ONLY} but not {CASEWORK}.")
    if not can_work(staff, landlord_id):
        raise NotPermitted(f"Only a complaints officer or a manager can {CASEWORK}.")


def can_update_order(staff: StaffMember, order: Order, landlord_id: int) -> bool:
    """Whoever owns the order, or a supervisor, records its progress and the evidence of compliance."""
    place = access.at(staff, landlord_id)
    return place is not None and (
        can_work(place, landlord_id) or (place.role in access.CASEWORKERS and order.owner_id == place.user_id)
    )


def require_order_update(staff: StaffMember, order: Order, landlord_id: int) -> None:
    staff = access.require_at_landlord(staff, landlord_id)
    if staff.role == access.R.AUDITOR:
        raise NotPermitted(f"{access.READ_ONLY} but not record progress on the Ombudsman's orders.")
    if not can_update_order(staff, order, landlord_id):
        raise NotPermitted(
            "Only the person the order is for, a complaints officer or a manager can record progress on it."
        )


BUNDLE_READERS = "Only a complaints officer, a manager or the auditor can download the evidence bundle."


def can_download_bundle(staff: StaffMember, landlord_id: int) -> bool:
    """The bundle is the whole record as sent to the Ombudsman: its readers are those who send it and
    the auditor who checks it, not every handler of the landlord's complaints."""
    place = access.at(staff, landlord_id)
    return place is not None and (place.role in access.SUPERVISORS or place.role == access.R.AUDITOR)


def require_bundle_download(staff: StaffMember, landlord_id: int) -> None:
    if not can_download_bundle(staff, landlord_id):
        raise NotPermitted(BUNDLE_READERS)
