"""Every change to an Ombudsman case, one function per thing that happens in it.

Each action takes the acting user, checks their role (complaints officers and managers work cases;
the owner of an order records its progress), locks the case row and refuses a stale version or a
stage that does not allow the change, and writes an Event on the complaint, so that the complaint's
timeline holds its time with the Ombudsman too (5.12). Views, the API and tests call these.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from putright import clock
from putright.complaints import access as complaint_access
from putright.complaints import actions as complaint_actions
from putright.complaints.actions.base import (
    calendar_for,
    check_not_future,
    clean_text,
    lock_complaint,
    raise_invalid,
    save_complaint,
    write_event,
)
from putright.complaints.errors import StaleVersion, TransitionNotAllowed
from putright.complaints.models import Channel, Complaint
from putright.complaints.policies import policy_for
from putright.documents.models import Attachment
from putright.landlords.models import Landlord, StaffMember
from putright.ombudsman import access
from putright.ombudsman.models import (
    TRANSITIONS,
    CaseStage,
    Determination,
    EvidenceBundle,
    EvidenceRequest,
    Finding,
    OmbudsmanCase,
    Order,
    OrderUpdate,
)

# The Ombudsman's case references are nine digits, the year first ("202347433").
REFERENCE = re.compile(r"^(19|20)\d{7}$")
REFERENCE_HELP = "9 digits, as on the Ombudsman's letters, like 202412345"
LONGEST_AHEAD = timedelta(days=730)  # a deadline further off than two years is a typing mistake


def clean_reference(errors: dict[str, str], name: str, value: str | None, *, required: bool) -> str:
    """The Ombudsman's reference without spaces, or an error naming the format."""
    reference = "".join((value or "").split())
    if not reference:
        if required:
            errors[name] = f"Enter the Ombudsman's reference: {REFERENCE_HELP}"
    elif not REFERENCE.match(reference):
        errors[name] = f"Enter the Ombudsman's reference in the right format: {REFERENCE_HELP}"
    return reference


def _check_reference_free(
    errors: dict[str, str], name: str, landlord_id: int, reference: str, case_id: int = 0
) -> None:
    taken = OmbudsmanCase.objects.filter(landlord_id=landlord_id, reference=reference).exclude(pk=case_id).first()
    if reference and taken is not None:
        errors[name] = f"Case {reference} is already recorded, on complaint {taken.complaint.reference}"


def _check_ahead(errors: dict[str, str], name: str, value: date, earliest: date) -> None:
    if value < earliest:
        errors[name] = f"This cannot be before {earliest:%-d %B %Y}"
    elif value > clock.today() + LONGEST_AHEAD:
        errors[name] = "This must be within two years from today"


def _staff(actor: User, landlord_id: int) -> StaffMember:
    staff = complaint_access.require_staff(actor, landlord_id)
    access.require_work(staff, landlord_id)
    return staff


def _lock(case: OmbudsmanCase, expected_version: int | None) -> OmbudsmanCase:
    locked = OmbudsmanCase.objects.select_for_update().select_related("complaint").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"The Ombudsman case on {locked.complaint.reference} was changed by someone else since you opened it. "
            "Reload it, check the change, and try again."
        )
    return locked


def _saved(case: OmbudsmanCase) -> OmbudsmanCase:
    case.version += 1
    case.save()
    return case


def _name(case: OmbudsmanCase) -> str:
    return f"Ombudsman case {case.reference}" if case.reference else "The Ombudsman case"


def _event(case: OmbudsmanCase, actor: User | None, kind: str, summary: str, **after: object) -> None:
    write_event(
        case.complaint,
        actor,
        kind,
        summary,
        stage=case.complaint.stage,
        after={"case": case.pk, "stage": case.stage, **after},
    )


def _documents(errors: dict[str, str], complaint: Complaint, ids: Sequence[int]) -> list[Attachment]:
    found = list(Attachment.objects.filter(complaint=complaint, pk__in=list(ids)))
    if len(found) != len(set(ids)):
        errors["documents"] = "Choose documents that are on this complaint's record"
    return found


