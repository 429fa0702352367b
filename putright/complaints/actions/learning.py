"""What the landlord learned from a complaint, and why it arose (9.1 to 9.3)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.actions.base import (
    check_not_future,
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    require_status,
    save_complaint,
    write_event,
)
from putright.complaints.models import ACTIVE_STATUSES, Complaint, RootCause, Status


@transaction.atomic
def record_learning(
    complaint: Complaint,
    actor: User,
    *,
    learning_outcome: str,
    root_cause: str,
    on: date,
    expected_version: int | None = None,
) -> Complaint:
    """Record what the landlord learned from the complaint and why it arose (9.1 to 9.3).

    Whoever may close the complaint may record its learning, at any time once it has been accepted,
    and may revise it later (the Event keeps what it said before). The landlord can make it a
    condition of closing (`Landlord.learning_required_at_closure`).
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    access.require(staff, Capability.FINISH, complaint, stages[complaint.stage])
    require_status(complaint, (*ACTIVE_STATUSES, Status.CLOSED, Status.WITHDRAWN), "record learning from it")
    errors: dict[str, str] = {}
    learning_outcome = clean_text(errors, "learning_outcome", learning_outcome, limit=5_000)
    if root_cause not in RootCause.values:
        errors["root_cause"] = f"Choose the root cause: {', '.join(RootCause.values)}"
    check_not_future(errors, "on", on, complaint.received_on)
    raise_invalid(errors)
    before = {"learning_outcome": complaint.learning_outcome, "root_cause": complaint.root_cause}
    complaint.learning_outcome, complaint.root_cause = learning_outcome, root_cause
    complaint.learning_recorded_on, complaint.learning_recorded_by = on, actor
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "learning-recorded",
        f"Learning recorded ({RootCause(root_cause).label.lower()}): {learning_outcome}",
        stage=complaint.stage,
        before=before,
        after={"learning_outcome": learning_outcome, "root_cause": root_cause},
    )
    return complaint
