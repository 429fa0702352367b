"""Who reads what residents said in the survey.

The figures sit beside TP09 for every reader of insight. The comments name complaints, so they are
for the people who work with complaints' records: the complaints officer, managers and the auditor;
not the Member Responsible for Complaints, who reads insight but never an individual complaint.
Everything is scoped to the reader's own landlord.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole

COMMENT_READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR)


def can_read_comments(staff: StaffMember) -> bool:
    return staff.role in COMMENT_READERS


def require_comment_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the auditor."""
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    if not can_read_comments(staff):
        raise NotPermitted(
            f"Your role ({staff.get_role_display()}) does not allow you to read residents' survey comments."
        )
    return staff
