"""Every change under the retention schedule: the schedule itself, a complaint's review, hold and
anonymisation, and the worker's daily sweep.

Each runs in one transaction, takes the acting user (None for the worker), checks the current
state, and leaves an audit record: a ScheduleChange for the schedule, an Event on the complaint for
everything else. Views, the API, the command and the worker call these.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q

from putright import clock
from putright.complaints.access import ABOUT_YOU
from putright.complaints.actions.base import clean_text, raise_invalid, write_event
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint, Status
from putright.landlords.models import Landlord
from putright.retention import access
from putright.retention.anonymise import Anonymised, anonymise_complaint, closure_date
from putright.retention.errors import AnonymisationRefused, RetentionRefused
from putright.retention.models import (
    GRACE_RANGE,
    YEARS_RANGE,
    ComplaintRetention,
    RetentionSchedule,
    RetentionState,
    RetentionSweep,
    ScheduleChange,
)
from putright.retention.schedule import Schedule, schedule_for, years_after

log = logging.getLogger(__name__)


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


HOLD_REASON_LIMIT = 2_000
LONGEST_HOLD_YEARS = YEARS_RANGE[1]
SCHEDULE_REASON = "Reviewed under the retention schedule and not held"
# At most this many complaints are moved or anonymised per landlord a day: a first run over years of
# history is spread over several days rather than holding up the worker's other work.
MOST_A_DAY = 2_000


# -- the schedule ---------------------------------------------------------------------------------


def change_schedule(
    landlord: Landlord,
    actor: User,
    *,
    years_after_closure: int | None,
    grace_days: int | None,
    expected_version: int | None = None,
) -> RetentionSchedule:
    """Set the landlord's schedule: how many years after a complaint ended its record is reviewed, and
    how many days it stays under review before it is anonymised unless held. The same values again
    change nothing. Complaints already under review keep the day they were given."""
    staff = access.require_editor(actor)
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can change only your own landlord's retention schedule.")
    errors: dict[str, str] = {}
    low, high = YEARS_RANGE
    if years_after_closure is None:
        errors["years_after_closure"] = "Enter how many years after a complaint ends its record is reviewed"
    elif not low <= years_after_closure <= high:
        errors["years_after_closure"] = f"The number of years must be between {low} and {high}"
    low, high = GRACE_RANGE
    if grace_days is None:
        errors["grace_days"] = "Enter how many days a record stays under review before it is anonymised"
    elif not low <= grace_days <= high:
        errors["grace_days"] = f"The number of days must be between {low} and {high}"
    raise_invalid(errors)
    assert years_after_closure is not None and grace_days is not None  # checked above
    with transaction.atomic():
        row, created = RetentionSchedule.objects.select_for_update().get_or_create(landlord=landlord)
        # Version 0 is the defaults, read before the landlord had a schedule of its own.
        if expected_version is not None and (0 if created else row.version) != expected_version:
            raise RetentionRefused(
                "The retention schedule was changed by someone else since you opened it. "
                "Reload the page, check the change, and try again."
            )
        before = {"years_after_closure": row.years_after_closure, "grace_days": row.grace_days}
        after = {"years_after_closure": years_after_closure, "grace_days": grace_days}
        if before == after and row.changed_at is not None:
            return row
        row.years_after_closure, row.grace_days = years_after_closure, grace_days
        row.changed_by, row.changed_at = actor, clock.now()
        row.version += 1
        row.save()
        ScheduleChange.objects.create(landlord=landlord, at=row.changed_at, actor=actor, before=before, after=after)
    return row


# -- one complaint --------------------------------------------------------------------------------


def state_of(complaint: Complaint) -> ComplaintRetention | None:
    return ComplaintRetention.objects.filter(complaint=complaint).first()


def review_date_problem(until: date | None, today: date) -> str:
    """What is wrong with a hold's new review date, or nothing."""
    if until is None:
        return "Enter the date the record is to be reviewed again"
    if until <= today:
        return f"The date it is reviewed again must be in the future (today is {long_date(today)})"
    if until > years_after(today, LONGEST_HOLD_YEARS):
        return f"The date it is reviewed again must be within {LONGEST_HOLD_YEARS} years"
    return ""