# -- opening a case -------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    complaint: Complaint,
    actor: User,
    *,
    reference: str,
    enquiry_received_on: date,
    referred_on: date | None = None,
) -> OmbudsmanCase:
    """Open the Ombudsman's case on a complaint: its reference and the day its enquiry arrived.

    A complaint has one open case at a time. Given a referral date, the complaint's own record of
    the referral is kept in step (`record_ombudsman_referral`), once.
    """
    _staff(actor, complaint.landlord_id)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    already = OmbudsmanCase.objects.filter(complaint=complaint).exclude(stage=CaseStage.CLOSED).first()
    if already is not None:
        raise TransitionNotAllowed(
            f"{complaint.reference} already has an open Ombudsman case ({already.reference or 'no reference yet'}): "
            "record what happens on that one."
        )
    errors: dict[str, str] = {}
    reference = clean_reference(errors, "reference", reference, required=True)
    _check_reference_free(errors, "reference", complaint.landlord_id, reference)
    check_not_future(errors, "enquiry_received_on", enquiry_received_on, complaint.received_on)
    if referred_on is not None:
        check_not_future(errors, "referred_on", referred_on, complaint.received_on)
    raise_invalid(errors)
    case = _create(complaint, actor, reference, enquiry_received_on, referred_on)
    if referred_on is not None and complaint.ombudsman_referred_on is None:
        # The complaint's referral step opens a case of its own when none is open: this one is.
        complaint_actions.record_ombudsman_referral(complaint, actor, on=referred_on, ombudsman_reference=reference)
    return case


def _create(
    complaint: Complaint, actor: User | None, reference: str, received_on: date, referred_on: date | None
) -> OmbudsmanCase:
    try:
        with transaction.atomic():
            case = OmbudsmanCase.objects.create(
                landlord_id=complaint.landlord_id,
                complaint=complaint,
                reference=reference,
                enquiry_received_on=received_on,
                referred_on=referred_on,
                opened_by=actor,
                opened_at=clock.now(),
            )
    except IntegrityError:  # opened meanwhile by someone else, or the reference taken
        raise TransitionNotAllowed(
            f"An Ombudsman case was opened on {complaint.reference} (or with reference {reference}) meanwhile: "
            "reload the page."
        ) from None
    _event(
        case,
        actor,
        "ombudsman-case-opened",
        f"{_name(case)} opened: the Ombudsman's enquiry was received on {received_on:%-d %B %Y}"
        + (f", referred on {referred_on:%-d %B %Y}." if referred_on else "."),
        reference=reference,
    )
    return case


@transaction.atomic
def log_enquiry(
    landlord: Landlord,
    actor: User,
    *,
    resident: complaint_actions.ResidentDetails,
    description: str,
    reference: str,
    enquiry_received_on: date,
    service_area: str = "",
    outcome_sought: str = "",
) -> OmbudsmanCase:
    """The Ombudsman asks about a complaint the landlord has not handled: log it as a complaint
    received "via the Housing Ombudsman" that day, which starts the landlord's own process (its
    clock runs from that day, 6.2), and open the case on it."""
    staff = complaint_access.require_staff(actor, landlord.pk)
    access.require_work(staff, landlord.pk)
    errors: dict[str, str] = {}
    clean_reference(errors, "reference", reference, required=True)
    raise_invalid(errors)
    complaint = complaint_actions.log_complaint(
        landlord,
        actor,
        resident=resident,
        channel=Channel.OMBUDSMAN,
        received_on=enquiry_received_on,
        description=description,
        outcome_sought=outcome_sought,
        service_area=service_area,
    )
    return open_case(complaint, actor, reference=reference, enquiry_received_on=enquiry_received_on)


