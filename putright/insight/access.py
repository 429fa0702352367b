"""Who may read insight and who may change what it keeps, on top of putright.complaints.access.

Insight is for the people who oversee complaint handling: the complaints officer, managers (one of
whom acts as the Member Responsible for Complaints, 9.5) and the auditor, who reads only. Handlers
and stage 2 reviewers work from the workspace. Everything is scoped to the user's own landlord.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole

READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR)
EDITORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)
APPROVERS = (StaffRole.MANAGER,)


def _require(user: AbstractBaseUser | AnonymousUser | None, roles: tuple[StaffRole, ...], doing: str) -> StaffMember:
    staff = access.require_staff(user)
    if staff.role not in roles:
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to {doing}.")
    return staff


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the auditor, at their own landlord."""
    return _require(user, READERS, "see complaint measures and reports")


def require_editor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer or a manager: they draft the self-assessment, reports and the improvement register."""
    return _require(user, EDITORS, "change reports, the self-assessment or the improvement register")


def require_approver(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """A manager, acting as the Member Responsible for Complaints (9.5, 9.6)."""
    return _require(user, APPROVERS, "approve the self-assessment as the Member Responsible for Complaints")


def can_edit(staff: StaffMember) -> bool:
    return staff.role in EDITORS


def can_approve(staff: StaffMember) -> bool:
    return staff.role in APPROVERS
