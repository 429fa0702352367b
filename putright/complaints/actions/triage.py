"""Triage by complexity and risk (6.1): the priority set when a complaint is logged, what the record
suggests, and changing it later with a reason. The worklists order by priority, then deadline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints.actions.base import begin_stage_work, clean_text, raise_invalid, save_complaint, write_event
from putright.complaints.models import ACTIVE_STATUSES, Complaint, Complexity, Priority, RiskFactor
from putright.people.models import Person, Vulnerability
from putright.rules import priority as rules

# The reason kept when nobody confirmed the triage: the API or the portal logged it without one.
SUGGESTED = "Suggested by Putright from the record; not yet confirmed by staff."


@dataclass(frozen=True)
class Triage:
    """A priority with the complexity and the risk factors it rests on, and why (6.1)."""

    priority: int
    complexity: str = Complexity.SIMPLE
    risk_factors: Sequence[str] = ()
    reason: str = ""


@dataclass(frozen=True)
class Suggestion:
    factor: str
    why: str

    @property
    def label(self) -> str:
        return RiskFactor(self.factor).label


def suggest(
    person: Person | None,
    *,
    service_area: str,
    description: str,
    received_on: date,
    earlier: Sequence[Complaint] = (),
    exclude: Complaint | None = None,
) -> list[Suggestion]:
    """The risk factors the record points to, each with why, for staff to confirm (6.1).

    A vulnerability on the person's record; health and safety or disrepair from the service area and
    the resident's words; a repeat complaint when the person (or, for a resident not yet on record,
    one of the `earlier` complaints that look like theirs) complained in the 12 months before.
    Two queries at most, and none for a person not yet saved.
    """
    found: dict[str, str] = {}
    for factor in rules.factors_in_words(service_area, description):
        found[factor] = "from the service area and the resident's words"
    since = received_on - timedelta(days=365)
    repeats = [c for c in earlier if c.received_on >= since and c != exclude]
    if person is not None and person.pk is not None:
        if Vulnerability.objects.filter(person=person).exists():
            found[RiskFactor.VULNERABILITY] = "a vulnerability is recorded for the resident"
        previous = Complaint.objects.filter(person=person, received_on__gte=since, received_on__lte=received_on)
        if exclude is not None:
            previous = previous.exclude(pk=exclude.pk)
        repeats += list(previous.order_by("-received_on")[:3])
    if repeats:
        references = ", ".join(sorted({c.reference for c in repeats}))
        found[RiskFactor.REPEAT] = f"the resident complained in the last 12 months ({references})"
    return [Suggestion(factor, found[factor]) for factor in rules.FACTORS if factor in found]


def check_triage(errors: dict[str, str], triage: Triage) -> Triage:
    """The triage with its reason tidied, or errors against its fields."""
    if triage.priority not in Priority.values:
        errors["priority"] = "Choose the priority: high or normal"
    if triage.complexity not in Complexity.values:
        errors["complexity"] = "Choose the complexity: simple or complex"
    unknown = [factor for factor in triage.risk_factors if factor not in RiskFactor.values]
    if unknown:
        errors["risk_factors"] = f"Choose risk factors from {', '.join(RiskFactor.values)}"
    reason = clean_text(errors, "priority_reason", triage.reason, required=False, limit=2_000)
    factors = [factor for factor in rules.FACTORS if factor in set(triage.risk_factors)]
    return Triage(triage.priority, triage.complexity, factors, reason)


def describe(complaint: Complaint) -> str:
    factors = complaint.risk_factor_labels
    risks = ("; risks: " + ", ".join(label[:1].lower() + label[1:] for label in factors)) if factors else ""
    return f"{complaint.get_priority_display()} priority, {complaint.get_complexity_display().lower()}{risks}"


def _state(complaint: Complaint) -> dict[str, Any]:
    return {
        "priority": complaint.priority,
        "complexity": complaint.complexity,
        "risk_factors": list(complaint.risk_factors),
    }


def apply_triage(complaint: Complaint, triage: Triage) -> None:
    complaint.priority = triage.priority
    complaint.complexity = triage.complexity
    complaint.risk_factors = list(triage.risk_factors)
    complaint.priority_reason = triage.reason


@transaction.atomic
def set_priority(
    complaint: Complaint,
    actor: User,
    *,
    priority: int,
    complexity: str,
    risk_factors: Sequence[str],
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """Change a complaint's triage (6.1), by whoever may work on its current stage, with a reason.

    The complaint's priority orders the worklists; the Event keeps what it was and why it changed.
    """
    complaint, _, stage = begin_stage_work(complaint, actor, expected_version, ACTIVE_STATUSES, "change its priority")
    errors: dict[str, str] = {}
    triage = check_triage(errors, Triage(priority, complexity, risk_factors, reason))
    if not triage.reason and "priority_reason" not in errors:
        errors["priority_reason"] = "Enter why the priority is changing"
    raise_invalid(errors)
    before = _state(complaint)
    apply_triage(complaint, triage)
    if _state(complaint) == before:
        raise_invalid({"priority": "Nothing has changed: change the priority, the complexity or the risk factors"})
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "priority-changed",
        f"Triage changed to {describe(complaint)} (6.1). Why: {triage.reason}",
        stage=stage.number,
        before=before,
        after=_state(complaint) | {"reason": triage.reason},
    )
    return complaint
