"""A resident's needs: reasonable adjustments and vulnerabilities recorded, changed, reviewed and
ended (5.10), safeguarding concerns and their referral, and the work adjustments ask of a stage.

Needs belong to the person, not to one complaint, so each change writes an Event on every one of the
person's complaints still in progress (ACTIVE_STATUSES), without moving the complaint's version:
recording an adjustment does not make a colleague's half-filled response form out of date.

An Event about a vulnerability or a safeguarding concern names no detail: every reader of the
complaint reads its timeline, but only the people `access.can_see_needs` allows read the detail.

Letters honour adjustments through `adjust_letter`, which `correspondence.letters.issue` calls for
each letter: large print is printed large, and a letter the resident needs in another format
(Braille, audio, easy read, another language) becomes an outstanding item on the stage until staff
record the day that copy was sent. A "phone before writing" adjustment is a task on the current
stage, done by recording the call (`record_phone_call`); it is outstanding on every stage opened
while the adjustment stands, so it needs no copying when a complaint is escalated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints import access
from putright.complaints.actions.base import check_not_future, clean_text, raise_invalid, write_event
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, OPEN_STATUSES, AdjustmentTask, Complaint, Stage
from putright.people.models import EndReason, Person, ReasonableAdjustment, SafeguardingConcern, Vulnerability
from putright.people.models.needs import REVIEW_MONTHS
from putright.rules.timescales import add_months

Kind = ReasonableAdjustment.Kind
RESTRICTED = "details restricted to complaints officers, managers and the people working the resident's complaints"


def default_review_on(start: date) -> date:
    """When a need is next looked at unless staff choose otherwise: REVIEW_MONTHS after it was agreed."""
    return add_months(start, REVIEW_MONTHS)


def _who(user: User | None) -> str:
    if user is None:
        return "the resident"
    return user.get_full_name() or user.username


def _staff_for(actor: User, person: Person) -> None:
    access.require_needs_keeper(access.require_staff(actor, person.landlord_id), person.landlord_id, person.pk)


def _tell_complaints(person: Person, actor: User | None, kind: str, summary: str, after: dict[str, object]) -> int:
    """Write the Event on each of the person's complaints in progress; how many there were."""
    complaints = list(
        Complaint.objects.filter(person_id=person.pk, status__in=ACTIVE_STATUSES).only("pk", "stage", "landlord_id")
    )
    for complaint in complaints:
        write_event(complaint, actor, kind, summary, stage=complaint.stage, after=after)
    return len(complaints)


def _check_review(errors: dict[str, str], review_on: date | None, start: date) -> date:
    if review_on is None:
        return default_review_on(start)
    if review_on < clock.today():
        errors["review_on"] = "The review date must be today or in the future"
    elif review_on > add_months(clock.today(), 36):
        errors["review_on"] = "The review date must be within 3 years: needs are kept under active review (5.10)"
    return review_on


def _check_kind(errors: dict[str, str], kind: str, detail: str) -> str:
    if kind not in Kind.values:
        errors["kind"] = "Choose the adjustment agreed"
    detail = clean_text(errors, "detail", detail, required=kind == Kind.OTHER, limit=300)
    if kind == Kind.OTHER and "detail" in errors and errors["detail"].startswith("Enter"):
        errors["detail"] = "Say what was agreed: 'something else' needs a description"
    return detail


# -- reasonable adjustments ----------------------------------------------------------------------


