"""Who oversees complaint handling, on top of putright.complaints.access: the roles that read and keep
governance records (and, through putright.insight.access, insight's measures and reports).

The complaints officer and managers keep the records; the auditor reads only; the Member Responsible for
Complaints (role "member") reads and records the governing body's response to what it was presented.
Everything is scoped to the user's own landlord: `require_at` refuses another landlord's record as if it did not exist.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole

READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR, StaffRole.MEMBER)
EDITORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)
# Who records what the governing body or the MRC said about a report presented to them (8.2, 9.6).
RESPONDERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.MEMBER)


def require_role(user: AbstractBaseUser | AnonymousUser | None, roles: tuple[str, ...], doing: str) -> StaffMember:
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    if staff.role not in roles:
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to {doing}.")
    return staff


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager, the auditor or the Member Responsible for Complaints."""
    return require_role(user, READERS, "see complaint measures, reports and governance records")


def require_editor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer or a manager: they keep the governance records."""
    return require_role(user, EDITORS, "change governance records")


def require_responder(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the Member Responsible for Complaints."""
    return require_role(user, RESPONDERS, "record the governing body's response")


def require_at(staff: StaffMember, landlord_id: int) -> None:
    """Refuse a record of another landlord (pages and the API answer 404 for it)."""
    if staff.landlord_id != landlord_id:
        raise NotPermitted("You can only act for your own landlord.")
