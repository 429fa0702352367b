"""Which steps a member of staff is offered on a complaint, from its state and their role.

The domain actions decide for themselves; this only chooses which buttons to show, and lets a
step's page refuse at once (403 for a role that may never take it, a message for a state that
does not allow it now) instead of after the form is filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    Complaint,
    OutstandingAction,
    Remedy,
    Stage,
    Status,
)
from putright.landlords.models import StaffMember


@dataclass(frozen=True)
class Situation:
    staff: StaffMember
    complaint: Complaint
    stages: dict[int, Stage]

    @property
    def current(self) -> Stage:
        return self.stages[self.complaint.stage]

    @property
    def stage1_handler_id(self) -> int | None:
        return self.stages[1].handler_id if self.complaint.stage == 2 and 1 in self.stages else None

    def can(self, capability: Capability) -> bool:
        return access.can(self.staff, capability, self.complaint, self.current, self.stage1_handler_id)

    def require(self, capability: Capability) -> None:
        access.require(self.staff, capability, self.complaint, self.current, self.stage1_handler_id)


def situation(staff: StaffMember, complaint: Complaint, stages: list[Stage] | None = None) -> Situation:
    rows = stages if stages is not None else list(Stage.objects.filter(complaint=complaint))
    return Situation(staff, complaint, {stage.number: stage for stage in rows})


def _escalable(s: Situation) -> bool:
    c = s.complaint
    return c.status == Status.STAGE1_RESPONDED or (
        c.status == Status.CLOSED and c.stage == 1 and not c.escalation_refused
    )


def _acknowledgeable(s: Situation) -> bool:
    return s.complaint.status in (Status.RECEIVED, Status.STAGE2_OPEN) and s.current.acknowledged_on is None


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    capabilities: tuple[Capability, ...]  # any one of these lets the user take the step
    applies: Callable[[Situation], bool]
    primary: bool = False

    def permitted(self, s: Situation) -> bool:
        return any(s.can(capability) for capability in self.capabilities)

    def require(self, s: Situation) -> None:
        if not self.permitted(s):
            s.require(self.capabilities[0])


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step("acknowledge", "Acknowledge", (Capability.WORK,), _acknowledgeable, primary=True),
        Step(
            "respond",
            "Respond",
            (Capability.WORK,),
            lambda s: s.complaint.status in (Status.STAGE1_OPEN, Status.STAGE2_OPEN),
            primary=True,
        ),
        Step("extend", "Extend", (Capability.WORK,), lambda s: s.complaint.status in OPEN_STATUSES),
        Step("assign", "Assign a handler", (Capability.ASSIGN,), lambda s: s.complaint.status in OPEN_STATUSES),
        Step("escalate", "Escalate to stage 2", (Capability.ESCALATE,), _escalable),
        Step(
            "close",
            "Close",
            (Capability.FINISH,),
            lambda s: s.complaint.status in (Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED),
        ),
        Step("add-issue", "Add an issue", (Capability.WORK, Capability.LOG), lambda s: True),
        Step(
            "not-accept",
            "Do not accept",
            (Capability.DECIDE,),
            lambda s: s.complaint.status in (Status.RECEIVED, Status.STAGE1_OPEN),
        ),
        Step(
            "refuse-escalation",
            "Refuse escalation",
            (Capability.DECIDE,),
            lambda s: (
                s.complaint.stage == 1
                and s.complaint.status in (Status.STAGE1_RESPONDED, Status.CLOSED)
                and not s.complaint.escalation_refused
            ),
        ),
        Step("withdraw", "Withdraw", (Capability.FINISH,), lambda s: s.complaint.status in ACTIVE_STATUSES),
        Step(
            "clarification", "Ask for clarification", (Capability.WORK,), lambda s: s.complaint.status in OPEN_STATUSES
        ),
        Step(
            "update-interval",
            "Agree update intervals",
            (Capability.WORK,),
            lambda s: s.complaint.status in OPEN_STATUSES,
        ),
        Step(
            "send-update",
            "Send an update",
            (Capability.WORK,),
            lambda s: s.complaint.status in OPEN_STATUSES and s.current.update_interval_days is not None,
        ),
        Step("offer-remedy", "Offer a remedy", (Capability.WORK,), lambda s: s.complaint.status in ACTIVE_STATUSES),
        Step(
            "ombudsman-referral",
            "Record an Ombudsman referral",
            (Capability.REFER,),
            lambda s: s.complaint.ombudsman_referred_on is None,
        ),
        Step(
            "learning",
            "Record learning",
            (Capability.FINISH,),
            lambda s: s.complaint.status in (*ACTIVE_STATUSES, Status.CLOSED, Status.WITHDRAWN),
        ),
    )
}

# Remedies are followed through by whoever holds the complaint now (7.3), and attachments added
# by any caseworker: neither is a button of its own.
REMEDY = Step(
    "remedy",
    "Update remedy",
    (Capability.WORK, Capability.FINISH),
    lambda s: s.complaint.status in ACTIVE_STATUSES or s.complaint.status == Status.CLOSED,
)
ATTACH = Step("attach", "Add a document", (Capability.LOG,), lambda s: True)


def offered(s: Situation) -> list[Step]:
    """The steps to show as buttons, in the order a handler most often needs them."""
    return [step for step in STEPS.values() if step.permitted(s) and step.applies(s)]


def remedy_updatable(remedy: Remedy) -> bool:
    return remedy.state in (Remedy.State.OFFERED, Remedy.State.AGREED)


def require_action_update(staff: StaffMember, action: OutstandingAction) -> None:
    """Whoever owns an action, handles its complaint, or supervises may record its progress."""
    access.require_action_update(staff, action)