@transaction.atomic
def record_adjustment(
    person: Person,
    actor: User,
    *,
    kind: str,
    detail: str = "",
    agreed_on: date | None = None,
    review_on: date | None = None,
) -> ReasonableAdjustment:
    """Record an adjustment agreed with the resident, with a review date (by default in REVIEW_MONTHS)."""
    _staff_for(actor, person)
    errors: dict[str, str] = {}
    agreed_on = agreed_on or clock.today()
    check_not_future(errors, "agreed_on", agreed_on)
    detail = _check_kind(errors, kind, detail)
    review_on = _check_review(errors, review_on, max(agreed_on, clock.today()))
    raise_invalid(errors)
    now = clock.now()
    adjustment = ReasonableAdjustment.objects.create(
        person=person,
        kind=kind,
        detail=detail,
        agreed_on=agreed_on,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _tell_complaints(
        person,
        actor,
        "adjustment-recorded",
        f"Reasonable adjustment recorded: {adjustment.get_kind_display()}{f' ({detail})' if detail else ''}; "
        f"review by {review_on:%-d %B %Y} (5.10).",
        {"adjustment": adjustment.pk, "kind": kind, "review_on": review_on.isoformat()},
    )
    return adjustment


def adjustments_at_logging(
    person: Person, actor: User | None, wanted: list[tuple[str, str]], on: date
) -> list[ReasonableAdjustment]:
    """The adjustments asked for as a complaint is logged (by the resident in the portal, or by staff),
    in the logging's transaction; the caller has checked them and writes the complaint's Events."""
    now = clock.now()
    return [
        ReasonableAdjustment.objects.create(
            person=person,
            kind=kind,
            detail=detail.strip(),
            agreed_on=on,
            review_on=default_review_on(on),
            recorded_by=actor,
            recorded_at=now,
        )
        for kind, detail in wanted
    ]


def _locked_adjustment(adjustment: ReasonableAdjustment) -> ReasonableAdjustment:
    locked = ReasonableAdjustment.objects.select_for_update().select_related("person").get(pk=adjustment.pk)
    if locked.ended_on is not None:
        raise TransitionNotAllowed(
            f"This adjustment was ended on {locked.ended_on:%-d %B %Y}, so it cannot be changed: record a new one."
        )
    return locked


@transaction.atomic
def change_adjustment(
    adjustment: ReasonableAdjustment,
    actor: User,
    *,
    kind: str,
    detail: str,
    review_on: date | None,
    reviewed: bool = False,
) -> ReasonableAdjustment:
    """Change what was agreed or when it is next reviewed; with `reviewed`, record that it was
    reviewed with the resident today (on time when not after its review date)."""
    adjustment = _locked_adjustment(adjustment)
    _staff_for(actor, adjustment.person)
    errors: dict[str, str] = {}
    detail = _check_kind(errors, kind, detail)
    if review_on is None:
        errors["review_on"] = "Enter the date of the next review"
    else:
        _check_review(errors, review_on, clock.today())
    raise_invalid(errors)
    assert review_on is not None
    before = {"kind": adjustment.kind, "detail": adjustment.detail, "review_on": _iso(adjustment.review_on)}
    if reviewed:
        adjustment.review_was_due_on, adjustment.reviewed_on = adjustment.review_on, clock.today()
    adjustment.kind, adjustment.detail, adjustment.review_on = kind, detail, review_on
    adjustment.changed_at = clock.now()
    adjustment.save()
    what = "reviewed" if reviewed else "changed"
    late = ""
    if (
        reviewed
        and adjustment.review_was_due_on
        and adjustment.reviewed_on
        and (adjustment.reviewed_on > adjustment.review_was_due_on)
    ):
        late = f", late (it was due by {adjustment.review_was_due_on:%-d %B %Y})"
    _tell_complaints(
        adjustment.person,
        actor,
        "adjustment-changed",
        f"Reasonable adjustment {what}{late}: {adjustment.get_kind_display()}"
        f"{f' ({detail})' if detail else ''}; next review by {review_on:%-d %B %Y} (5.10).",
        {"adjustment": adjustment.pk, "before": before, "kind": kind, "review_on": review_on.isoformat()},
    )
    return adjustment


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _check_end(errors: dict[str, str], reason: str, note: str, on: date, since: date) -> str:
    if reason not in EndReason.values:
        errors["reason"] = "Choose why it is ending"
    note = clean_text(errors, "note", note, required=reason == EndReason.OTHER, limit=2_000)
    if reason == EndReason.OTHER and "note" in errors and errors["note"].startswith("Enter"):
        errors["note"] = "Say why it is ending"
    check_not_future(errors, "on", on, since)
    return note


@transaction.atomic
def end_adjustment(
    adjustment: ReasonableAdjustment, actor: User, *, reason: str, note: str = "", on: date | None = None
) -> ReasonableAdjustment:
    """End an adjustment, with the reason; it stays on the record, and letters stop honouring it."""
    adjustment = _locked_adjustment(adjustment)
    _staff_for(actor, adjustment.person)
    errors: dict[str, str] = {}
    on = on or clock.today()
    note = _check_end(errors, reason, note, on, adjustment.agreed_on)
    raise_invalid(errors)
    adjustment.ended_on, adjustment.ended_by = on, actor
    adjustment.end_reason, adjustment.end_note = reason, note
    adjustment.save()
    _tell_complaints(
        adjustment.person,
        actor,
        "adjustment-ended",
        f"Reasonable adjustment ended on {on:%-d %B %Y}: {adjustment.get_kind_display()} "
        f"({EndReason(reason).label.lower()}{f': {note}' if note else ''}).",
        {"adjustment": adjustment.pk, "reason": reason},
    )
    return adjustment


# -- vulnerabilities ------------------------------------------------------------------------------


CONSENT_NEEDED = (
    "Record that the resident agreed to us keeping this: without their consent a vulnerability cannot be "
    "recorded (5.10)"
)


@transaction.atomic
def record_vulnerability(
    person: Person,
    actor: User,
    *,
    description: str,
    disclosed_on: date,
    consent_given: bool,
    consent_from: str,
    consent_how: str,
    consent_on: date | None,
    review_on: date | None = None,
) -> Vulnerability:
    """Record a disability or vulnerability the resident disclosed, only with their consent (who
    gave it, how and when), with a review date (by default in REVIEW_MONTHS)."""
    _staff_for(actor, person)
    errors: dict[str, str] = {}
    description = clean_text(errors, "description", description, limit=300)
    check_not_future(errors, "disclosed_on", disclosed_on)
    if consent_given is not True:
        errors["consent_given"] = CONSENT_NEEDED
    else:
        if consent_from not in Vulnerability.ConsentFrom.values:
            errors["consent_from"] = "Choose who gave consent"
        if consent_how not in Vulnerability.ConsentHow.values:
            errors["consent_how"] = "Choose how consent was given"
        if consent_on is None:
            errors["consent_on"] = "Enter the date consent was given"
        else:
            check_not_future(errors, "consent_on", consent_on)
    review_on = _check_review(errors, review_on, max(disclosed_on, clock.today()))
    raise_invalid(errors)
    now = clock.now()
    vulnerability = Vulnerability.objects.create(
        person=person,
        description=description,
        disclosed_on=disclosed_on,
        consent_from=consent_from,
        consent_how=consent_how,
        consent_on=consent_on,
        review_on=review_on,
        recorded_by=actor,
        recorded_at=now,
    )
    _tell_complaints(
        person,
        actor,
        "vulnerability-recorded",
        f"Vulnerability recorded with the resident's consent ({RESTRICTED}); review by {review_on:%-d %B %Y} (5.10).",
        {"vulnerability": vulnerability.pk, "review_on": review_on.isoformat()},
    )
    return vulnerability


def _locked_vulnerability(vulnerability: Vulnerability) -> Vulnerability:
    locked = Vulnerability.objects.select_for_update().select_related("person").get(pk=vulnerability.pk)
    if locked.ended_on is not None:
        raise TransitionNotAllowed(
            f"This vulnerability was ended on {locked.ended_on:%-d %B %Y}, so it cannot be changed: record a new one."
        )
    return locked


@transaction.atomic
def change_vulnerability(
    vulnerability: Vulnerability, actor: User, *, description: str, review_on: date | None, reviewed: bool = False
) -> Vulnerability:
    """Change the description or the next review date; with `reviewed`, record it was reviewed today."""
    vulnerability = _locked_vulnerability(vulnerability)
    _staff_for(actor, vulnerability.person)
    errors: dict[str, str] = {}
    description = clean_text(errors, "description", description, limit=300)
    if review_on is None:
        errors["review_on"] = "Enter the date of the next review"
    else:
        _check_review(errors, review_on, clock.today())
    raise_invalid(errors)
    assert review_on is not None
    if reviewed:
        vulnerability.review_was_due_on, vulnerability.reviewed_on = vulnerability.review_on, clock.today()
    vulnerability.description, vulnerability.review_on = description, review_on
    vulnerability.changed_at = clock.now()
    vulnerability.save()
    _tell_complaints(
        vulnerability.person,
        actor,
        "vulnerability-changed",
        f"Vulnerability {'reviewed' if reviewed else 'changed'} ({RESTRICTED}); next review by "
        f"{review_on:%-d %B %Y} (5.10).",
        {"vulnerability": vulnerability.pk, "review_on": review_on.isoformat()},
    )
    return vulnerability


@transaction.atomic
def end_vulnerability(
    vulnerability: Vulnerability, actor: User, *, reason: str, note: str = "", on: date | None = None
) -> Vulnerability:
    vulnerability = _locked_vulnerability(vulnerability)
    _staff_for(actor, vulnerability.person)
    errors: dict[str, str] = {}
    on = on or clock.today()
    note = _check_end(errors, reason, note, on, vulnerability.disclosed_on)
    raise_invalid(errors)
    vulnerability.ended_on, vulnerability.ended_by = on, actor
    vulnerability.end_reason, vulnerability.end_note = reason, note
    vulnerability.save()
    _tell_complaints(
        vulnerability.person,
        actor,
        "vulnerability-ended",
        f"Vulnerability ended on {on:%-d %B %Y}: {EndReason(reason).label.lower()} ({RESTRICTED}).",
        {"vulnerability": vulnerability.pk, "reason": reason},
    )
    return vulnerability


# -- safeguarding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """A safeguarding referral: to whom, when, and which member of staff made it."""

    to: str = ""
    on: date | None = None
    by: User | None = None


def _check_referral(errors: dict[str, str], referral: Referral, since: date, landlord_id: int) -> str:
    to = clean_text(errors, "referred_to", referral.to, required=referral.on is not None, limit=300)
    if referral.on is not None:
        check_not_future(errors, "referred_on", referral.on, since)
        if referral.by is None:
            errors["referred_by"] = "Choose who made the referral"
    elif to:
        errors["referred_on"] = "Enter the date the referral was made"
    if referral.by is not None:
        if access.staff_of(referral.by, landlord_id) is None:
            errors["referred_by"] = "Choose a member of your landlord's staff"
    return to


@transaction.atomic
def record_safeguarding(
    person: Person, actor: User, *, seen: str, seen_on: date, referral: Referral = Referral()
) -> SafeguardingConcern:
    """Record a safeguarding concern about the resident: what was seen, and the referral if made."""
    _staff_for(actor, person)
    errors: dict[str, str] = {}
    seen = clean_text(errors, "seen", seen, limit=5_000)
    check_not_future(errors, "seen_on", seen_on)
    to = _check_referral(errors, referral, seen_on, person.landlord_id)
    raise_invalid(errors)
    concern = SafeguardingConcern.objects.create(
        person=person,
        seen=seen,
        seen_on=seen_on,
        recorded_by=actor,
        recorded_at=clock.now(),
        referred_to=to,
        referred_on=referral.on,
        referred_by=referral.by if referral.on else None,
    )
    referred = " and referred" if referral.on else ""
    _tell_complaints(
        person,
        actor,
        "safeguarding-recorded",
        f"Safeguarding concern recorded{referred} ({RESTRICTED}).",
        {"concern": concern.pk},
    )
    return concern


@transaction.atomic
def update_safeguarding(
    concern: SafeguardingConcern,
    actor: User,
    *,
    referral: Referral,
    outcome: str = "",
    outcome_on: date | None = None,
) -> SafeguardingConcern:
    """Record the referral made for a concern, and its outcome once known."""
    concern = SafeguardingConcern.objects.select_for_update().select_related("person").get(pk=concern.pk)
    _staff_for(actor, concern.person)
    errors: dict[str, str] = {}
    to = _check_referral(errors, referral, concern.seen_on, concern.person.landlord_id)
    outcome = clean_text(errors, "outcome", outcome, required=outcome_on is not None, limit=5_000)
    if outcome_on is not None:
        check_not_future(errors, "outcome_on", outcome_on, concern.seen_on)
    elif outcome:
        errors["outcome_on"] = "Enter the date the outcome was known"
    if not (referral.on or outcome_on):
        errors["referred_on"] = "Enter the referral made, or the outcome, to update the concern"
    raise_invalid(errors)
    changed = []
    if referral.on and (referral.on, to) != (concern.referred_on, concern.referred_to):
        concern.referred_to, concern.referred_on, concern.referred_by = to, referral.on, referral.by
        changed.append("referral")
    if outcome_on:
        concern.outcome, concern.outcome_on = outcome, outcome_on
        changed.append("outcome")
    concern.save()
    _tell_complaints(
        concern.person,
        actor,
        "safeguarding-updated",
        f"Safeguarding concern updated: {' and '.join(changed) or 'details'} recorded ({RESTRICTED}).",
        {"concern": concern.pk},
    )
    return concern


# -- what adjustments ask of a stage and its letters ----------------------------------------------


def adjust_letter(complaint: Complaint, stage: Stage, title: str, on: date) -> bool:
    """Honour the resident's adjustments in a letter being issued, in the letter's transaction:
    whether to print it large, and an outstanding item for each other format it must be sent in."""
    standing = [
        a
        for a in ReasonableAdjustment.objects.filter(person_id=complaint.person_id, ended_on__isnull=True)
        if a.kind == Kind.LARGE_PRINT or a.alternative_format
    ]
    formats = [a for a in standing if a.alternative_format]
    if formats:
        now = clock.now()
        AdjustmentTask.objects.bulk_create(
            AdjustmentTask(
                stage=stage,
                adjustment=adjustment,
                kind=AdjustmentTask.Kind.SEND_FORMAT,
                what=f"Send the {title.lower()} letter of {on:%-d %B %Y} as "
                f"{adjustment.get_kind_display().lower()}{f' ({adjustment.detail})' if adjustment.detail else ''}",
                created_at=now,
            )
            for adjustment in formats
        )
    return any(a.kind == Kind.LARGE_PRINT for a in standing)


@transaction.atomic
def record_phone_call(
    complaint: Complaint, actor: User, adjustment: ReasonableAdjustment, *, on: date, note: str = ""
) -> AdjustmentTask:
    """Record that the resident was phoned, as their adjustment asks, before letters at this stage."""
    staff = access.require_staff(actor, complaint.landlord_id)
    access.require_needs_keeper(staff, complaint.landlord_id, complaint.person_id)
    if adjustment.person_id != complaint.person_id or adjustment.kind != Kind.PHONE_FIRST:
        raise InvalidInput({"adjustment": "This is not one of the resident's 'phone before we write' adjustments"})
    if adjustment.ended_on is not None:
        raise TransitionNotAllowed("This adjustment has ended, so there is no call to record.")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()}, so there is no stage to phone about."
        )
    stage = Stage.objects.get(complaint=complaint, number=complaint.stage)
    if AdjustmentTask.objects.filter(stage=stage, adjustment=adjustment, kind=AdjustmentTask.Kind.PHONE_FIRST).exists():
        raise TransitionNotAllowed(f"The call at stage {stage.number} is recorded already.")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.opened_on)
    note = clean_text(errors, "note", note, required=False, limit=2_000)
    raise_invalid(errors)
    task = AdjustmentTask.objects.create(
        stage=stage,
        adjustment=adjustment,
        kind=AdjustmentTask.Kind.PHONE_FIRST,
        what=AdjustmentTask.Kind.PHONE_FIRST.label,
        created_at=clock.now(),
        done_on=on,
        done_by=actor,
        note=note,
    )
    write_event(
        complaint,
        actor,
        "adjustment-phone-call",
        f"Resident phoned on {on:%-d %B %Y} before letters, as their adjustment asks (5.10)"
        + (f": {note}" if note else "."),
        stage=stage.number,
        after={"task": task.pk},
    )
    return task


@transaction.atomic
def record_format_sent(task: AdjustmentTask, actor: User, *, on: date, note: str = "") -> AdjustmentTask:
    """Record the day a letter was sent in the format the resident needs: the item is then done."""
    task = AdjustmentTask.objects.select_for_update().select_related("stage__complaint").get(pk=task.pk)
    complaint = task.stage.complaint
    staff = access.require_staff(actor, complaint.landlord_id)
    access.require_needs_keeper(staff, complaint.landlord_id, complaint.person_id)
    if task.kind != AdjustmentTask.Kind.SEND_FORMAT:
        raise InvalidInput({"task": "This item is not a letter to send in another format"})
    if task.done_on is not None:
        raise TransitionNotAllowed(f"This was recorded as sent on {task.done_on:%-d %B %Y} already.")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, task.created_at.date())
    note = clean_text(errors, "note", note, required=False, limit=2_000)
    raise_invalid(errors)
    task.done_on, task.done_by, task.note = on, actor, note
    task.save()
    write_event(
        complaint,
        actor,
        "adjustment-format-sent",
        f"{task.what}: sent on {on:%-d %B %Y} (5.10)" + (f". {note}" if note else "."),
        stage=task.stage.number,
        after={"task": task.pk},
    )
    return task