def join_referral(complaint: Complaint, actor: User | None, *, on: date, reference: str) -> OmbudsmanCase:
    """The complaint's referral was recorded (`record_ombudsman_referral`, in its transaction): its
    open case takes the referral date and reference, or a case is opened with them."""
    errors: dict[str, str] = {}
    reference = clean_reference(errors, "ombudsman_reference", reference, required=False)
    case = OmbudsmanCase.objects.select_for_update().filter(complaint=complaint).exclude(stage=CaseStage.CLOSED).first()
    _check_reference_free(errors, "ombudsman_reference", complaint.landlord_id, reference, case.pk if case else 0)
    if case is not None and reference and case.reference and reference != case.reference:
        errors["ombudsman_reference"] = (
            f"The open Ombudsman case on this complaint has reference {case.reference}: give that one, or leave "
            "this empty"
        )
    raise_invalid(errors)
    if case is None:
        return _create(complaint, actor, reference, on, on)
    case.complaint = complaint
    changed = []
    if case.referred_on is None:
        case.referred_on = on
        changed.append(f"referred on {on:%-d %B %Y}")
    if reference and not case.reference:
        case.reference = reference
        changed.append(f"reference {reference}")
    if changed:
        _saved(case)
        _event(case, actor, "ombudsman-case-changed", f"{_name(case)}: " + "; ".join(changed) + ".")
    return case


@transaction.atomic
def change_case(
    case: OmbudsmanCase,
    actor: User,
    *,
    reference: str,
    referred_on: date | None,
    expected_version: int | None = None,
) -> OmbudsmanCase:
    """Correct or complete the case's reference and referral date."""
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    errors: dict[str, str] = {}
    reference = clean_reference(errors, "reference", reference, required=True)
    _check_reference_free(errors, "reference", case.landlord_id, reference, case.pk)
    if referred_on is not None:
        check_not_future(errors, "referred_on", referred_on, case.complaint.received_on)
    raise_invalid(errors)
    before = {"reference": case.reference, "referred_on": case.referred_on.isoformat() if case.referred_on else None}
    case.reference, case.referred_on = reference, referred_on
    _saved(case)
    if referred_on is not None and case.complaint.ombudsman_referred_on is None:
        # Keep the complaint's own record of the referral in step (its reaction finds this case as it is).
        complaint_actions.record_ombudsman_referral(
            case.complaint, actor, on=referred_on, ombudsman_reference=reference
        )
    elif case.complaint.ombudsman_referred_on is not None and case.stage != CaseStage.CLOSED:
        # A corrected reference or referral date corrects the complaint's record of the referral too, so the
        # complaint page, exports and letters never give the Ombudsman's old reference.
        complaint = lock_complaint(case.complaint, None)
        if (complaint.ombudsman_reference, complaint.ombudsman_referred_on) != (
            reference,
            referred_on or complaint.ombudsman_referred_on,
        ):
            complaint.ombudsman_reference = reference
            complaint.ombudsman_referred_on = referred_on or complaint.ombudsman_referred_on
            save_complaint(complaint)
            case.complaint = complaint
    write_event(
        case.complaint,
        actor,
        "ombudsman-case-changed",
        f"{_name(case)}: reference {reference}"
        + (f", referred on {referred_on:%-d %B %Y}." if referred_on else ", no referral date."),
        stage=case.complaint.stage,
        before=before,
        after={"reference": reference, "referred_on": referred_on.isoformat() if referred_on else None},
    )
    return case


# -- the case's stage -------------------------------------------------------------------------------


def _move(case: OmbudsmanCase, actor: User, to: str) -> None:
    if to == case.stage:
        return
    if to not in TRANSITIONS[case.stage]:
        allowed = ", ".join(CaseStage(s).label.lower() for s in TRANSITIONS[case.stage]) or "nothing: it is closed"
        raise TransitionNotAllowed(
            f"{_name(case)} is at {case.get_stage_display().lower()}, so it cannot move to "
            f"{CaseStage(to).label.lower()}. From here it can move to {allowed}."
        )
    before = case.stage
    case.stage = to
    _event(
        case,
        actor,
        "ombudsman-stage",
        f"{_name(case)} moved from {CaseStage(before).label.lower()} to {CaseStage(to).label.lower()}.",
        before_stage=before,
    )


