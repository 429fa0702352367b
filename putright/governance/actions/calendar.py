"""Changes to the reporting calendar: a landlord's own due dates, and deadlines met (Code 8.1 to 8.4)."""

from __future__ import annotations

import calendar as _calendar
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.governance import access
from putright.governance.models import FROM_RECORDS, DeadlineDone, DeadlineKind, DeadlineSetting
from putright.landlords.models import Landlord

EARLIEST_YEAR = 2000


@transaction.atomic
def set_due_date(landlord: Landlord, actor: User, *, kind: str, month: int | None, day: int | None) -> DeadlineSetting:
    """Move one of the landlord's deadlines (the day and month, in the year after the reporting year starts)."""
    staff = access.require_editor(actor)
    access.require_at(staff, landlord.pk)
    errors: dict[str, str] = {}
    if kind not in DeadlineKind.values:
        errors["kind"] = "Select the deadline to change"
    if month is None or not 1 <= month <= 12:
        errors["month"] = "Enter the month as a number from 1 to 12"
    elif day is None or not 1 <= day <= _calendar.monthrange(2024, month)[1]:
        errors["day"] = "Enter a day that exists in that month"
    if errors:
        raise InvalidInput(errors)
    assert month is not None and day is not None
    setting, _ = DeadlineSetting.objects.update_or_create(
        landlord=landlord,
        kind=kind,
        defaults={"month": month, "day": day, "changed_by": actor, "changed_at": clock.now()},
    )
    return setting


@transaction.atomic
def mark_done(
    landlord: Landlord, actor: User, *, kind: str, year_starting: int | None, done_on: date | None, note: str = ""
) -> DeadlineDone:
    """Staff record that the report was published or submitted to the Ombudsman, and when."""
    staff = access.require_editor(actor)
    access.require_at(staff, landlord.pk)
    errors: dict[str, str] = {}
    if kind in FROM_RECORDS:
        errors["kind"] = (
            "This deadline is met from Putright's records: approve the self-assessment, or record the annual "
            "report's presentation to the governing body"
        )
    elif kind not in DeadlineKind.values:
        errors["kind"] = "Select the deadline"
    if year_starting is None or not EARLIEST_YEAR <= year_starting <= clock.today().year:
        errors["year_starting"] = f"Enter the reporting year, from {EARLIEST_YEAR} to {clock.today().year}"
    if done_on is None:
        errors["done_on"] = "Enter the date it was done"
    elif done_on > clock.today():
        errors["done_on"] = "The date cannot be in the future"
    elif year_starting is not None and done_on.year < year_starting:
        errors["done_on"] = "The date cannot be before the reporting year started"
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = "The note must be 300 characters or fewer"
    if errors or year_starting is None or done_on is None:
        raise InvalidInput(errors)
    if DeadlineDone.objects.filter(landlord=landlord, kind=kind, year_starting=year_starting).exists():
        raise TransitionNotAllowed("This deadline is already recorded as done for that year.")
    return DeadlineDone.objects.create(
        landlord=landlord,
        kind=kind,
        year_starting=year_starting,
        done_on=done_on,
        note=note,
        recorded_by=actor,
        recorded_at=clock.now(),
    )


def record_self_assessment_approved(landlord: Landlord, actor: User, *, year_starting: int, on: date) -> None:
    """Called by insight when a self-assessment is approved: the year's first approval meets the deadline.
    (The approval itself is checked and written by insight's action, inside its transaction.)"""
    DeadlineDone.objects.get_or_create(
        landlord=landlord,
        kind=DeadlineKind.SELF_ASSESSMENT,
        year_starting=year_starting,
        defaults={
            "done_on": on,
            "from_records": True,
            "note": "Approved in Putright",
            "recorded_by": actor,
            "recorded_at": clock.now(),
        },
    )
