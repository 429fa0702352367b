"""The one write path for residents' data protection requests: the workspace, the API and tests call
these. Each runs in a transaction, checks who acts and the request's state, writes a RequestEvent,
and queues its side effects (the worker's build of the export) for after commit.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from putright import clock
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, Complaint, ServiceRequest
from putright.ombudsman.models import CaseStage, OmbudsmanCase
from putright.people.models import Person
from putright.privacy import access, tasks
from putright.privacy.models import DETAIL_LIMIT, REASON_LIMIT, RightsRequest, SubjectAccessExport
from putright.privacy.records import DECIDED_FIELDS, decide, write_event
from putright.rules import privacy as rules

# An export still "in progress" after this was lost by its worker: it may be asked for again.
GIVEN_UP_AFTER = timedelta(minutes=30)
EARLIEST = date(2018, 5, 25)  # the GDPR's first day: a request cannot have been received before it


def _text(value: str, field: str, *, limit: int, what: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput({field: f"Enter {what}"})
    if len(value) > limit:
        raise InvalidInput({field: f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer"})
    return value


def _locked(request: RightsRequest, actor: User) -> RightsRequest:
    """The request, locked for this change, once the actor may change it at its landlord."""
    staff = access.require_actor(actor)
    locked = RightsRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if locked.landlord_id != staff.landlord_id:
        raise NotPermitted("You can only act for your own landlord.")
    return locked


def _require_open(request: RightsRequest, kind: str | None = None) -> None:
    if kind is not None and request.kind != kind:
        raise TransitionNotAllowed(f"This is a request for {request.get_kind_display().lower()}, not {kind}.")
    if not request.is_open:
        raise TransitionNotAllowed(
            f"This request was decided on {request.decided_at:%-d %B %Y} ({request.get_state_display().lower()}): "
            "record a new request if the resident asks again."
        )


@transaction.atomic
def record_request(
    person: Person,
    actor: User,
    *,
    kind: str,
    received_on: date,
    detail: str = "",
    once_key: str | None = None,
) -> RightsRequest:
    """Record a resident's request to see, erase or restrict the processing of their data, due one
    calendar month after it was received (Art. 12(3)). The same submission sent twice (`once_key`)
    records it once; a second open request of the same kind for the same resident is refused."""
    staff = access.require_actor(actor)
    if person.landlord_id != staff.landlord_id:
        raise NotPermitted("You can only act for your own landlord.")
    if once_key:
        earlier = RightsRequest.objects.filter(once_key=once_key, landlord_id=staff.landlord_id).first()
        if earlier is not None:
            return earlier
    errors: dict[str, str] = {}
    if kind not in RightsRequest.Kind.values:
        errors["kind"] = "Select what the resident asked for"
    if received_on > clock.today():
        errors["received_on"] = "The date the request was received must be today or in the past"
    elif received_on < EARLIEST:
        errors["received_on"] = "The date the request was received must be on or after 25 May 2018"
    try:
        detail = _text(detail, "detail", limit=DETAIL_LIMIT, what="what the resident asked for", required=False)
    except InvalidInput as refusal:
        errors.update(refusal.errors)
    if errors:
        raise InvalidInput(errors)
    # The person's row is the lock: two colleagues recording the same request at once make one.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    open_one = RightsRequest.objects.filter(person=person, kind=kind, state=RightsRequest.State.OPEN).first()
    if open_one is not None:
        raise TransitionNotAllowed(
            f"There is already an open {open_one.get_kind_display().lower()} request from this resident, received "
            f"on {open_one.received_on:%-d %B %Y}: add to that one rather than recording another."
        )
    request = RightsRequest(
        landlord_id=person.landlord_id,
        person=person,
        kind=kind,
        received_on=received_on,
        detail=detail,
        due_on=rules.due_on(received_on),
        recorded_by=actor,
        recorded_at=clock.now(),
        once_key=once_key or None,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        earlier = RightsRequest.objects.filter(once_key=once_key).first() if once_key else None
        if earlier is not None:
            return earlier
        raise TransitionNotAllowed(
            "This request has just been recorded by someone else: open it from the list."
        ) from None
    write_event(
        request,
        actor,
        "recorded",
        f"{request.get_kind_display()} request received on {received_on:%-d %B %Y} recorded; "
        f"due by {request.due_on:%-d %B %Y}.",
        after={"kind": kind, "received_on": received_on.isoformat(), "due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def extend_request(request: RightsRequest, actor: User, *, reason: str) -> RightsRequest:
    """Extend the time to answer by the two further months Art. 12(3) allows, with the reason the
    resident is told; only within the first month, and once."""
    request = _locked(request, actor)
    _require_open(request)
    reason = _text(reason, "reason", limit=REASON_LIMIT, what="why more time is needed", required=True)
    check = rules.may_extend(request.received_on, clock.today(), already_extended=request.extended_on is not None)
    if not check.allowed:
        raise TransitionNotAllowed(check.reason + ".")
    before = request.due_on
    request.due_on = rules.extended_due_on(request.received_on)
    request.extended_on, request.extension_reason = clock.today(), reason
    request.save(update_fields=["due_on", "extended_on", "extension_reason"])
    write_event(
        request,
        actor,
        "extended",
        f"Time to answer extended from {before:%-d %B %Y} to {request.due_on:%-d %B %Y}: {reason}",
        before={"due_on": before.isoformat()},
        after={"due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def refuse_request(request: RightsRequest, actor: User, *, reason: str) -> RightsRequest:
    """Refuse a request outright, with the reason the resident is told: for example one that is
    manifestly unfounded or excessive (Art. 12(5)), or a restriction that does not apply (Art. 18(1))."""
    request = _locked(request, actor)
    _require_open(request)
    reason = _text(reason, "reason", limit=REASON_LIMIT, what="the reason the resident is told", required=True)
    decide(request, actor, RightsRequest.State.REFUSED, reason)
    request.save(update_fields=DECIDED_FIELDS)
    write_event(request, actor, "refused", f"Refused: {reason}", after={"state": request.state})
    return request


@transaction.atomic
def complete_access(request: RightsRequest, actor: User) -> SubjectAccessExport:
    """Have the worker build the copy of everything about the resident (Art. 15). The request is
    done once the copy is built (`keep_export`); asking again builds a new version, but not while
    one is being built."""
    request = _locked(request, actor)
    if request.kind != RightsRequest.Kind.ACCESS:
        raise TransitionNotAllowed("Only a subject access request has a copy of the resident's data built for it.")
    if request.state not in (RightsRequest.State.OPEN, RightsRequest.State.DONE):
        raise TransitionNotAllowed("This request was refused, so no copy of the resident's data is built for it.")
    latest = SubjectAccessExport.objects.filter(request=request).order_by("-version").first()
    if latest is not None and latest.in_progress and latest.requested_at < clock.now() - GIVEN_UP_AFTER:
        latest.state, latest.error = SubjectAccessExport.State.FAILED, "The build did not finish."
        latest.save(update_fields=["state", "error"])
    if latest is not None and latest.in_progress:
        raise TransitionNotAllowed(
            f"Version {latest.version} of the copy of the resident's data is being built: wait for it to finish."
        )
    if latest is not None and latest.state == SubjectAccessExport.State.FAILED:
        export = latest
    else:
        export = SubjectAccessExport(request=request, version=(latest.version + 1) if latest else 1)
    export.requested_by, export.requested_at = actor, clock.now()
    export.state, export.error = SubjectAccessExport.State.QUEUED, ""
    export.save()
    write_event(
        request, actor, "export-requested", f"Copy of the resident's data (version {export.version}) asked for."
    )
    transaction.on_commit(lambda: tasks.build_soon(export.pk))
    return export


def erasure_blockers(person: Person) -> dict[str, str]:
    """What must be kept for now, by reference, each with the reason the resident is told: a
    complaint still in progress (it may yet be escalated), one the Ombudsman is considering, or a
    service request still open."""
    blocked: dict[str, str] = {}
    complaints = Complaint.objects.filter(person=person).only("reference", "status").order_by("received_on", "pk")
    for complaint in complaints:
        if complaint.status in ACTIVE_STATUSES:
            blocked[complaint.reference] = f"complaint {complaint.reference} is still in progress"
    cases = OmbudsmanCase.objects.filter(complaint__person=person).exclude(stage=CaseStage.CLOSED)
    for reference in cases.values_list("complaint__reference", flat=True):
        blocked.setdefault(reference, f"complaint {reference} is being considered by the Housing Ombudsman")
    requests = ServiceRequest.objects.filter(person=person, status=ServiceRequest.State.OPEN)
    for reference in requests.values_list("reference", flat=True):
        blocked[reference] = f"service request {reference} is still open"
    return blocked


def _erase_exports(person: Person) -> None:
    """Copies of the resident's data made for their access requests go with it."""
    exports = SubjectAccessExport.objects.filter(request__person=person).exclude(file="")
    names = list(exports.values_list("file", flat=True))
    exports.update(file="", state=SubjectAccessExport.State.ERASED, manifest=[])
    storage = SubjectAccessExport.file.field.storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