@transaction.atomic
def move_case(
    case: OmbudsmanCase, actor: User, *, to: str, on: date, expected_version: int | None = None
) -> OmbudsmanCase:
    """Move the case to another stage where the stage it is at allows (`TRANSITIONS`). A case closes
    only once the Ombudsman has confirmed compliance with every order (9.7)."""
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    errors: dict[str, str] = {}
    if to not in CaseStage.values:
        errors["to"] = "Choose the stage the case is moving to"
    check_not_future(errors, "on", on, case.enquiry_received_on)
    raise_invalid(errors)
    if to == case.stage:
        raise TransitionNotAllowed(f"{_name(case)} is already at {case.get_stage_display().lower()}.")
    if to == CaseStage.CLOSED:
        waiting = case.orders.exclude(kind=Order.Kind.RECOMMENDATION).filter(confirmed_on__isnull=True).count()
        if waiting:
            raise TransitionNotAllowed(
                f"{waiting} order{'s' if waiting != 1 else ''} still await{'' if waiting != 1 else 's'} the "
                "Ombudsman's confirmation of compliance: record it before closing the case."
            )
    _move(case, actor, to)
    case.closed_on = on if to == CaseStage.CLOSED else None
    return _saved(case)


# -- evidence -------------------------------------------------------------------------------------


def evidence_due(complaint: Complaint, requested_on: date) -> date:
    """The day the landlord's policy gives for sending the Ombudsman its evidence: its
    `ombudsman_evidence_days` working days (the Scheme's 15 where the policy is silent) after the
    request, on the landlord's calendar."""
    return calendar_for(complaint).add_working_days(requested_on, policy_for(complaint).ombudsman_evidence_days)


