"""Restricting how a resident may contact the landlord because of unacceptable behaviour (5.14, 5.15).

Proposed by any caseworker from one of the resident's complaints, with the behaviour, the evidence,
the scope and the regard had to the Equality Act 2010 and the resident's needs (5.15); approved or
refused by a complaints officer or manager who did not propose it (Ashford: "taken at a senior
level"); approval writes to the resident (the contact restriction letter); kept under review until it
ends (5.14). Each step writes an Event on the complaint it was taken from.

A restriction limits how contact happens. It never stops a complaint being logged or answered:
no other action reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints import access, reactions
from putright.complaints.actions.base import clean_text, raise_invalid, write_event
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Stage
from putright.documents.models import Attachment
from putright.people.models import ContactRestriction, RestrictionReview

Scope = ContactRestriction.Scope
State = ContactRestriction.State

# "Keep restrictions under regular review" (5.14): never more than six months between reviews.
LONGEST_REVIEW_DAYS = 183
# The scopes that need saying how: which ways, which person, which times, what else.
SCOPE_DETAIL = {
    Scope.CHANNELS: ("channels", "Say which ways the resident can still contact us, such as letter or email"),
    Scope.SINGLE_POINT: ("contact_point", "Give the name and role of the one person the resident should contact"),
    Scope.TIMES: ("contact_times", "Say when the resident can contact us, such as Tuesdays 10am to 12pm"),
    Scope.OTHER: ("other_terms", "Describe the restriction"),
}


@dataclass(frozen=True)
class RestrictionInput:
    """What a caseworker proposes (5.14, 5.15)."""

    behaviour: str
    evidence: str
    scope: Sequence[str]
    equality_considerations: str
    review_on: date | None
    channels: str = ""
    contact_point: str = ""
    contact_times: str = ""
    other_terms: str = ""
    evidence_documents: Sequence[int] = field(default_factory=tuple)


def _check_review_date(errors: dict[str, str], name: str, value: date | None, after: date) -> None:
    latest = after + timedelta(days=LONGEST_REVIEW_DAYS)
    if value is None:
        errors[name] = "Enter the date it will be reviewed by"
    elif value <= after:
        errors[name] = f"The review date must be after {after:%-d %B %Y}"
    elif value > latest:
        errors[name] = (
            f"The review date must be on or before {latest:%-d %B %Y}: restrictions are reviewed at least every "
            "6 months (Code 5.14)"
        )


def _required(errors: dict[str, str], name: str, value: str, message: str) -> str:
    text = clean_text(errors, name, value, limit=5_000)
    if not text and name in errors:
        errors[name] = message
    return text


def _scope_summary(restriction: ContactRestriction) -> str:
    labels = [Scope(key).label.lower() for key in restriction.scope]
    return "; ".join(labels)


def _current_stage(complaint: Complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=complaint.stage)


def _lock(restriction: ContactRestriction, complaint: Complaint) -> ContactRestriction:
    locked = ContactRestriction.objects.select_for_update().get(pk=restriction.pk)
    if locked.person_id != complaint.person_id or locked.landlord_id != complaint.landlord_id:
        raise InvalidInput({"restriction": "This restriction is not about the resident of this complaint"})
    return locked


def _require_state(restriction: ContactRestriction, allowed: State, doing: str) -> None:
    if restriction.state != allowed:
        raise TransitionNotAllowed(
            f"This contact restriction is {restriction.get_state_display().lower()}, so you cannot {doing}."
        )


@transaction.atomic
def propose_restriction(complaint: Complaint, actor: User, details: RestrictionInput) -> ContactRestriction:
    """Propose restricting the resident's contact (5.14), for a complaints officer or manager to decide.

    The behaviour, the evidence, at least one scope (each with what it means in practice), the regard
    had to the Equality Act 2010 and the resident's vulnerabilities and adjustments (5.15), and a
    review date no more than six months away are all required. Documents named as evidence must be
    on this complaint's record.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    access.require_restriction_step(staff, complaint, "propose a contact restriction", propose=True)
    errors: dict[str, str] = {}
    behaviour = _required(errors, "behaviour", details.behaviour, "Describe the behaviour and when it happened")
    evidence = _required(errors, "evidence", details.evidence, "Describe the evidence of the behaviour")
    considerations = _required(
        errors,
        "equality_considerations",
        details.equality_considerations,
        "Describe the regard had to the Equality Act 2010 and the resident's needs (Code 5.15)",
    )
    scope = list(dict.fromkeys(details.scope))
    if not scope:
        errors["scope"] = "Select what the restriction is"
    elif any(key not in Scope.values for key in scope):
        errors["scope"] = "Select what the restriction is from the list"
    given = {
        "channels": details.channels,
        "contact_point": details.contact_point,
        "contact_times": details.contact_times,
        "other_terms": details.other_terms,
    }
    terms: dict[str, str] = {}
    for key, (name, message) in SCOPE_DETAIL.items():
        limit = 2_000 if name == "other_terms" else 200 if name == "contact_point" else 300
        text = clean_text(errors, name, given[name], required=False, limit=limit)
        if key in scope:
            terms[name] = text
            if not text and name not in errors:
                errors[name] = message
    _check_review_date(errors, "review_on", details.review_on, clock.today())
    documents = list(
        Attachment.objects.filter(complaint=complaint, pk__in=list(details.evidence_documents)).values("pk", "name")
    )
    if len(documents) != len(set(details.evidence_documents)):
        errors["evidence_documents"] = "Choose documents that are on this complaint's record"
    raise_invalid(errors)
    assert details.review_on is not None
    restriction = ContactRestriction.objects.create(
        landlord_id=complaint.landlord_id,
        person_id=complaint.person_id,
        raised_on=complaint.reference,
        behaviour=behaviour,
        evidence=evidence,
        evidence_documents=[{"id": d["pk"], "name": d["name"]} for d in documents],
        scope=[key for key in Scope.values if key in scope],
        equality_considerations=considerations,
        review_on=details.review_on,
        proposed_by=actor,
        proposed_at=clock.now(),
        **terms,
    )
    write_event(
        complaint,
        actor,
        "restriction-proposed",
        f"Contact restriction proposed ({_scope_summary(restriction)}), for a complaints officer or manager to decide.",
        stage=complaint.stage,
        after={
            "restriction": restriction.pk,
            "scope": restriction.scope,
            "review_on": restriction.review_on.isoformat(),
        },
    )
    return restriction


