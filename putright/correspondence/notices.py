"""Email to staff, written to the outbox: assignments, what residents send, and reminders.

Each email is two templates named after it, `emails/<name>-subject.txt` and `emails/<name>-body.txt`
(STYLE.md habit 8), rendered by `render_email`. Nothing here sends: the outbox does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.urls import reverse

from putright.complaints.models import Complaint, Stage
from putright.correspondence import outbox
from putright.correspondence.models import OutboxMessage
from putright.landlords.models import Landlord, StaffMember, StaffRole


def render_email(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (one line) and plain-text body of the email called `name`."""
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    return subject, render_to_string(f"emails/{name}-body.txt", context)


def complaint_link(complaint: Complaint) -> str:
    """The complaint's page in the workspace, as a full address when SITE_URL is set."""
    path = reverse("workspace:complaint", kwargs={"reference": complaint.reference})
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})"


def reachable(users: Iterable[User]) -> list[User]:
    """The users email can reach: active, with an address, each once."""
    found: dict[int, User] = {}
    for user in users:
        if user.is_active and user.email and user.pk not in found:
            found[user.pk] = user
    return list(found.values())


def staff_in_role(landlord: Landlord, role: StaffRole) -> list[User]:
    members = StaffMember.objects.filter(landlord=landlord, role=role, user__is_active=True).exclude(user__email="")
    return [member.user for member in members.select_related("user").order_by("user__username")]


def handler_or_officers(complaint: Complaint) -> list[User]:
    """Whoever should hear about the complaint: its handler, or while it has none, the complaints
    officers, who assign handlers."""
    if complaint.handler_id is not None and complaint.handler is not None:
        return reachable([complaint.handler])
    return staff_in_role(complaint.landlord, StaffRole.COMPLAINTS_OFFICER)


def tell(
    users: Iterable[User],
    *,
    landlord: Landlord,
    kind: str,
    name: str,
    context: dict[str, Any],
    complaint: Complaint | None = None,
    once_key: str | None = None,
    wake: bool = True,
) -> list[OutboxMessage]:
    """Write the email `name` to each user's address; with `once_key` ("<key>:<user id>"), only once."""
    queued = []
    for user in reachable(users):
        subject, body = render_email(name, {**context, "user": user, "name": user.get_full_name() or user.username})
        message = outbox.queue(
            landlord=landlord,
            kind=kind,
            to_address=user.email,
            to_user=user,
            subject=subject,
            body=body,
            complaint=complaint,
            once_key=f"{once_key}:{user.pk}" if once_key else None,
            wake=wake,
        )
        if message is not None:
            queued.append(message)
    return queued


def tell_assigned(complaint: Complaint, stage: Stage, handler: User, actor: User) -> list[OutboxMessage]:
    """Tell a handler a complaint is theirs (not when they took it themselves)."""
    if handler.pk == actor.pk:
        return []
    return tell(
        [handler],
        landlord=complaint.landlord,
        kind=OutboxMessage.Kind.ASSIGNED,
        name="assigned",
        complaint=complaint,
        context={
            "complaint": complaint,
            "stage": stage,
            "assigned_by": actor.get_full_name() or actor.username,
            "link": complaint_link(complaint),
        },
    )


def tell_resident_added(
    complaint: Complaint, subject: str, detail: str, *, kind: str = OutboxMessage.Kind.RESIDENT_INFORMATION
) -> list[OutboxMessage]:
    """Tell the handler (or the officers) what the resident sent or asked for through the portal."""
    return tell(
        handler_or_officers(complaint),
        landlord=complaint.landlord,
        kind=kind,
        name="resident-added",
        complaint=complaint,
        context={"complaint": complaint, "subject": subject, "detail": detail, "link": complaint_link(complaint)},
    )
