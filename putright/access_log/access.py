"""Who may read the access log: complaints officers and managers of the landlord, and no one else."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from putright.complaints import access
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember

LOG_READERS = access.SUPERVISORS
REFUSAL = (
    "Only a complaints officer or a manager can read who opened residents' sensitive records and confidential "
    "complaints."
)


def require_log_reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    """The reader's place at their landlord, or NotPermitted (a 403 with this sentence)."""
    staff = access.staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    if staff.role not in LOG_READERS:
        raise NotPermitted(REFUSAL)
    return staff