@transaction.atomic
def decide_erasure(request: RightsRequest, actor: User, *, lawful_reason: str = "") -> RightsRequest:
    """Decide a request for erasure (Art. 17) and carry out what can be.

    With `lawful_reason` (the landlord must keep the records, say for a legal claim: Art. 17(3)(e))
    nothing is erased and the request is refused with that reason. Otherwise every complaint that
    has ended and is not with the Ombudsman is anonymised; when nothing must be kept, the resident's
    own details are too (done). When something must be kept, the rest is erased (partly) or, if
    there is nothing else, the request is refused; the reason the resident is told names each record
    kept and why.
    """
    from putright.retention.anonymise import anonymise_complaint, anonymise_person

    request = _locked(request, actor)
    _require_open(request, RightsRequest.Kind.ERASURE)
    # Erasing destroys the complaints: never by someone who may not read each one (the person one is about).
    access.require_copy_readable(access.require_actor(actor), request.person_id)
    lawful_reason = _text(
        lawful_reason, "lawful_reason", limit=REASON_LIMIT, what="the reason the records are kept", required=False
    )
    person = Person.objects.select_for_update().get(pk=request.person_id)
    if lawful_reason:
        decide(request, actor, RightsRequest.State.REFUSED, f"We must keep your records: {lawful_reason}")
        request.save(update_fields=DECIDED_FIELDS)
        write_event(request, actor, "erasure-refused", f"Erasure refused: {lawful_reason}")
        return request
    blocked = erasure_blockers(person)
    reason = f"Erasure at the resident's request (UK GDPR Art. 17), data protection request {request.pk}"
    if not blocked:
        anonymise_person(person, by=actor, reason=reason)
        _erase_exports(person)
        # What the resident asked, in their own words, goes with their details; the requests stay as the record.
        RightsRequest.objects.filter(person=person).update(detail="")
        request.detail = ""
        state, erased = RightsRequest.State.DONE, ["all"]
        told = "Your personal details and the records of your complaints have been erased."
    else:
        erased = []
        ended = Complaint.objects.filter(person=person).exclude(reference__in=blocked).order_by("received_on", "pk")
        for complaint in ended:
            anonymise_complaint(complaint, by=actor, reason=reason)
            erased.append(complaint.reference)
        kept = "; ".join(blocked.values())
        state = RightsRequest.State.PARTLY if erased else RightsRequest.State.REFUSED
        if erased:
            told = (
                f"We have erased the records of complaint{'s' if len(erased) > 1 else ''} {', '.join(erased)}, "
                f"but must keep the rest of your records for now because {kept}. Ask again once it has finished."
            )
        else:
            told = f"We must keep your records for now because {kept}. Ask again once it has finished."
    decide(request, actor, state, told)
    request.save(update_fields=[*DECIDED_FIELDS, "detail"])
    write_event(
        request,
        actor,
        "erasure-decided",
        f"Erasure {request.get_state_display().lower()}: {told}",
        after={"state": state, "erased": erased, "kept": sorted(blocked)},
    )
    return request


