"""Changing a complaint's priority by complexity and risk (6.1), with a reason, from its page."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from putright.complaints import actions
from putright.complaints.access import Capability
from putright.complaints.models import ACTIVE_STATUSES, Complaint
from putright.landlords.models import StaffMember
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace import steps
from putright.workspace.forms import PriorityForm
from putright.workspace.views.common import complaint_url


def can_change_priority(situation: steps.Situation) -> bool:
    """Whoever may work on the complaint's current stage, while it is active (no query)."""
    return situation.complaint.status in ACTIVE_STATUSES and situation.can(Capability.WORK)


def _staff_may(staff: StaffMember, complaint: Complaint) -> steps.Situation:
    situation = steps.situation(staff, complaint)
    situation.require(Capability.WORK)
    return situation


@require_http_methods(["GET", "POST"])
@staff_view
def change_priority(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    situation = _staff_may(request.staff, complaint)
    form = PriorityForm(
        request.POST or None,
        initial={
            "expected_version": complaint.version,
            "priority": complaint.priority,
            "complexity": complaint.complexity,
            "risk_factors": complaint.risk_factors,
        },
    )
    suggestions = actions.suggest(
        complaint.person,
        service_area=complaint.service_area,
        description=complaint.description,
        received_on=complaint.received_on,
        exclude=complaint,
    )

    def commit() -> Complaint:
        data = form.cleaned_data
        return actions.set_priority(
            complaint,
            request.user,
            priority=data["priority"],
            complexity=data["complexity"],
            risk_factors=data["risk_factors"],
            reason=data["reason"],
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/triage/priority.html",
        context={
            "complaint": complaint,
            "suggestions": suggestions,
            "active": can_change_priority(situation),
        },
        done=lambda c: complaint_url(c) + "#priority",
        message=lambda c: f"Priority changed: {c.get_priority_display().lower()}",
    )
