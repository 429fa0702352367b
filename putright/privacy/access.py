"""Who may see and act on residents' data protection requests.

The complaints officer and managers record, decide and carry out requests and download the copy of
a resident's data; the auditor reads them (not the copy: it is everything about a resident, and
reading the request shows what was done); handlers and stage 2 reviewers work on complaints, not
on requests about a resident's data. Another landlord's request does not exist (a 404).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints.access import READ_ONLY, readable_by, require_staff
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint
from putright.landlords.models import StaffMember, StaffRole

ACTORS = (StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)
READERS = (*ACTORS, StaffRole.AUDITOR)
NOT_FOR_CASEWORK = (
    "Only a complaints officer, a manager or the auditor can see residents' data protection requests "
    "(to see their data, erase it or restrict its use)."
)
ACT = "Only a complaints officer or a manager can record or decide residents' data protection requests."
DOWNLOAD = "Only a complaints officer or a manager can download a copy of a resident's data."
NOT_YOURS_TO_READ = (
    "One of this resident's complaints is about you, so you cannot download the copy of their data, which holds "
    "it: another complaints officer or a manager must."
)


def require_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    staff = require_staff(user)
    if staff.role not in READERS:
        raise NotPermitted(NOT_FOR_CASEWORK)
    return staff


def require_actor(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    staff = require_reader(user)
    if staff.role == StaffRole.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not record or decide data protection requests.")
    if staff.role not in ACTORS:
        raise NotPermitted(ACT)
    return staff


def require_download(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    staff = require_reader(user)
    if staff.role not in ACTORS:
        raise NotPermitted(DOWNLOAD)
    return staff


def can_act(staff: StaffMember) -> bool:
    return staff.role in ACTORS


def require_copy_readable(staff: StaffMember, person_id: int) -> None:
    """The copy of a resident's data holds each of their complaints whole: whoever downloads it must be
    able to read every one (the complaint's own reading rule), so never the person one is about."""
    hidden = Complaint.objects.filter(person_id=person_id, landlord_id=staff.landlord_id).exclude(readable_by(staff))
    if hidden.exists():
        raise NotPermitted(NOT_YOURS_TO_READ)
