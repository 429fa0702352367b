"""Who may see and do what: every list, detail, export and API call fetches through here.

Staff see their own landlord's complaints only. What they may change depends on their role and,
for the work of a stage, on whether the stage is theirs (STYLE.md habit 5).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint, ServiceRequest, Stage
from putright.landlords.models import Landlord, StaffMember, StaffRole

R = StaffRole
SUPERVISORS = (R.COMPLAINTS_OFFICER, R.MANAGER)
CASEWORKERS = (R.HANDLER, R.REVIEWER, R.COMPLAINTS_OFFICER, R.MANAGER)


class Capability(StrEnum):
    LOG = "log complaints and service requests"
    WORK = "work on this stage"
    ASSIGN = "assign handlers"
    ESCALATE = "record a request to escalate"
    DECIDE = "decide not to accept a complaint or to refuse escalation"
    FINISH = "withdraw or close complaints"
    REFER = "record Ombudsman referrals"


def staff_of(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember | None:
    """The user's place at a landlord, or None for anyone who is not active staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.staff  # type: ignore[attr-defined,no-any-return]
    except StaffMember.DoesNotExist:
        return None


def require_staff(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember:
    staff = staff_of(user)
    if staff is None:
        raise NotPermitted("Only a landlord's staff can do this.")
    return staff


def complaints_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Complaint]:
    staff = staff_of(user)
    if staff is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(landlord_id=staff.landlord_id)


def service_requests_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[ServiceRequest]:
    staff = staff_of(user)
    if staff is None:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(landlord_id=staff.landlord_id)


def get_complaint_for_staff(user: AbstractBaseUser | AnonymousUser | None, reference: str) -> Complaint:
    """The complaint with `reference` at the user's landlord; DoesNotExist (a 404) for any other."""
    return complaints_visible_to(user).get(reference=reference.strip().upper())


def _can_work(staff: StaffMember, stage: Stage, stage1_handler_id: int | None) -> bool:
    if stage.number == 2 and stage1_handler_id == staff.user_id:
        return False  # 6.13: never the person who considered stage 1
    if staff.role in SUPERVISORS:
        return True
    if stage.handler_id is not None:
        return stage.handler_id == staff.user_id
    return staff.role == R.REVIEWER if stage.number == 2 else staff.role in (R.HANDLER, R.REVIEWER)


def can(
    staff: StaffMember,
    capability: Capability,
    complaint: Complaint | None = None,
    stage: Stage | None = None,
    stage1_handler_id: int | None = None,
) -> bool:
    if complaint is not None and complaint.landlord_id != staff.landlord_id:
        return False
    if staff.role == R.AUDITOR:
        return False
    if capability in (Capability.LOG, Capability.ESCALATE):
        return staff.role in CASEWORKERS
    if capability in (Capability.ASSIGN, Capability.DECIDE, Capability.REFER):
        return staff.role in SUPERVISORS
    if capability is Capability.FINISH:
        return staff.role in SUPERVISORS or (stage is not None and stage.handler_id == staff.user_id)
    if capability is Capability.WORK:
        return stage is not None and _can_work(staff, stage, stage1_handler_id)
    return False


def require_at(staff: StaffMember, capability: Capability, landlord: Landlord) -> None:
    """Refuse unless `staff` works for `landlord` and their role has `capability`."""
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can only act for your own landlord.")
    require(staff, capability)


def require(
    staff: StaffMember,
    capability: Capability,
    complaint: Complaint | None = None,
    stage: Stage | None = None,
    stage1_handler_id: int | None = None,
) -> None:
    if not can(staff, capability, complaint, stage, stage1_handler_id):
        if stage is not None and stage.number == 2 and stage1_handler_id == staff.user_id:
            raise NotPermitted(
                "You handled stage 1 of this complaint, so you cannot consider it at stage 2 (Code 6.13)."
            )
        raise NotPermitted(f"Your role ({staff.get_role_display()}) does not allow you to {capability.value}.")