def hold(
    complaint: Complaint,
    actor: User,
    *,
    reason: str,
    until: date | None,
    expected_version: int | None = None,
) -> ComplaintRetention:
    """Keep an ended complaint's record for longer, with the reason and the day it is reviewed again
    (an Ombudsman case, a legal claim, an ongoing tenancy issue). Holding it again with the same
    reason and date changes nothing."""
    staff = access.require_editor(actor)
    if staff.landlord_id != complaint.landlord_id:
        raise NotPermitted("You can hold only your own landlord's records.")
    if complaint.about_staff_id == staff.user_id:
        raise NotPermitted(ABOUT_YOU)
    today = clock.today()
    errors: dict[str, str] = {}
    reason = clean_text(
        errors, "reason", reason, limit=HOLD_REASON_LIMIT, missing="Enter why the record is being kept for longer"
    )
    problem = review_date_problem(until, today)
    if problem:
        errors["until"] = problem
    raise_invalid(errors)
    assert until is not None  # checked above
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if closure_date(locked) is None:
            raise RetentionRefused(
                f"{locked.reference} is still in progress ({locked.get_status_display().lower()}): its record is "
                "kept while it is, so it needs no hold."
            )
        row, _ = ComplaintRetention.objects.select_for_update().get_or_create(
            complaint=locked, defaults={"landlord_id": locked.landlord_id}
        )
        _check_version(row, expected_version)
        if row.state == RetentionState.ANONYMISED:
            raise RetentionRefused(f"{locked.reference} has already been anonymised: there is nothing left to hold.")
        if row.state == RetentionState.HELD and row.held_reason == reason and row.held_until == until:
            return row
        before = {"state": row.state}
        row.state, row.held_reason, row.held_until = RetentionState.HELD, reason, until
        row.held_by, row.held_at = actor, clock.now()
        row.anonymise_after = None
        row.version += 1
        row.save()
        write_event(
            locked,
            actor,
            "retention-held",
            f"Kept for longer under the retention schedule, to be reviewed again on {long_date(until)}: {reason}",
            before=before,
            after={"state": row.state, "review_on": until.isoformat()},
        )
    return row


def anonymise_now(
    complaint: Complaint, actor: User, *, reason: str = "", expected_version: int | None = None
) -> Anonymised:
    """Anonymise a complaint under review or held, once an officer has decided its record is no
    longer needed. A complaint not yet due is refused: an erasure request is the way to that."""
    staff = access.require_editor(actor)
    if staff.landlord_id != complaint.landlord_id:
        raise NotPermitted("You can anonymise only your own landlord's records.")
    if complaint.about_staff_id == staff.user_id:
        raise NotPermitted(ABOUT_YOU)
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, required=False, limit=500)
    raise_invalid(errors)
    row = state_of(complaint)
    if row is not None and row.state == RetentionState.ANONYMISED:
        return Anonymised(already=[complaint.reference])
    if row is None or row.state not in (RetentionState.REVIEW, RetentionState.HELD):
        raise RetentionRefused(
            f"{complaint.reference} is not yet due for review under the retention schedule, so it cannot be "
            "anonymised from here. A resident's request for erasure is recorded as a data protection request."
        )
    _check_version(row, expected_version)
    schedule = schedule_for(complaint.landlord_id)
    return anonymise_complaint(
        complaint,
        by=actor,
        reason=reason or "Reviewed under the retention schedule: no longer needed",
        person_if_done=schedule.years_after_closure,
    )