@transaction.atomic
def decide_restriction(
    restriction: ContactRestriction,
    complaint: Complaint,
    actor: User,
    *,
    approve: bool,
    reasons: str = "",
    review_on: date | None = None,
) -> ContactRestriction:
    """Approve or refuse a proposed restriction, as a complaints officer or manager who did not propose it.

    Approving puts it in force from today and writes to the resident (the contact restriction letter:
    why, what it is, that complaints still go ahead, when it is reviewed, how to challenge it and the
    Housing Ombudsman's details). Refusing needs the reasons, kept on the record.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    doing = "decide on a contact restriction"
    access.require_restriction_step(staff, complaint, doing, proposed_by_id=restriction.proposed_by_id)
    restriction = _lock(restriction, complaint)
    _require_state(restriction, State.PROPOSED, doing)
    errors: dict[str, str] = {}
    if approve:
        reasons = clean_text(errors, "reasons", reasons, required=False, limit=5_000)
    else:
        reasons = _required(errors, "reasons", reasons, "Enter why the restriction is refused")
    today = clock.today()
    if approve:
        review_on = review_on or restriction.review_on
        _check_review_date(errors, "review_on", review_on, today)
    raise_invalid(errors)
    if approve and review_on is not None:
        restriction.review_on = review_on
    restriction.state = State.IN_FORCE if approve else State.REFUSED
    restriction.decided_by = actor
    restriction.decided_on = today
    restriction.decision_reasons = reasons
    restriction.save(update_fields=["state", "decided_by", "decided_on", "decision_reasons", "review_on"])
    if approve:
        event = write_event(
            complaint,
            actor,
            "restriction-approved",
            f"Contact restriction approved and in force ({_scope_summary(restriction)}), to be reviewed by "
            f"{restriction.review_on:%-d %B %Y}.",
            stage=complaint.stage,
            before={"state": State.PROPOSED},
            after={"restriction": restriction.pk, "state": restriction.state},
        )
        reactions.react(event, _current_stage(complaint), on=today, restriction=restriction)
    else:
        write_event(
            complaint,
            actor,
            "restriction-refused",
            "Contact restriction refused; the reasons are kept with it.",
            stage=complaint.stage,
            before={"state": State.PROPOSED},
            after={"restriction": restriction.pk, "state": restriction.state},
        )
    return restriction


def _end(
    restriction: ContactRestriction,
    complaint: Complaint,
    actor: User,
    *,
    on: date,
    reason: str,
    send_letter: bool,
    summary: str,
) -> None:
    restriction.state = State.ENDED
    restriction.ended_by = actor
    restriction.ended_on = on
    restriction.end_reason = reason
    restriction.save(update_fields=["state", "ended_by", "ended_on", "end_reason"])
    told = " The resident is told by letter." if send_letter else " No letter was sent."
    event = write_event(
        complaint,
        actor,
        "restriction-ended",
        summary + told,
        stage=complaint.stage,
        before={"state": State.IN_FORCE},
        after={"restriction": restriction.pk, "state": restriction.state, "letter": send_letter},
    )
    if send_letter:
        reactions.react(event, _current_stage(complaint), on=clock.today(), restriction=restriction)


@transaction.atomic
def review_restriction(
    restriction: ContactRestriction,
    complaint: Complaint,
    actor: User,
    *,
    notes: str,
    keep: bool,
    next_review_on: date | None = None,
    send_letter: bool = False,
) -> RestrictionReview:
    """Record a review of a restriction in force (5.14): kept, with the next review date no more than
    six months away, or ended (the notes are the reason, and the resident may be told by letter)."""
    staff = access.require_staff(actor, complaint.landlord_id)
    doing = "review a contact restriction"
    access.require_restriction_step(staff, complaint, doing)
    restriction = _lock(restriction, complaint)
    _require_state(restriction, State.IN_FORCE, doing)
    errors: dict[str, str] = {}
    notes = _required(errors, "notes", notes, "Enter what the review found")
    today = clock.today()
    if keep:
        _check_review_date(errors, "next_review_on", next_review_on, today)
    raise_invalid(errors)
    review = RestrictionReview.objects.create(
        restriction=restriction,
        reviewed_on=today,
        reviewed_by=actor,
        outcome=RestrictionReview.Outcome.CONTINUE if keep else RestrictionReview.Outcome.END,
        notes=notes,
        next_review_on=next_review_on if keep else None,
    )
    if keep:
        assert next_review_on is not None
        before = restriction.review_on
        restriction.review_on = next_review_on
        restriction.save(update_fields=["review_on"])
        write_event(
            complaint,
            actor,
            "restriction-reviewed",
            f"Contact restriction reviewed and kept in force; next review by {next_review_on:%-d %B %Y}.",
            stage=complaint.stage,
            before={"review_on": before.isoformat()},
            after={"restriction": restriction.pk, "review_on": next_review_on.isoformat()},
        )
    else:
        _end(
            restriction,
            complaint,
            actor,
            on=today,
            reason=notes,
            send_letter=send_letter,
            summary="Contact restriction reviewed and ended.",
        )
    return review


@transaction.atomic
def end_restriction(
    restriction: ContactRestriction, complaint: Complaint, actor: User, *, reason: str, send_letter: bool
) -> ContactRestriction:
    """End a restriction in force before its review, with the reason; the letter to the resident is optional."""
    staff = access.require_staff(actor, complaint.landlord_id)
    doing = "end a contact restriction"
    access.require_restriction_step(staff, complaint, doing)
    restriction = _lock(restriction, complaint)
    _require_state(restriction, State.IN_FORCE, doing)
    errors: dict[str, str] = {}
    reason = _required(errors, "reason", reason, "Enter why the restriction is ending")
    raise_invalid(errors)
    _end(
        restriction,
        complaint,
        actor,
        on=clock.today(),
        reason=reason,
        send_letter=send_letter,
        summary="Contact restriction ended.",
    )
    return restriction