@transaction.atomic
def decide_restriction(
    request: RightsRequest, actor: User, *, restrict: bool, until: date | None = None, reason: str = ""
) -> RightsRequest:
    """Restrict the processing of the resident's data from today (Art. 18), until `until` or until
    it is lifted; or refuse, with the reason the resident is told. While it is in force, no
    satisfaction survey is sent to them and staff see "Processing restricted" on their complaints."""
    request = _locked(request, actor)
    _require_open(request, RightsRequest.Kind.RESTRICTION)
    today = clock.today()
    if not restrict:
        reason = _text(reason, "reason", limit=REASON_LIMIT, what="the reason the resident is told", required=True)
        decide(request, actor, RightsRequest.State.REFUSED, reason)
        request.save(update_fields=DECIDED_FIELDS)
        write_event(request, actor, "restriction-refused", f"Restriction refused: {reason}")
        return request
    if until is not None and until <= today:
        raise InvalidInput({"until": "The day the restriction ends must be in the future"})
    reason = _text(reason, "reason", limit=REASON_LIMIT, what="what the resident is told", required=False)
    told = f"The use of your personal data is restricted from {today:%-d %B %Y}" + (
        f" until {until:%-d %B %Y}." if until else " until we tell you it is lifted."
    )
    decide(request, actor, RightsRequest.State.DONE, f"{told} {reason}".strip())
    request.restricted_from, request.restricted_until = today, until
    request.save(update_fields=["state", "decision", "decided_by", "decided_at", "restricted_from", "restricted_until"])
    write_event(
        request,
        actor,
        "restriction-in-force",
        told,
        after={"from": today.isoformat(), "until": until.isoformat() if until else None},
    )
    return request


@transaction.atomic
def lift_restriction(request: RightsRequest, actor: User, *, reason: str) -> RightsRequest:
    """Lift a restriction of processing from today, with the reason (Art. 18(3): the resident is told
    before it is lifted)."""
    request = _locked(request, actor)
    today = clock.today()
    if not request.restricting_on(today):
        raise TransitionNotAllowed("This request does not restrict the processing of the resident's data today.")
    reason = _text(reason, "reason", limit=REASON_LIMIT, what="why the restriction is lifted", required=True)
    before = request.restricted_until
    request.restricted_until = today
    request.save(update_fields=["restricted_until"])
    write_event(
        request,
        actor,
        "restriction-lifted",
        f"Restriction lifted on {today:%-d %B %Y}: {reason}",
        before={"until": before.isoformat() if before else None},
        after={"until": today.isoformat()},
    )
    return request