def _check_version(row: ComplaintRetention, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise RetentionRefused(
            f"The record's retention was changed by someone else since you opened it (it is now "
            f"{row.get_state_display().lower()}). Reload the page, check the change, and try again."
        )


# -- the daily sweep ------------------------------------------------------------------------------


@dataclass
class SweepResult:
    """What a sweep of one landlord moved, or would move (a dry run)."""

    to_review: list[tuple[str, date]] = field(default_factory=list)  # reference, the day it ended
    back_to_review: list[tuple[str, date]] = field(default_factory=list)  # reference, the day its hold ran to
    to_anonymise: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # reference, why

    @property
    def anything(self) -> bool:
        return bool(self.to_review or self.back_to_review or self.anonymised or self.refused)


def _ended_by(schedule: Schedule, today: date) -> Q:
    """Complaints that ended on or before the day that makes them due today."""
    cutoff = schedule.ended_by(today)
    return (
        Q(status=Status.CLOSED, closed_on__lte=cutoff)
        | Q(status=Status.WITHDRAWN, withdrawn_on__lte=cutoff)
        | Q(status=Status.NOT_ACCEPTED, refused_on__lte=cutoff)
    )


def due_for_review(landlord: Landlord, today: date, limit: int = MOST_A_DAY) -> list[tuple[Complaint, date]]:
    schedule = schedule_for(landlord)
    due = (
        Complaint.objects.filter(landlord=landlord, retention__isnull=True)
        .filter(_ended_by(schedule, today))
        .only("pk", "reference", "status", "closed_on", "withdrawn_on", "refused_on", "landlord_id")
        .order_by("pk")[:limit]
    )
    found = []
    for complaint in due:
        ended = closure_date(complaint)
        assert ended is not None  # filtered on it
        found.append((complaint, ended))
    return found


def start_reviews(landlord: Landlord, today: date, *, dry_run: bool = False) -> SweepResult:
    """Put under review every ended complaint whose schedule date has come, and every held one whose
    new review date has. Anonymised from `grace_days` later unless someone holds it."""
    schedule = schedule_for(landlord)
    result = SweepResult()
    anonymise_after = schedule.anonymise_after(today)
    for complaint, ended in due_for_review(landlord, today):
        result.to_review.append((complaint.reference, ended))
        if dry_run:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ComplaintRetention.objects.create(
                        complaint=complaint,
                        landlord=landlord,
                        state=RetentionState.REVIEW,
                        review_started_on=today,
                        anonymise_after=anonymise_after,
                    )
            except IntegrityError:  # another sweep, or an officer's hold, got there first
                result.to_review.pop()
                continue
            write_event(
                complaint,
                None,
                "retention-review",
                f"Due for review under the retention schedule: it ended on {long_date(ended)}, "
                f"{schedule.years_after_closure} years ago. It will be anonymised from {long_date(anonymise_after)} "
                "unless it is held for longer.",
                after={"state": RetentionState.REVIEW, "on": anonymise_after.isoformat()},
            )
    held = ComplaintRetention.objects.filter(landlord=landlord, state=RetentionState.HELD, held_until__lte=today)
    for row in held.select_related("complaint").order_by("held_until", "pk")[:MOST_A_DAY]:
        assert row.held_until is not None  # a held row has one (constraint)
        result.back_to_review.append((row.complaint.reference, row.held_until))
        if dry_run:
            continue
        with transaction.atomic():
            moved = ComplaintRetention.objects.filter(
                pk=row.pk, state=RetentionState.HELD, held_until__lte=today
            ).update(
                state=RetentionState.REVIEW,
                review_started_on=today,
                anonymise_after=anonymise_after,
                version=row.version + 1,
            )
            if not moved:
                result.back_to_review.pop()
                continue
            write_event(
                row.complaint,
                None,
                "retention-review",
                f"Due for review again: it was held until {long_date(row.held_until)}. It will be anonymised "
                f"from {long_date(anonymise_after)} unless it is held for longer.",
                after={"state": RetentionState.REVIEW, "on": anonymise_after.isoformat()},
            )
    return result


def anonymise_due(landlord: Landlord, today: date, result: SweepResult, *, dry_run: bool = False) -> SweepResult:
    """Anonymise each complaint whose time under review has run out without a hold. One transaction
    each: a complaint that cannot be anonymised (reopened, or with an open Ombudsman case) stays under
    review, named in `refused`, and the others go ahead."""
    schedule = schedule_for(landlord)
    due = ComplaintRetention.objects.filter(
        landlord=landlord, state=RetentionState.REVIEW, anonymise_after__lte=today
    ).select_related("complaint")
    for row in due.order_by("anonymise_after", "pk")[:MOST_A_DAY]:
        result.to_anonymise.append(row.complaint.reference)
        if dry_run:
            continue
        try:
            done = anonymise_complaint(
                row.complaint, by=None, reason=SCHEDULE_REASON, person_if_done=schedule.years_after_closure
            )
        except AnonymisationRefused as refusal:
            result.refused.append((row.complaint.reference, refusal.message))
            continue
        result.anonymised += done.complaints
    return result


def sweep_landlord(landlord: Landlord, today: date | None = None, *, dry_run: bool = False) -> SweepResult:
    today = today or clock.today()
    result = start_reviews(landlord, today, dry_run=dry_run)
    return anonymise_due(landlord, today, result, dry_run=dry_run)


def daily(today: date | None = None) -> dict[str, SweepResult]:
    """The worker's daily step: each landlord swept once a day, however often the worker sweeps and
    however many workers there are (the day's RetentionSweep row is written once)."""
    today = today or clock.today()
    results = {}
    # Read first, so that the sweeps after the day's first cost one query and no refused insert.
    done = RetentionSweep.objects.filter(day=today).values_list("landlord_id", flat=True)
    for landlord in Landlord.objects.exclude(pk__in=list(done)).order_by("pk"):
        try:
            with transaction.atomic():
                sweep = RetentionSweep.objects.create(landlord=landlord, day=today)
        except IntegrityError:
            continue
        result = sweep_landlord(landlord, today)
        RetentionSweep.objects.filter(pk=sweep.pk).update(
            moved_to_review=len(result.to_review) + len(result.back_to_review), anonymised=len(result.anonymised)
        )
        for reference, why in result.refused:
            log.warning("Retention: %s not anonymised: %s", reference, why)
        results[landlord.slug] = result
    return results
