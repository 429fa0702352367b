"""Confidential complaints: one about a named member of staff, or one marked confidential with a reason.

Only complaints officers and managers mark or clear it (never on a complaint about themselves). The
person a complaint is about may not be handling any of its stages when it is marked: the stage goes to
someone else first. The Event records who marked or cleared it and why, never the complaint's text, nor
who it is about: the timeline is read by everyone working the complaint, and only complaints officers and
managers are told who (it is on the complaint's row).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints import access
from putright.complaints.actions.base import clean_text, lock_complaint, raise_invalid, save_complaint, write_event
from putright.complaints.independence import stages_handled_by
from putright.complaints.models import Complaint

REASON_LIMIT = 2_000


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def check_about_staff(errors: dict[str, str], landlord_id: int, about_staff: User) -> None:
    """The person a complaint is about must be on this landlord's staff."""
    if access.staff_of(about_staff, landlord_id) is None:
        errors["about_staff"] = "Choose a member of this landlord's staff"


def name_at_logging(complaint: Complaint, actor: User, about_staff: User) -> None:
    """Whoever logs a complaint may say it is about a named member of staff (checked beforehand with
    `check_about_staff`): it is confidential from its first moment. Inside `log_complaint`'s transaction."""
    complaint.about_staff = about_staff
    complaint.save(update_fields=["about_staff"])
    write_event(
        complaint,
        actor,
        "confidentiality-set",
        "Logged as a complaint about a named member of staff, so confidential.",
        after={"confidential": True, "about_named_staff": True},
    )


@transaction.atomic
def set_confidentiality(
    complaint: Complaint,
    actor: User,
    *,
    confidential: bool,
    about_staff: User | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Mark the complaint confidential (about `about_staff`, or for `reason`), or clear that with a reason.

    Marking needs a named member of this landlord's staff or a reason (both may be given); clearing
    needs the reason it no longer needs to be confidential, kept on the Event only. Asking for what is
    already so changes nothing and writes no Event, so a form sent twice has its effect once.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require_confidentiality_keeper(staff, complaint)
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, required=False, limit=REASON_LIMIT)
    if not confidential:
        if not complaint.is_confidential:
            return complaint
        if not reason:
            errors["reason"] = "Enter why this complaint no longer needs to be confidential"
        raise_invalid(errors)
        before = {"confidential": True, "about_named_staff": complaint.about_staff_id is not None}
        complaint.about_staff, complaint.confidential_reason = None, ""
        save_complaint(complaint)
        write_event(
            complaint,
            actor,
            "confidentiality-cleared",
            f"No longer confidential, cleared by {_name(actor)}. Why: {reason}",
            before=before,
            after={"confidential": False, "about_named_staff": False},
        )
        return complaint
    if about_staff is None and not reason:
        errors["reason"] = "Enter why this complaint is confidential, or choose the member of staff it is about"
    if about_staff is not None:
        check_about_staff(errors, complaint.landlord_id, about_staff)
        handled = [] if "about_staff" in errors else stages_handled_by(complaint, about_staff.pk)
        if about_staff.pk == actor.pk:
            errors["about_staff"] = (
                "You cannot mark a complaint as about yourself: ask another complaints officer or a manager to do it"
            )
        elif handled:
            errors["about_staff"] = (
                f"{_name(about_staff)} handles stage {handled[0]} of this complaint: give the stage to someone "
                "else first, then mark the complaint as about them"
            )
    raise_invalid(errors)
    about_id = about_staff.pk if about_staff is not None else None
    if complaint.about_staff_id == about_id and complaint.confidential_reason == reason:
        return complaint
    before = {"confidential": complaint.is_confidential, "about_named_staff": complaint.about_staff_id is not None}
    complaint.about_staff, complaint.confidential_reason = about_staff, reason
    save_complaint(complaint)
    about = "about a named member of staff" if about_staff is not None else "with a reason"
    write_event(
        complaint,
        actor,
        "confidentiality-set",
        f"Marked confidential {about} by {_name(actor)}." + (f" Why: {reason}" if reason else ""),
        before=before,
        after={"confidential": True, "about_named_staff": about_id is not None},
    )
    return complaint
