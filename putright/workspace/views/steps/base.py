"""What every step's page does first: fetch the complaint, refuse a role that may never take the
step, and send a step the complaint's state does not allow now back to the complaint."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from putright.complaints.models import Complaint
from putright.web.authorise import StaffRequest, complaint_for
from putright.workspace import steps
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.flow import StepFlow, already_sent


def begin_step(
    request: StaffRequest, reference: str, slug: str
) -> tuple[Complaint, steps.Situation, HttpResponse | None]:
    """The complaint and the user's situation on it, refusing a role that may never take this step.

    Opening a step the complaint's state does not allow now goes back to the complaint with the
    reason; posting one anyway reaches the action, which refuses it with its own message.
    """
    complaint = complaint_for(request, reference)
    situation = steps.situation(request.staff, complaint)
    step = steps.STEPS[slug]
    step.require(situation)
    # Back to a confirmation already sent, or Send pressed again: say what was done, do nothing.
    sent = already_sent(request, complaint.reference, slug)
    if sent:
        return complaint, situation, sent
    if request.method == "GET" and not step.applies(situation):
        messages.error(
            request,
            f"You cannot {step.label.lower()} {complaint.reference} now: it is "
            f"{complaint.get_status_display().lower()}.",
        )
        return complaint, situation, redirect(complaint_url(complaint))
    return complaint, situation, None


def initial_values(complaint: Complaint, **values: Any) -> dict[str, Any]:
    return {"expected_version": complaint.version, **values}


def step_template(name: str) -> str:
    return f"workspace/steps/{name}.html"


def flow_for(request: StaffRequest, complaint: Complaint, situation: steps.Situation, slug: str) -> StepFlow:
    """The step's page, done exactly once (and shown before it is sent, where it issues a letter)."""
    return StepFlow(request, complaint, slug, situation.current.number)
