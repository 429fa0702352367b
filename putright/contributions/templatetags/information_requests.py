"""The "Information requested" panel on a complaint's page, and the requests shown to the handler
before they respond: `{% load information_requests %}{% information_requests_panel complaint %}`.

The page that includes them has fetched the complaint through the access layer already; the panel
offers its links only to those who may ask (putright.contributions.access)."""

from __future__ import annotations

from typing import Any

from django import template

from putright import clock
from putright.complaints import access as complaint_access
from putright.complaints.models import Complaint
from putright.contributions import access, queries
from putright.contributions.models import ComplaintContractor, InformationRequest

register = template.Library()


def _can_ask(context: template.Context, complaint: Complaint) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    staff = complaint_access.staff_of(user, complaint.landlord_id)
    return staff is not None and access.can_ask(staff, complaint)


@register.inclusion_tag("contributions/panel.html", takes_context=True)
def information_requests_panel(context: template.Context, complaint: Complaint) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "requests": list(queries.requests_on(complaint)),
        "contractors": list(
            ComplaintContractor.objects.filter(complaint=complaint).select_related("contractor").order_by("added_at")
        ),
        "can_ask": _can_ask(context, complaint),
        "today": clock.today(),
    }


@register.inclusion_tag("contributions/before_response.html")
def information_before_response(complaint: Complaint) -> dict[str, Any]:
    """The open and answered requests, for the handler to read before they respond (withdrawn ones left out)."""
    requests = list(queries.requests_on(complaint).exclude(state=InformationRequest.State.WITHDRAWN))
    return {
        "requests": requests,
        "waiting": sum(1 for r in requests if r.state == InformationRequest.State.OPEN),
        "today": clock.today(),
    }
