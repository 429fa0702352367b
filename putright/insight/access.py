"""Who may read insight and who may change what it keeps, on top of putright.complaints.access.

Insight is for the people who oversee complaint handling: the complaints officer, managers, the auditor, who
reads only, and the Member Responsible for Complaints (9.5), a board member or councillor who reads insight and
records the governing body's response to what it was presented, but never opens an individual complaint.
Handlers and stage 2 reviewers work from the workspace. Everything is scoped to the user's own landlord.

The self-assessment is approved by the Member Responsible for Complaints when the landlord has appointed one
with a sign-in account (whatever that account's role); otherwise by a manager.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.governance import people
from putright.landlords.models import StaffMember, StaffRole

READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR, StaffRole.MEMBER)
EDITORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)
RESPONDERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.MEMBER)
APPROVERS = (StaffRole.MANAGER,)  # when no Member Responsible for Complaints has an account
MANAGER_APPROVES = "Approved by a manager: no Member Responsible for Complaints has an account"


def _require(user: AbstractBaseUser | AnonymousUser | None, roles: tuple[StaffRole, ...], doing: str) -> StaffMember:
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    if staff.role not in roles:
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to {doing}.")
    return staff


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager, the auditor or the Member Responsible for Complaints."""
    return _require(user, READERS, "see complaint measures and reports")


def require_editor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer or a manager: they draft the self-assessment, reports and the improvement register."""
    return _require(user, EDITORS, "change reports, the self-assessment or the improvement register")


def require_responder(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the Member Responsible for Complaints: they record what the
    governing body said about a report presented to it (8.2, 9.6)."""
    return _require(user, RESPONDERS, "record the governing body's response")


def require_approver(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The Member Responsible for Complaints with an account (9.5, 9.6); a manager when there is none."""
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    member = people.member_responsible(staff.landlord_id)
    if member is not None and member.user_id is not None:
        if member.user_id != staff.user_id:
            raise NotPermitted(
                f"Only the Member Responsible for Complaints ({member.name}) can approve the self-assessment."
            )
        return staff
    return _require(user, APPROVERS, "approve the self-assessment as the Member Responsible for Complaints")


def can_edit(staff: StaffMember) -> bool:
    return staff.role in EDITORS


def can_respond(staff: StaffMember) -> bool:
    return staff.role in RESPONDERS


def can_approve(staff: StaffMember) -> bool:
    member_user = people.approving_member_id(staff.landlord_id)
    if member_user is not None:
        return member_user == staff.user_id
    return staff.role in APPROVERS


def approved_by_manager(landlord_id: int) -> bool:
    """Whether a manager approves because no Member Responsible for Complaints has an account."""
    return people.approving_member_id(landlord_id) is None
