"""The landlord's policy and a complaint's progress, in words a resident can follow."""

from __future__ import annotations

from putright.complaints.models import Complaint, Stage, Status
from putright.rules import floor
from putright.rules.policy import EscalationUnit, Policy, RespondFrom, StageTimescales


def _days(number: int) -> str:
    return f"{number} working day{'s' if number != 1 else ''}"


def _stage(stage: StageTimescales, asked: str) -> str:
    start = "our acknowledgement" if stage.respond_from == RespondFrom.ACKNOWLEDGEMENT else asked
    return (
        f"We will acknowledge it within {_days(stage.acknowledge_days)} and send you our full response within "
        f"{_days(stage.respond_days)} of {start}. If we need longer, we will tell you why and the new date: "
        f"no more than {_days(stage.extension_cap_days)} more unless there is a good reason."
    )


def policy_in_plain_words(policy: Policy) -> list[tuple[str, str]]:
    """(heading, text) for each part of the policy, with the numbers Putright works to.

    Residents are only ever promised the effective numbers: the Code's wherever the landlord's
    policy is weaker or silent, the policy's own where it is stricter (putright.rules.floor).
    """
    policy = floor.effective(policy)
    window = policy.escalation_window
    if window.unit == EscalationUnit.NONE:
        when = "You can ask at any time after our stage 1 response."
    else:
        when = f"Ask within {window.describe()} of our stage 1 response."
    return [
        ("Stage 1", _stage(policy.stage1, "receiving your complaint")),
        (
            "Stage 2",
            "If you are still unhappy, you can ask us to look again. You do not have to give a reason. "
            f"{when} {_stage(policy.stage2, 'your request')}",
        ),
        (
            "When you can complain",
            f"Complain within {policy.acceptance_window_months} months of the problem happening or of when you found "
            "out about it. If it was longer ago, tell us anyway: we will consider it.",
        ),
    ]


RESIDENT_STATUS = {
    Status.RECEIVED: "Received: we will acknowledge it soon",
    Status.STAGE1_OPEN: "We are looking into it (stage 1)",
    Status.STAGE1_RESPONDED: "We have sent our stage 1 response",
    Status.STAGE2_OPEN: "We are reviewing it again (stage 2)",
    Status.STAGE2_RESPONDED: "We have sent our stage 2 response",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
    Status.NOT_ACCEPTED: "Not accepted as a complaint",
}


def status_for_resident(complaint: Complaint) -> str:
    return RESIDENT_STATUS.get(Status(complaint.status), complaint.get_status_display())


def can_escalate(complaint: Complaint) -> bool:
    return complaint.status == Status.STAGE1_RESPONDED or (
        complaint.status == Status.CLOSED and complaint.stage == 1 and not complaint.escalation_refused
    )


def dates(stage: Stage) -> list[tuple[str, str]]:
    """(what, when) for the dates of a stage that matter to the resident."""
    rows = [("Received" if stage.number == 1 else "You asked for stage 2", f"{stage.opened_on:%-d %B %Y}")]
    if stage.acknowledged_on:
        rows.append(("Acknowledged", f"{stage.acknowledged_on:%-d %B %Y}"))
    else:
        rows.append(("We will acknowledge it by", f"{stage.acknowledge_due:%-d %B %Y}"))
    if stage.responded_on:
        rows.append(("Response sent", f"{stage.responded_on:%-d %B %Y}"))
    else:
        rows.append(("Our response is due by", f"{stage.response_due:%-d %B %Y}"))
    if stage.escalate_by and stage.number == 1:
        rows.append(("Ask for stage 2 by", f"{stage.escalate_by:%-d %B %Y}"))
    return rows
