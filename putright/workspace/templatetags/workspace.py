from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.urls import reverse

from putright.complaints import access
from putright.correspondence import access as correspondence_access
from putright.insight import access as insight_access
from putright.landlords.models import StaffMember
from putright.privacy import access as privacy_access

register = template.Library()

# (url name, label, what the role needs to be offered it); the first is also where "Complaints
# workspace" leads. The menu offers only what the role can do: every member of staff reads
# (Team work, Actions, Service requests), only those who are given work have My work, and only
# those who may log complaints are offered "Log a complaint".
NAVIGATION: tuple[tuple[str, str, Callable[[StaffMember], bool]], ...] = (
    ("my-work", "My work", access.has_work),
    ("team-work", "Team work", lambda staff: access.can(staff, access.Capability.READ)),
    ("actions", "Actions", lambda staff: access.can(staff, access.Capability.READ)),
    ("service-requests", "Service requests", lambda staff: access.can(staff, access.Capability.READ)),
    ("complaint-log", "Log a complaint", lambda staff: access.can(staff, access.Capability.LOG)),
    # Ombudsman casework: those who work it, and the auditor, who reads it (handlers reach a case from its complaint).
    ("ombudsman-cases", "Ombudsman cases", lambda staff: staff.role in (*access.SUPERVISORS, access.R.AUDITOR)),
)
SECTIONS = {
    "team-work": "team-work",
    "actions": "actions",
    "action-update": "actions",
    "service-requests": "service-requests",
    "service-request-log": "service-requests",
    "service-request-raise": "service-requests",
    "service-request-complete": "service-requests",
    "complaint-log": "complaint-log",
    "letters": "letters",
    "letter-style": "letters",
    "letter-wording": "letters",
    "letter-wording-reset": "letters",
    "outbox": "outbox",
    "ombudsman-cases": "ombudsman-cases",
    "ombudsman-enquiry": "ombudsman-cases",
    "ombudsman-case": "ombudsman-cases",
    "development-email": "development-email",  # none of the items above
}
PRIVACY_APPS = ("privacy", "retention", "access_log")
# Letter wording and the outbox: for those who keep the landlord's letters, and the auditor.
CORRESPONDENCE = (("letters", "Letter wording"), ("outbox", "Outbox"))


@register.inclusion_tag("workspace/includes/navigation.html", takes_context=True)
def workspace_navigation(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    staff = getattr(request, "staff", None)
    if staff is None:
        return {"items": [], "signed_in": False}
    match = getattr(request, "resolver_match", None)
    current = SECTIONS.get(match.url_name if match else "", "my-work")
    if current == "my-work" and not access.has_work(staff):
        current = "team-work"  # the auditor's start page is Team work (putright/workspace/views/lists.py)
    items = [
        {"href": reverse(f"workspace:{name}"), "label": label, "current": name == current}
        for name, label, offered in NAVIGATION
        if offered(staff)
    ]
    if correspondence_access.can_read(staff):
        items += [
            {"href": reverse(f"workspace:{name}"), "label": label, "current": name == current}
            for name, label in CORRESPONDENCE
        ]
    # The landlord's contractors, asked for their account of what happened (5.4, 5.5): kept by officers and
    # managers, read by the auditor (everyone else reaches them from a complaint's requests for information).
    if staff.role in (*access.SUPERVISORS, access.R.AUDITOR):
        in_contractors = bool(match and match.app_name == "contributions" and match.url_name.startswith("contractor"))
        items.append({"href": reverse("contributions:contractors"), "label": "Contractors", "current": in_contractors})
        if in_contractors:
            for item in items[:-1]:
                item["current"] = False
    # Email that came in and waits for a person to triage it: every member of staff may read it.
    in_mail = bool(match and match.app_name == "correspondence")
    items.append({"href": reverse("correspondence:queue"), "label": "Email in", "current": in_mail})
    if in_mail:
        for item in items[:-1]:
            item["current"] = False
    # Residents' data protection requests, retention and the access log: for complaints officers and
    # managers, and the auditor, who reads what they may (the index lists only the pages they may open).
    if staff.role in privacy_access.READERS:
        in_privacy = bool(match and match.app_name in PRIVACY_APPS)
        items.append({"href": reverse("privacy:index"), "label": "Privacy", "current": in_privacy})
        if in_privacy:
            for item in items[:-1]:
                item["current"] = False
    if staff.role in insight_access.READERS:
        in_insight = bool(match and match.app_name == "insight")
        items.append({"href": reverse("insight:dashboard"), "label": "Insight", "current": in_insight})
        if in_insight:
            for item in items[:-1]:
                item["current"] = False
    user = request.user  # type: ignore[union-attr]
    return {
        "items": items,
        "signed_in": True,
        "name": user.get_full_name() or user.username,
        "role": staff.get_role_display(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("workspace/includes/acting_for.html", takes_context=True)
def acting_for(context: dict[str, Any]) -> dict[str, Any]:
    """Which landlord this page acts for, and in what role; for someone who works for several, a way to
    change it (a page about one record acts for the record's landlord and says so)."""
    request = context.get("request")
    staff: StaffMember | None = getattr(request, "staff", None)
    if request is None or staff is None:
        return {"staff": None}
    held = access.places(request.user)
    return {
        "staff": staff,
        "others": [place for place in held if place.landlord_id != staff.landlord_id],
        "agent": staff.agent,
        "managed_by": staff.landlord.managing_agent,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