@transaction.atomic
def request_evidence(
    case: OmbudsmanCase,
    actor: User,
    *,
    what: str,
    requested_on: date,
    ombudsman_due_on: date | None = None,
    expected_version: int | None = None,
) -> EvidenceRequest:
    """Record what the Ombudsman asked for. The due date is the Ombudsman's where it gave one, and
    otherwise the landlord's policy's; both are kept, so the page can say which applies."""
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    if not case.is_open:
        raise TransitionNotAllowed(f"{_name(case)} is closed: open a new case for a new referral.")
    errors: dict[str, str] = {}
    what = clean_text(errors, "what", what, limit=5_000)
    check_not_future(errors, "requested_on", requested_on, case.enquiry_received_on)
    if ombudsman_due_on is not None:
        _check_ahead(errors, "ombudsman_due_on", ombudsman_due_on, min(requested_on, clock.today()))
    raise_invalid(errors)
    policy_due = evidence_due(case.complaint, requested_on)
    request = EvidenceRequest.objects.create(
        case=case,
        what=what,
        requested_on=requested_on,
        policy_due_on=policy_due,
        ombudsman_due_on=ombudsman_due_on,
        due_on=ombudsman_due_on or policy_due,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    if case.stage in (CaseStage.ENQUIRY, CaseStage.INVESTIGATION):
        _move(case, actor, CaseStage.EVIDENCE_REQUESTED)
    _saved(case)
    _event(
        case,
        actor,
        "ombudsman-evidence-requested",
        f"The Ombudsman asked on {requested_on:%-d %B %Y} for: {what[:300]}. Due {request.due_on:%-d %B %Y} "
        f"({request.due_from}; the policy's date is {policy_due:%-d %B %Y}).",
        evidence_request=request.pk,
    )
    return request


@transaction.atomic
def record_evidence_sent(
    request: EvidenceRequest,
    actor: User,
    *,
    sent_on: date,
    response: str,
    documents: Sequence[int] = (),
    bundle_version: int | None = None,
    expected_version: int | None = None,
) -> EvidenceRequest:
    """Record what was sent to the Ombudsman, when and by whom, with the documents from the
    complaint's record that went with it and the version of the evidence bundle sent, if one was."""
    case = request.case
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    request = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if request.sent_on is not None:
        raise TransitionNotAllowed(f"The evidence asked for on {request.requested_on:%-d %B %Y} was already sent.")
    errors: dict[str, str] = {}
    response = clean_text(errors, "response", response, limit=10_000)
    check_not_future(errors, "sent_on", sent_on, request.requested_on)
    found = _documents(errors, case.complaint, documents)
    bundle = None
    if bundle_version is not None:
        bundle = EvidenceBundle.objects.filter(
            case=case, version=bundle_version, state=EvidenceBundle.State.READY
        ).first()
        if bundle is None:
            errors["bundle_version"] = "Choose a version of the evidence bundle that has been built for this case"
    raise_invalid(errors)
    request.sent_on, request.sent_by, request.response, request.bundle = sent_on, actor, response, bundle
    request.save()
    request.documents.set(found)
    _saved(case)
    late = sent_on > request.due_on
    _event(
        case,
        actor,
        "ombudsman-evidence-sent",
        f"Evidence sent to the Ombudsman on {sent_on:%-d %B %Y}"
        + (f", late: it was due {request.due_on:%-d %B %Y}" if late else "")
        + f": {response[:300]}"
        + (f" ({len(found)} document{'s' if len(found) != 1 else ''})" if found else "")
        + (f", with evidence bundle version {bundle.version} (SHA-256 {bundle.sha256})." if bundle else "."),
        evidence_request=request.pk,
        late=late,
    )
    return request


# -- determinations and orders ---------------------------------------------------------------------


@transaction.atomic
def record_determination(
    case: OmbudsmanCase,
    actor: User,
    *,
    element: str,
    finding: str,
    determined_on: date,
    expected_version: int | None = None,
) -> Determination:
    """Record the Ombudsman's finding on one element of the complaint; the case is then determined."""
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    if case.stage not in (CaseStage.EVIDENCE_REQUESTED, CaseStage.INVESTIGATION, CaseStage.DETERMINED):
        raise TransitionNotAllowed(
            f"{_name(case)} is at {case.get_stage_display().lower()}: the Ombudsman determines a complaint it has "
            "investigated, so move the case to investigation first."
        )
    errors: dict[str, str] = {}
    element = clean_text(errors, "element", element, limit=2_000)
    if finding not in Finding.values:
        errors["finding"] = "Select the Ombudsman's finding"
    check_not_future(errors, "determined_on", determined_on, case.enquiry_received_on)
    raise_invalid(errors)
    determination = Determination.objects.create(
        case=case,
        element=element,
        finding=finding,
        determined_on=determined_on,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    _move(case, actor, CaseStage.DETERMINED)
    _saved(case)
    _event(
        case,
        actor,
        "ombudsman-determination",
        f"The Ombudsman determined on {determined_on:%-d %B %Y}: {Finding(finding).label.lower()} on {element[:300]}",
        determination=determination.pk,
        finding=finding,
    )
    return determination


def _owner(errors: dict[str, str], landlord_id: int, owner: User) -> None:
    member = StaffMember.objects.filter(user=owner, landlord_id=landlord_id, user__is_active=True).first()
    if member is None or not complaint_access.has_work(member):
        errors["owner"] = "Choose someone on your landlord's staff who can be given work"


@transaction.atomic
def add_order(
    case: OmbudsmanCase,
    actor: User,
    *,
    kind: str,
    what: str,
    owner: User,
    due_on: date,
    determination: Determination | None = None,
    expected_version: int | None = None,
) -> Order:
    """Record an order or recommendation from a determination, or a complaint handling failure
    order (which may come at any stage), with who carries it out and by when."""
    _staff(actor, case.landlord_id)
    case = _lock(case, expected_version)
    if not case.is_open:
        raise TransitionNotAllowed(f"{_name(case)} is closed.")
    errors: dict[str, str] = {}
    if kind not in Order.Kind.values:
        errors["kind"] = "Select whether this is an order, a recommendation or a complaint handling failure order"
    elif kind != Order.Kind.COMPLAINT_HANDLING_FAILURE and case.stage != CaseStage.DETERMINED:
        errors["kind"] = (
            "Orders and recommendations follow a determination: record the determination first. A complaint "
            "handling failure order can be recorded at any stage."
        )
    if determination is not None and determination.case_id != case.pk:
        errors["determination"] = "Choose a determination of this case"
    what = clean_text(errors, "what", what, limit=5_000)
    _owner(errors, case.landlord_id, owner)
    _check_ahead(errors, "due_on", due_on, case.enquiry_received_on)
    raise_invalid(errors)
    order = Order.objects.create(
        case=case,
        determination=determination,
        kind=kind,
        what=what,
        owner=owner,
        due_on=due_on,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    _saved(case)
    _event(
        case,
        actor,
        "ombudsman-order",
        f"{order.get_kind_display()} recorded, for {owner.get_full_name() or owner.username} by "
        f"{due_on:%-d %B %Y}: {what[:300]}",
        order=order.pk,
    )
    return order


@transaction.atomic
def update_order(
    order: Order,
    actor: User,
    *,
    note: str = "",
    completed_on: date | None = None,
    evidence: str = "",
    documents: Sequence[int] = (),
    expected_version: int | None = None,
) -> Order:
    """Record progress on an order, or that it was complied with and the evidence of it (text and
    documents from the complaint's record), by its owner or a supervisor."""
    staff = complaint_access.require_staff(actor, order.case.landlord_id)
    access.require_order_update(staff, order, order.case.landlord_id)
    case = _lock(order.case, expected_version)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.completed_on is not None:
        raise TransitionNotAllowed(f"This {order.get_kind_display().lower()} was already complied with.")
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, required=False, limit=5_000)
    if not note and completed_on is None:
        errors["note"] = "Enter the progress made, or record that the order was complied with"
    found: list[Attachment] = []
    if completed_on is not None:
        check_not_future(errors, "completed_on", completed_on, case.enquiry_received_on)
        evidence = clean_text(errors, "evidence", evidence, limit=10_000)
        if not evidence:
            errors["evidence"] = "Describe the evidence that the order was complied with"
        found = _documents(errors, case.complaint, documents)
    raise_invalid(errors)
    if note:
        OrderUpdate.objects.create(order=order, note=note, recorded_by=actor, recorded_at=clock.now())
    if completed_on is not None:
        order.completed_on, order.compliance_evidence = completed_on, evidence
        order.save()
        order.documents.set(found)
    _saved(case)
    what = order.get_kind_display()
    if completed_on is not None:
        late = completed_on > order.due_on
        summary = (
            f"{what} complied with on {completed_on:%-d %B %Y}"
            + (f", after its deadline of {order.due_on:%-d %B %Y}" if late else "")
            + f": {evidence[:300]}"
        )
    else:
        summary = f"Progress on the {what.lower()}: {note[:300]}"
    _event(case, actor, "ombudsman-order-update", summary, order=order.pk)
    return order


@transaction.atomic
def confirm_compliance(order: Order, actor: User, *, on: date, expected_version: int | None = None) -> Order:
    """Record the day the Ombudsman confirmed the landlord complied with an order (9.7)."""
    _staff(actor, order.case.landlord_id)
    case = _lock(order.case, expected_version)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.completed_on is None:
        raise TransitionNotAllowed("Record that the order was complied with, and the evidence, first.")
    if order.confirmed_on is not None:
        raise TransitionNotAllowed(f"The Ombudsman's confirmation was already recorded ({order.confirmed_on}).")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, order.completed_on)
    raise_invalid(errors)
    order.confirmed_on = on
    order.save()
    _saved(case)
    _event(
        case,
        actor,
        "ombudsman-compliance-confirmed",
        f"The Ombudsman confirmed on {on:%-d %B %Y} that the {order.get_kind_display().lower()} was complied with.",
        order=order.pk,
    )
    return order


__all__ = [
    "add_order",
    "change_case",
    "confirm_compliance",
    "evidence_due",
    "join_referral",
    "log_enquiry",
    "move_case",
    "open_case",
    "record_determination",
    "record_evidence_sent",
    "request_evidence",
    "update_order",
]
