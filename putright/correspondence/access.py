"""Who may read and change a landlord's letter wording, letterhead and outbox.

The wording of every letter is the complaints officer's to keep (4.2), with managers; the auditor
reads it and the outbox but changes nothing. Handlers and stage 2 reviewers send the letters the
wording produces, from each complaint's page, and need neither.

Mail and letters on a complaint (the outbox, the letters with no way to send them, email that came
in) are read only by those who may read that complaint: `on_readable_complaint` applies the
complaint's own reading rule (`complaints.access.readable_by`), so a confidential complaint's
subjects and words stay with the people who may read it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole

READERS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER, StaffRole.AUDITOR)
EDITORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)


def _require(user: AbstractBaseUser | AnonymousUser | None, roles: tuple[StaffRole, ...], doing: str) -> StaffMember:
    staff = access.require_staff(user)
    if staff.role not in roles:
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to {doing}.")
    return staff


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer, a manager or the auditor: they may see the wording, letterhead and outbox."""
    return _require(user, READERS, "see the letter wording or the outbox")


def require_editor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The complaints officer or a manager: they may change the wording and letterhead, and resend email."""
    return _require(user, EDITORS, "change the letter wording or resend email")


def can_read(staff: StaffMember) -> bool:
    return staff.role in READERS


def can_edit(staff: StaffMember) -> bool:
    return staff.role in EDITORS


def on_readable_complaint(staff: StaffMember, *, or_none: bool = True) -> Q:
    """Rows (email, letters) whose complaint `staff` may read; with `or_none`, also those on no complaint."""
    readable = access.readable_by(staff, "complaint__")
    return Q(complaint__isnull=True) | readable if or_none else readable
