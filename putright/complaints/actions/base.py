"""What every action does: read and lock the complaint, refuse a stale copy or a wrong state, check
the input, write the Event, and put the next deadline on the complaint's row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from putright import clock
from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.errors import InvalidInput, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Complaint, DueKind, Event, ReferenceCounter, Stage, Status
from putright.complaints.policies import policy_for
from putright.counters import count_up
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord, StaffMember
from putright.rules import timescales
from putright.rules.calendar import WorkingCalendar
from putright.rules.policy import CODE_GROUNDS, OUT_OF_TIME


def clean_text(
    errors: dict[str, str],
    name: str,
    value: str | None,
    *,
    required: bool = True,
    limit: int = 10_000,
    missing: str = "Enter this: it cannot be left empty",
) -> str:
    """The text stripped; `missing` is the message when it is required and empty (name what to enter)."""
    text = (value or "").strip()
    if required and not text:
        errors[name] = missing
    elif len(text) > limit:
        errors[name] = f"This must be {limit:,} characters or fewer (it is {len(text):,})"
    return text


EARLIEST_DATE = date(2000, 1, 1)  # anything earlier is a typing mistake, not a complaint


def check_not_future(errors: dict[str, str], name: str, value: date, earliest: date | None = None) -> None:
    today = clock.today()
    earliest = max(earliest or EARLIEST_DATE, EARLIEST_DATE)
    if value > today:
        errors[name] = f"This cannot be in the future (today is {today:%-d %B %Y})"
    elif value < earliest:
        errors[name] = f"This cannot be before {earliest:%-d %B %Y}"


def raise_invalid(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput(errors)


def lock_complaint(complaint: Complaint, expected_version: int | None) -> Complaint:
    """Re-read the complaint under a row lock, refusing a change made from a stale copy."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"{locked.reference} was changed by someone else since you opened it (it is now at version "
            f"{locked.version}, you had version {expected_version}). Reload it, check the change, and try again."
        )
    return locked


def lock_stages(complaint: Complaint) -> dict[int, Stage]:
    return {stage.number: stage for stage in Stage.objects.select_for_update().filter(complaint=complaint)}


def write_event(
    complaint: Complaint,
    actor: User | None,
    kind: str,
    summary: str,
    *,
    stage: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        complaint=complaint,
        at=clock.now(),
        actor=actor,
        kind=kind,
        stage=stage,
        summary=summary[:2000],
        before=before or {},
        after=after or {},
    )


def snapshot(complaint: Complaint) -> dict[str, Any]:
    return {
        "status": complaint.status,
        "stage": complaint.stage,
        "next_due": complaint.next_due.isoformat() if complaint.next_due else None,
        "handler": complaint.handler.username if complaint.handler_id and complaint.handler else None,
    }


def refresh_deadline(complaint: Complaint, stage: Stage | None) -> None:
    """Put the open stage's next deadline on the complaint row (the worklist reads only this)."""
    complaint.handler_id = stage.handler_id if stage else complaint.handler_id
    if stage is None or complaint.status not in (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN):
        complaint.next_due, complaint.next_due_kind = None, ""
    elif stage.acknowledged_on is None:
        complaint.next_due, complaint.next_due_kind = stage.acknowledge_due, DueKind.ACKNOWLEDGE
    else:
        complaint.next_due, complaint.next_due_kind = stage.response_due, DueKind.RESPOND


def save_complaint(complaint: Complaint) -> None:
    complaint.version += 1
    complaint.updated_at = clock.now()
    complaint.save()


def next_number(landlord: Landlord, kind: str, year: int) -> int:
    """The next number in a landlord's sequence for the year, taken under a row lock, never reused."""
    (number,) = count_up(ReferenceCounter, "last", ("landlord", "kind", "year"), [(landlord.pk, kind, year)])
    return number


def calendar_for(complaint: Complaint) -> WorkingCalendar:
    return working_calendar(complaint.landlord)


def stage_for_work(staff: StaffMember, complaint: Complaint, stages: dict[int, Stage]) -> Stage:
    stage = stages[complaint.stage]
    access.require(staff, Capability.WORK, complaint, stage, stages[1].handler_id if complaint.stage == 2 else None)
    return stage


def begin_stage_work(
    complaint: Complaint, actor: User, expected_version: int | None, allowed: Sequence[str], doing: str
) -> tuple[Complaint, dict[int, Stage], Stage]:
    """Lock the complaint and its stages, and check the actor may work on its open stage now."""
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    stage = stage_for_work(staff, complaint, stages)
    require_status(complaint, allowed, doing)
    return complaint, stages, stage


def require_status(complaint: Complaint, allowed: Sequence[str], doing: str) -> None:
    if complaint.status not in allowed:
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()}, so you cannot {doing}."
        )


def check_refusal(
    errors: dict[str, str],
    complaint: Complaint,
    ground: str,
    explanation: str,
    ombudsman_rights_given: bool,
    on: date,
    earliest: date,
    review_note: str = "",
) -> tuple[str, str, str]:
    policy = policy_for(complaint)
    if policy.exclusion_label(ground) is None:
        choices = ", ".join(key for key, _ in policy.exclusions)
        errors["ground"] = f"Choose a ground from the landlord's policy: {choices}"
    explanation = clean_text(errors, "explanation", explanation, limit=10_000)
    if ombudsman_rights_given is not True:
        errors["ombudsman_rights_given"] = (
            "Tell the resident they can take this decision to the Housing Ombudsman, then record that you did (2.4)"
        )
    check_not_future(errors, "on", on, earliest)
    if ground == OUT_OF_TIME and (
        complaint.inside_acceptance_window is True
        or (
            complaint.issue_date is not None
            and timescales.acceptance_check(policy, complaint.issue_date, complaint.received_on).inside
        )
    ):
        # `policy` has the Code as its floor: a shorter window in the landlord's policy never applies.
        errors["ground"] = (
            f"The issue is inside {policy.acceptance_window_months} months of the complaint being received, so it "
            "cannot be refused as out of time (Code 2.3)"
        )
    review_note = clean_text(errors, "review_note", review_note, required=False, limit=5_000)
    if ground not in CODE_GROUNDS and policy.exclusion_label(ground) is not None and not review_note:
        errors["review_note"] = (
            "This ground is the landlord's, not one the Code names: record your review of why it is fair and "
            "reasonable for this complaint on its own facts (2.2, 2.5)"
        )
    return ground, explanation, review_note
