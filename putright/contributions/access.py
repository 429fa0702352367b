"""Who may keep the landlord's contractors, and who may ask others to contribute to a complaint.

The contractors are configuration the complaints officer keeps, with managers, like the letter
wording (putright.correspondence.access); every member of staff who reads complaints reads the list.
Asking a contractor, another team or a colleague for information, recording their answer,
reminding them or withdrawing the request is work on the complaint: whoever may log complaints at
its landlord may do it (the auditor reads and changes nothing). Every check runs on the person's
place at the record's own landlord (putright.complaints.access).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.access import READ_ONLY, Capability
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint
from putright.landlords.models import StaffMember, StaffRole

KEEPERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)
READERS = access.READERS
KEEPERS_ONLY = "Only a complaints officer or a manager can add or change contractors."
ASKING = "ask others for information on a complaint or record their answers"
CASEWORKERS_ONLY = (
    "Only a complaint handler, a stage 2 reviewer, a complaints officer or a manager can ask others for "
    "information on a complaint or record their answers."
)


def place(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None = None) -> StaffMember:
    """The user's place at `landlord_id` (or the landlord they act for) as staff who work with complaints."""
    return access.require_staff(user, landlord_id)


def require_reader(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None = None) -> StaffMember:
    staff = place(user, landlord_id)
    if staff.role not in READERS:
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to see the contractors.")
    return staff


def can_keep(staff: StaffMember) -> bool:
    return staff.role in KEEPERS


def require_keeper(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None = None) -> StaffMember:
    """The complaints officer or a manager at the landlord: they add, change and deactivate contractors."""
    staff = place(user, landlord_id)
    if staff.role == StaffRole.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not add or change contractors.")
    if not can_keep(staff):
        raise NotPermitted(KEEPERS_ONLY)
    return staff


def can_ask(staff: StaffMember, complaint: Complaint) -> bool:
    """Whether `staff` may ask for information on `complaint` and record what comes back."""
    return access.can(staff, Capability.LOG, complaint)


def require_asker(user: AbstractBaseUser | AnonymousUser | None, complaint: Complaint) -> StaffMember:
    """Refuse with the real reason unless the user may ask for information on this complaint."""
    staff = place(user, complaint.landlord_id)
    if complaint.about_staff_id == staff.user_id:
        raise NotPermitted(access.ABOUT_YOU)
    if staff.role == StaffRole.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not {ASKING}.")
    if not can_ask(staff, complaint):
        raise NotPermitted(CASEWORKERS_ONLY)
    return staff
