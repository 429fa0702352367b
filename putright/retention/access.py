"""Who may see and decide what happens to records under the retention schedule.

Retention is the data protection side of the complaints officer's work: the complaints officer and
managers change the schedule, hold records and anonymise them; the auditor reads; handlers, stage 2
reviewers and the Member Responsible for Complaints are refused with a sentence saying why. Everything
is scoped to the user's own landlord (another landlord's complaint is not found).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole

READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR)
EDITORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)


def _require(user: AbstractBaseUser | AnonymousUser | None, roles: tuple[StaffRole, ...], doing: str) -> StaffMember:
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    if staff.role not in roles:
        raise NotPermitted(
            f"Your role ({staff.get_role_display()}) does not allow you to {doing}: "
            "the complaints officer and managers look after the retention schedule."
        )
    return staff


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the auditor."""
    return _require(user, READERS, "see the retention schedule or the records under review")


def require_editor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer or a manager."""
    return _require(user, EDITORS, "change the retention schedule, hold a record or anonymise one")


def can_edit(staff: StaffMember) -> bool:
    return staff.role in EDITORS
